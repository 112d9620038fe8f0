/** Wires an LSP connection to the features; no logic of its own. `server.ts` starts it on IPC/stdio. */
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind, TextDocuments, TextDocumentSyncKind, type Connection, type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentAnalyses, hasDirectives } from './documentAnalyses';
import { codeActionsFor } from './features/codeActions';
import { completionsAt } from './features/completion';
import { toLspDiagnostic } from './features/diagnostics';
import { hoverAt } from './features/hover';
import { resourceHints } from './features/inlayHints';
import { documentSymbols } from './features/symbols';
import type { ClusterProfile } from './clusterProfile';
import type { LintOptions } from './lint';
import { ClusterProfileNotification, DEFAULT_SETTINGS, clusterProfileFromJson, type InitializationOptions, type ServerSettings } from './protocol';

export function startLanguageServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const analyses = new DocumentAnalyses();
  const settings = new Map<string, Promise<ServerSettings>>();
  let canPullConfiguration = false;
  /** The cluster scripts are checked against (from the client); undefined: no SBATCH2xx rules. */
  let cluster: ClusterProfile | undefined;

  /** Commands the client runs itself: quick fixes that name one are sent as that command. */
  let clientCommands: ReadonlySet<string> = new Set();

  connection.onInitialize((params): InitializeResult => {
    canPullConfiguration = params.capabilities.workspace?.configuration === true;
    const init = params.initializationOptions as InitializationOptions | null | undefined;
    clientCommands = new Set(Array.isArray(init?.clientCommands) ? init.clientCommands.filter((c) => typeof c === 'string') : []);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['-', '=', '%', ','] },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        documentSymbolProvider: true,
        inlayHintProvider: true,
      },
      serverInfo: { name: 'hpc-jobs-slurm' },
    };
  });

  function settingsFor(uri: string): Promise<ServerSettings> {
    if (!canPullConfiguration) return Promise.resolve(DEFAULT_SETTINGS);
    let s = settings.get(uri);
    if (!s) {
      s = connection.workspace.getConfiguration({ scopeUri: uri, section: 'hpcJobs' })
        .then((v: Partial<ServerSettings> | null) => ({ lint: { ...DEFAULT_SETTINGS.lint, ...(v?.lint ?? {}) } }))
        .catch(() => DEFAULT_SETTINGS);
      settings.set(uri, s);
    }
    return s;
  }

  function lintOptions(uri: string, s: ServerSettings): LintOptions {
    const filePath = uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
    return {
      ...(filePath ? { filePath, directoryExists: (p: string) => { try { return fs.statSync(p).isDirectory(); } catch { return false; } } } : {}),
      ...(s.lint.slurmVersion ? { slurmVersion: s.lint.slurmVersion } : {}),
      ...(cluster ? { cluster } : {}),
    };
  }

  async function analysisOf(uri: string) {
    const doc = documents.get(uri);
    if (!doc) return undefined;
    const s = await settingsFor(uri);
    const analysis = analyses.get(doc, lintOptions(uri, s));
    return { doc, analysis, settings: s, served: doc.languageId !== 'shellscript' || hasDirectives(analysis) };
  }

  async function validate(uri: string): Promise<void> {
    const a = await analysisOf(uri);
    if (!a) return;
    const diagnostics = a.served ? a.analysis.diagnostics.map(toLspDiagnostic) : [];
    await connection.sendDiagnostics({ uri, version: a.doc.version, diagnostics });
  }

  documents.onDidChangeContent((e) => void validate(e.document.uri));
  documents.onDidClose((e) => {
    analyses.forget(e.document.uri);
    settings.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });
  connection.onDidChangeConfiguration(() => {
    settings.clear();
    for (const doc of documents.all()) void validate(doc.uri);
  });
  connection.onNotification(ClusterProfileNotification.type, (p) => {
    cluster = p.profile ? clusterProfileFromJson(p.profile) : undefined;
    // The analyses are cached per version and release, not per profile: drop them all.
    for (const doc of documents.all()) {
      analyses.forget(doc.uri);
      void validate(doc.uri);
    }
  });

  connection.onHover(async (p) => {
    const a = await analysisOf(p.textDocument.uri);
    return a?.served ? hoverAt(a.analysis, p.position) : null;
  });
  connection.onCompletion(async (p) => {
    const a = await analysisOf(p.textDocument.uri);
    return a?.served ? completionsAt(a.analysis, p.position) : [];
  });
  connection.onCodeAction((p) => codeActionsFor(p, clientCommands));
  connection.onDocumentSymbol(async (p) => {
    const a = await analysisOf(p.textDocument.uri);
    return a?.served ? documentSymbols(a.analysis) : [];
  });
  connection.languages.inlayHint.on(async (p) => {
    const a = await analysisOf(p.textDocument.uri);
    return a?.served && a.settings.lint.resourceSummary ? resourceHints(a.analysis) : [];
  });

  documents.listen(connection);
  connection.listen();
}
