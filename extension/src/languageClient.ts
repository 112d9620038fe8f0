/**
 * Starts the Slurm-script language server (out/server.js) in a Node process over IPC.
 * The server lints `slurm` documents and `shellscript` documents (it reports on their
 * `#SBATCH` lines only), from disk and unsaved.
 */
import * as path from 'node:path';
import type { ExtensionContext } from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type DocumentSelector,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';

/** The client id also names the trace setting the client reads: `hpcJobs.trace.server`. */
export const CLIENT_ID = 'hpcJobs';
export const CLIENT_NAME = 'HPC Jobs: Slurm language server';
/** Port the server's inspector listens on when the extension runs in debug mode. */
export const SERVER_INSPECT_PORT = 6011;

export const DOCUMENT_SELECTOR: DocumentSelector = [
  { scheme: 'file', language: 'slurm' },
  { scheme: 'untitled', language: 'slurm' },
  { scheme: 'file', language: 'shellscript' },
  { scheme: 'untitled', language: 'shellscript' },
];

export function createLanguageClient(context: ExtensionContext): LanguageClient {
  const module = context.asAbsolutePath(path.join('out', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: {
      module,
      transport: TransportKind.ipc,
      options: { execArgv: ['--nolazy', `--inspect=${SERVER_INSPECT_PORT}`] },
    },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    // Settings reach the server both ways: pulled with workspace/configuration (per resource,
    // for `hpcJobs.lint.slurmVersion`) and pushed with didChangeConfiguration on change.
    synchronize: { configurationSection: 'hpcJobs' },
  };
  return new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
}
