/** Wires an LSP connection to the features; no logic of its own. `server.ts` starts it on IPC/stdio. */
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind, MessageType, ShowMessageNotification, TextDocuments, TextDocumentSyncKind, type Connection, type InitializeResult,
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
import { ClusterProfileNotification, DEFAULT_SETTINGS, DIAGNOSTIC_SOURCE, clusterProfileFromJson, type InitializationOptions, type ServerSettings } from './protocol';

/** What the host of the server adds. VS Code's client sends cluster profiles; `hpc-jobs lsp` reads them. */
export interface ServerHooks {
  /**
   * The profile of the cluster `hpcJobs.lint.cluster` names, read once per name (again after a
   * configuration change). Rejects with a message for the user; the scripts are then linted without it.
   */
  readonly loadClusterProfile?: (name: string) => Promise<ClusterProfile>;
}

/** Language ids editors give shell scripts (VS Code, Neovim, Emacs, Helix): served only with directives. */
const SHELL_LANGUAGES = new Set(['shellscript', 'sh', 'bash', 'zsh', 'ksh']);

/** The `hpcJobs` section as a client gave it (any JSON), over the defaults. */
function withDefaults(section: unknown): ServerSettings {
  const lint = (section as { lint?: unknown } | null | undefined)?.lint;
  return { lint: { ...DEFAULT_SETTINGS.lint, ...(lint && typeof lint === 'object' ? lint as Partial<ServerSettings['lint']> : {}) } };
}

export function startLanguageServer(connection: Connection, hooks: ServerHooks = {}): void {
  const documents = new TextDocuments(TextDocument);
  const analyses = new DocumentAnalyses();
  const settings = new Map<string, Promise<ServerSettings>>();
  let canPullConfiguration = false;
  /** Settings a client without `workspace/configuration` pushed in `didChangeConfiguration` (Neovim 0.7). */
  let pushedSettings: ServerSettings = DEFAULT_SETTINGS;
  /** The cluster scripts are checked against (from the client); undefined: no SBATCH2xx rules. */
  let cluster: ClusterProfile | undefined;
  /** Profiles read through `hooks.loadClusterProfile`, by cluster name; undefined: could not be read. */
  const loadedProfiles = new Map<string, Promise<ClusterProfile | undefined>>();

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
    if (!canPullConfiguration) return Promise.resolve(pushedSettings);
    let s = settings.get(uri);
    if (!s) {
      s = connection.workspace.getConfiguration({ scopeUri: uri, section: 'hpcJobs' })
        .then(withDefaults)
        .catch(() => DEFAULT_SETTINGS);
      settings.set(uri, s);
    }
    return s;
  }

  function clusterFor(s: ServerSettings): Promise<ClusterProfile | undefined> {
    const name = s.lint.cluster;
    if (!hooks.loadClusterProfile || typeof name !== 'string' || name === '') return Promise.resolve(cluster);
    let p = loadedProfiles.get(name);
    if (!p) {
      // A failure is kept until the configuration changes: not one SSH attempt per keystroke.
      p = hooks.loadClusterProfile(name).catch((e: unknown) => {
        // window/showMessage, a notification: showWarningMessage is a request, which not every client answers.
        void connection.sendNotification(ShowMessageNotification.type, {
          type: MessageType.Warning, message: `hpc-jobs: linting without cluster "${name}": ${e instanceof Error ? e.message : String(e)}`,
        });
        return undefined;
      });
      loadedProfiles.set(name, p);
    }
    return p;
  }

  function lintOptions(uri: string, s: ServerSettings, cluster: ClusterProfile | undefined): LintOptions {
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
    const analysis = analyses.get(doc, lintOptions(uri, s, await clusterFor(s)));
    return { doc, analysis, settings: s, served: !SHELL_LANGUAGES.has(doc.languageId) || hasDirectives(analysis) };
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
  connection.onDidChangeConfiguration((p) => {
    if (!canPullConfiguration) pushedSettings = withDefaults((p.settings as { hpcJobs?: unknown } | null | undefined)?.hpcJobs);
    settings.clear();
    loadedProfiles.clear();
    // The analyses are cached per version and release, not per cluster, which may have changed.
    for (const doc of documents.all()) {
      if (hooks.loadClusterProfile) analyses.forget(doc.uri);
      void validate(doc.uri);
    }
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
  connection.onCodeAction(async (p) => {
    // Only when a diagnostic came back without its fixes in `data` is the analysis needed.
    const bare = p.context.diagnostics.some((d) => d.source === DIAGNOSTIC_SOURCE && !(d.data as { fixes?: unknown } | undefined)?.fixes);
    const a = bare ? await analysisOf(p.textDocument.uri) : undefined;
    return codeActionsFor(p, clientCommands, a?.served ? a.analysis.diagnostics : []);
  });
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
