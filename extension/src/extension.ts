/**
 * Composition root of the HPC Jobs extension: wires the parts, owns nothing else.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { RunHandle } from '../../runtimes/src/runtime';
import { createLanguageClient } from './languageClient';
import { OutputPanels, type OutputPanel, type OutputPanelOptions } from './output/outputPanel';

/** What `activate` returns; tests read it through `extension.exports`. */
export interface HpcJobsApi {
  /** Settles when the language server has started (rejects if it could not). */
  readonly languageClientReady: Promise<void>;
  /** Opens the output panel of a run, or reveals the one it has; tests read the panel's model. */
  showRunOutput(run: RunHandle, options?: OutputPanelOptions): OutputPanel;
}

// The one piece of module state: `deactivate` gets no context, yet must return the client's
// stop() so VS Code waits for the server to shut down.
let client: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): HpcJobsApi {
  try {
    const languageClient = createLanguageClient(context);
    client = languageClient;
    context.subscriptions.push(languageClient);

    const languageClientReady = languageClient.start();
    // Shown to the user; the API's promise still rejects for callers that wait on it.
    languageClientReady.catch((err: unknown) => showActivationError('the Slurm language server did not start', err));

    const outputPanels = new OutputPanels(context.extensionUri);
    context.subscriptions.push(outputPanels);

    return { languageClientReady, showRunOutput: (run, options) => outputPanels.show(run, options) };
  } catch (err) {
    showActivationError('activation failed', err);
    throw err;
  }
}

export function deactivate(): Thenable<void> | undefined {
  // A client whose start failed has nothing to stop (stop() would reject).
  const stopping = client?.needsStop() ? client.stop() : undefined;
  client = undefined;
  return stopping;
}

function showActivationError(what: string, err: unknown): void {
  const detail = err instanceof Error ? err.message : String(err);
  void vscode.window.showErrorMessage(`HPC Jobs: ${what}: ${detail}`);
}
