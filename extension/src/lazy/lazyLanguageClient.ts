/**
 * The Slurm language client, loaded (out/languageClient.js: vscode-languageclient and the LSP
 * protocol, three times the size of what activation loads) and started only once it has
 * something to serve: when a batch script or shell script is open, or when an API caller waits
 * for it. The extension also activates on startup, in windows that never open one.
 */
import * as vscode from 'vscode';
import type * as LanguageClientBundle from '../languageClient';
import { lazyBundle, whenDocumentOpen } from './lazyBundle';
import type { Services } from '../services';
import { SLURM_DOCUMENTS } from '../slurmDocuments';

const languageClientBundle = lazyBundle<typeof LanguageClientBundle>('languageClient');

export class LazyLanguageClient implements vscode.Disposable {
  private started: LanguageClientBundle.StartedClient | undefined;
  private ready: Promise<void> | undefined;
  private readonly trigger: vscode.Disposable;

  /** `onStartFailed` tells the user; `start()`'s promise still rejects for callers that wait on it. */
  constructor(private readonly services: Services, private readonly onStartFailed: (err: unknown) => void) {
    this.trigger = whenDocumentOpen(SLURM_DOCUMENTS, () => void this.start());
  }

  /** Loads and starts the client, once; settles when the server has started (rejects if it could not). */
  start(): Promise<void> {
    if (!this.ready) {
      try {
        this.started = languageClientBundle().startLanguageClient(this.services);
        this.ready = this.started.ready;
      } catch (err) {
        this.ready = Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
      this.ready.catch(this.onStartFailed);
    }
    return this.ready;
  }

  /** After Connect: reads the cluster's profile again if the linter uses it. Not started: nothing holds a profile. */
  refreshIfLinted(name: string): Promise<void> {
    return this.started ? this.started.profiles.refreshIfLinted(name) : Promise.resolve();
  }

  /** For `deactivate`: stops the server if one runs (a client whose start failed has nothing to stop). */
  async stop(): Promise<void> {
    const client = this.started?.client;
    if (client?.needsStop()) await client.stop();
  }

  dispose(): void {
    this.trigger.dispose();
  }
}
