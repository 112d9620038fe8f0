/**
 * Drives the real language server (`startLanguageServer`) through an in-memory connection, as
 * bash-language-server's tests do: two PassThrough pipes, the server's `createConnection` on one
 * end and a client `createProtocolConnection` on the other. The client answers
 * `workspace/configuration` with `settings`, and every wait is for an event, never a sleep.
 * The client side comes from `vscode-languageserver/node`, which re-exports
 * vscode-languageserver-protocol, so the tests need no package beyond the server's own.
 */
import { PassThrough } from 'node:stream';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionRequest, CompletionRequest, ConfigurationRequest, createConnection, createProtocolConnection,
  DidChangeConfigurationNotification, DidChangeTextDocumentNotification, DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification, DocumentSymbolRequest, HoverRequest, InitializedNotification, InitializeRequest,
  InlayHintRequest, PublishDiagnosticsNotification, ShutdownRequest, StreamMessageReader, StreamMessageWriter,
  type CodeAction, type CompletionItem, type CompletionList, type Diagnostic, type DocumentSymbol, type Hover,
  type InitializeResult, type InlayHint, type Position, type ProtocolConnection, type PublishDiagnosticsParams,
  type Range, type SymbolInformation, type TextDocumentContentChangeEvent, type TextEdit, type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { startLanguageServer } from '../../../server/src/languageServer';
import type { InitializationOptions, ServerSettings } from '../../../server/src/protocol';

/** How long any one wait may take before the test fails with a message (a deadline, not a sleep). */
const DEADLINE_MS = 5000;

type LintSettings = ServerSettings['lint'];

export interface HarnessOptions {
  /** Initial `hpcJobs` settings the client hands out; `lint` may be partial. */
  readonly settings?: { readonly lint?: Partial<LintSettings> };
  /** Advertise `workspace.configuration` (default true). */
  readonly configuration?: boolean;
  /** `initializationOptions` of the initialize request (the VS Code client sends `clientCommands`). */
  readonly initializationOptions?: InitializationOptions;
}

interface Waiter { readonly from: number; readonly match: (p: PublishDiagnosticsParams) => boolean; readonly resolve: (p: PublishDiagnosticsParams) => void }

export class LspHarness {
  /** What the client answers to `workspace/configuration` for section `hpcJobs`. */
  settings: { lint: Partial<LintSettings> };
  /** How many `workspace/configuration` requests the server made. */
  configurationRequests = 0;
  readonly initializeResult: InitializeResult;

  private readonly published = new Map<string, PublishDiagnosticsParams[]>();
  private readonly waiters = new Map<string, Waiter[]>();
  private readonly texts = new Map<string, TextDocument>();

  private constructor(
    readonly client: ProtocolConnection,
    private readonly serverConnection: ReturnType<typeof createConnection>,
    private readonly pipes: readonly PassThrough[],
    settings: { lint: Partial<LintSettings> },
    init: InitializeResult,
  ) {
    this.settings = settings;
    this.initializeResult = init;
  }

