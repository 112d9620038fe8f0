/**
 * The entry of out/languageClient.js, loaded by lazy/lazyLanguageClient.ts once a document the server
 * serves is open: starts the Slurm-script language server (out/server.js) in a Node process over
 * IPC, and keeps the server's cluster profile in step with `hpcJobs.lint.cluster`.
 */
import * as path from 'node:path';
import type { ExtensionContext } from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { USE_LF_COMMAND, type InitializationOptions } from '../../server/src/protocol';
import { ClusterProfileSync } from './clusters/clusterProfileSync';
import type { Services } from './services';
import { SLURM_DOCUMENTS } from './slurmDocuments';

/** The client id also names the trace setting the client reads: `hpcJobs.trace.server`. */
export const CLIENT_ID = 'hpcJobs';
export const CLIENT_NAME = 'HPC Jobs: Slurm language server';
/** Port the server's inspector listens on when the extension runs in debug mode. */
export const SERVER_INSPECT_PORT = 6011;

export interface StartedClient {
  readonly client: LanguageClient;
  readonly profiles: ClusterProfileSync;
  /** Settles when the server has started (rejects if it could not). */
  readonly ready: Promise<void>;
}

/** Creates the client and the profile sync (both disposed with the extension), and starts the server. */
export function startLanguageClient(services: Services): StartedClient {
  const client = createLanguageClient(services.context);
  services.context.subscriptions.push(client);
  const ready = client.start();
  const profiles = new ClusterProfileSync(client, services);
  services.context.subscriptions.push(profiles);
  return { client, profiles, ready };
}

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
    documentSelector: SLURM_DOCUMENTS.map((d) => ({ ...d })),
    // Settings reach the server both ways: pulled with workspace/configuration (per resource,
    // for `hpcJobs.lint.slurmVersion`) and pushed with didChangeConfiguration on change.
    synchronize: { configurationSection: 'hpcJobs' },
    // Quick fixes the client does itself (registered by the tasks area: lint/lineEndings.ts).
    initializationOptions: { clientCommands: [USE_LF_COMMAND] } satisfies InitializationOptions,
  };
  return new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
}