  static async start(options: HarnessOptions = {}): Promise<LspHarness> {
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    const server = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
    startLanguageServer(server);
    const client = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));

    const settings = { lint: { ...(options.settings?.lint ?? {}) } };
    // Handlers are registered before `listen()`; they reach the harness once it exists.
    const ready: { harness?: LspHarness } = {};
    client.onRequest(ConfigurationRequest.type, (params) => {
      if (ready.harness) ready.harness.configurationRequests++;
      const current = ready.harness?.settings ?? settings;
      return params.items.map((item) => (item.section === 'hpcJobs' ? structuredClone(current) : null));
    });
    const early: PublishDiagnosticsParams[] = [];
    client.onNotification(PublishDiagnosticsNotification.type, (p) => (ready.harness ? ready.harness.record(p) : early.push(p)));
    client.listen();

    const init = await client.sendRequest(InitializeRequest.type, {
      processId: null, // a number would make the server poll that process and exit with it
      rootUri: null,
      workspaceFolders: null,
      ...(options.initializationOptions ? { initializationOptions: options.initializationOptions } : {}),
      capabilities: {
        workspace: { configuration: options.configuration !== false, didChangeConfiguration: { dynamicRegistration: false } },
        textDocument: {
          synchronization: { dynamicRegistration: false, didSave: false },
          publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown'] } },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } }, isPreferredSupport: true, dataSupport: true },
          documentSymbol: { hierarchicalDocumentSymbolSupport: true },
          inlayHint: {},
        },
      },
    });
    await client.sendNotification(InitializedNotification.type, {});
    const harness = new LspHarness(client, server, [toServer, toClient], settings, init);
    ready.harness = harness;
    for (const p of early) harness.record(p);
    return harness;
  }

  // ---- documents ----

  /** Opens a document and resolves with the diagnostics the server publishes for it. */
  async open(uri: string, languageId: string, text: string, version = 1): Promise<PublishDiagnosticsParams> {
    this.texts.set(uri, TextDocument.create(uri, languageId, version, text));
    const wait = this.nextDiagnostics(uri, (p) => p.version === version);
    await this.client.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version, text } });
    return wait;
  }

  /** Sends incremental changes (ranges in the text before the change) and resolves with the new diagnostics. */
  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<PublishDiagnosticsParams> {
    const doc = this.document(uri);
    const version = doc.version + 1;
    this.texts.set(uri, TextDocument.update(doc, changes, version));
    const wait = this.nextDiagnostics(uri, (p) => p.version === version);
    await this.client.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
    return wait;
  }

  /** Replaces the whole text, sent as one incremental range change. */
  replaceAll(uri: string, text: string): Promise<PublishDiagnosticsParams> {
    const doc = this.document(uri);
    return this.change(uri, [{ range: { start: { line: 0, character: 0 }, end: doc.positionAt(doc.getText().length) }, text }]);
  }

  /** Closes a document and resolves with the (clearing) diagnostics the server publishes. */
  async close(uri: string): Promise<PublishDiagnosticsParams> {
    this.texts.delete(uri);
    const wait = this.nextDiagnostics(uri);
    await this.client.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    return wait;
  }

  /** The client's copy of an open document. */
  document(uri: string): TextDocument {
    const doc = this.texts.get(uri);
    if (!doc) throw new Error(`${uri} is not open`);
    return doc;
  }

  /**
   * Changes the settings and sends `workspace/didChangeConfiguration`; resolves with the next
   * diagnostics of each of `uris` (the server re-validates every open document).
   */
  async changeSettings(lint: Partial<LintSettings>, uris: readonly string[]): Promise<PublishDiagnosticsParams[]> {
    this.settings = { lint: { ...this.settings.lint, ...lint } };
    const waits = uris.map((u) => this.nextDiagnostics(u));
    await this.client.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    return Promise.all(waits);
  }

  /**
   * Sends the settings in `workspace/didChangeConfiguration` itself, as clients without
   * `workspace/configuration` do; resolves with the next diagnostics of each of `uris`.
   */
  async pushSettings(settings: unknown, uris: readonly string[]): Promise<PublishDiagnosticsParams[]> {
    const waits = uris.map((u) => this.nextDiagnostics(u));
    await this.client.sendNotification(DidChangeConfigurationNotification.type, { settings });
    return Promise.all(waits);
  }

  // ---- diagnostics as events ----

  /** Everything published for `uri` so far, oldest first. */
  diagnosticsHistory(uri: string): readonly PublishDiagnosticsParams[] {
    return this.published.get(uri) ?? [];
  }

  /**
   * The first publication for `uri` from now on (ignoring any already received) that `match`
   * accepts. Fails after a deadline rather than hanging the run.
   */
  nextDiagnostics(uri: string, match: (p: PublishDiagnosticsParams) => boolean = () => true): Promise<PublishDiagnosticsParams> {
    const from = this.diagnosticsHistory(uri).length;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const list = this.waiters.get(uri) ?? [];
        this.waiters.set(uri, list.filter((w) => w !== waiter));
        reject(new Error(`no matching textDocument/publishDiagnostics for ${uri} within ${DEADLINE_MS} ms`));
      }, DEADLINE_MS);
      const waiter: Waiter = { from, match, resolve: (p) => { clearTimeout(timer); resolve(p); } };
      const list = this.waiters.get(uri) ?? [];
      list.push(waiter);
      this.waiters.set(uri, list);
    });
  }

  private record(p: PublishDiagnosticsParams): void {
    const list = this.published.get(p.uri) ?? [];
    list.push(p);
    this.published.set(p.uri, list);
    const index = list.length - 1;
    const waiting = this.waiters.get(p.uri) ?? [];
    const done = waiting.filter((w) => index >= w.from && w.match(p));
    if (done.length === 0) return;
    this.waiters.set(p.uri, waiting.filter((w) => !done.includes(w)));
    for (const w of done) w.resolve(p);
  }

  // ---- requests ----

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.client.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
  }

  /** Completion items (a list's items are flattened). */
  async completion(uri: string, position: Position): Promise<CompletionItem[]> {
    const r: CompletionItem[] | CompletionList | null = await this.client.sendRequest(CompletionRequest.type, { textDocument: { uri }, position });
    return r === null ? [] : Array.isArray(r) ? r : r.items;
  }

  /** Code actions for the diagnostics the server published last that overlap `range`. */
  async codeActions(uri: string, range: Range, diagnostics?: Diagnostic[]): Promise<CodeAction[]> {
    const history = this.diagnosticsHistory(uri);
    const all = diagnostics ?? history[history.length - 1]?.diagnostics ?? [];
    const overlapping = all.filter((d) => !before(d.range.end, range.start) && !before(range.end, d.range.start));
    const r = await this.client.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics: overlapping } });
    return (r ?? []).filter((a): a is CodeAction => 'title' in a && !('command' in a && typeof a.command === 'string'));
  }

  async documentSymbols(uri: string): Promise<DocumentSymbol[]> {
    const r: DocumentSymbol[] | SymbolInformation[] | null = await this.client.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } });
    return (r ?? []) as DocumentSymbol[];
  }

  async inlayHints(uri: string, range?: Range): Promise<InlayHint[]> {
    const doc = this.document(uri);
    const whole = { start: { line: 0, character: 0 }, end: doc.positionAt(doc.getText().length) };
    return (await this.client.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range: range ?? whole })) ?? [];
  }

  /** Sends `shutdown` and closes both ends. (`exit` is not sent: it would end this process.) */
  async shutdown(): Promise<void> {
    await this.client.sendRequest(ShutdownRequest.type);
    this.client.dispose();
    this.serverConnection.dispose();
    for (const p of this.pipes) p.destroy();
  }
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/** Applies a WorkspaceEdit's changes for `uri` to `text`. */
export function applyWorkspaceEdit(text: string, uri: string, edit: WorkspaceEdit | undefined): string {
  const edits: TextEdit[] = [...(edit?.changes?.[uri] ?? [])];
  for (const c of edit?.documentChanges ?? []) {
    if ('textDocument' in c && c.textDocument.uri === uri) edits.push(...c.edits.filter((e): e is TextEdit => 'range' in e));
  }
  return TextDocument.applyEdits(TextDocument.create(uri, 'slurm', 0, text), edits);
}

/** Position of the `index`-th character of the first `needle` in `text` (after `after`, if given). */
export function positionOf(text: string, needle: string, index = 0, after?: string): Position {
  const from = after === undefined ? 0 : text.indexOf(after) + after.length;
  const at = text.indexOf(needle, from);
  if (at < 0 || (after !== undefined && text.indexOf(after) < 0)) throw new Error(`'${needle}' not in text`);
  const offset = at + index;
  const lines = text.slice(0, offset).split('\n');
  return { line: lines.length - 1, character: lines[lines.length - 1]!.length };
}

/** Text of a hover as one string (markdown value or plain strings). */
export function hoverText(h: Hover | null): string {
  if (!h) return '';
  const c = h.contents;
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) return c.map((x) => (typeof x === 'string' ? x : x.value)).join('\n');
  return c.value;
}
