/**
 * Composition root of the HPC Jobs extension: wires the parts, owns nothing else.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { RunHandle } from '../../runtimes/src/runtime';
import { registerClusterCommands } from './clusters/clusterCommands';
import { ClusterService } from './clusters/clusterService';
import { registerJobViews } from './jobs/jobViews';
import { JobStore } from './jobs/jobStore';
import { createLanguageClient } from './languageClient';
import { OutputPanels, type OutputPanel, type OutputPanelOptions } from './output/outputPanel';
import { registerRunCommands } from './run/runCommands';
import type { CommandTable, Services } from './services';
import { registerTasks } from './tasks/registerTasks';
import { WindowPrompter, type Prompter } from './ui/prompter';

/** What `activate` returns; tests read it through `extension.exports`. */
export interface HpcJobsApi {
  /** Settles when the language server has started (rejects if it could not). */
  readonly languageClientReady: Promise<void>;
  /** Opens the output panel of a run, or reveals the one it has; tests read the panel's model. */
  showRunOutput(run: RunHandle, options?: OutputPanelOptions): OutputPanel;
  /** For tests: the shared parts, and the seam that answers quick picks and dialogs. */
  readonly services: Services;
  /** Replaces the window's prompter (undefined restores it). */
  setPrompter(prompter: Prompter | undefined): void;
}

// The one piece of module state: `deactivate` gets no context, yet must stop the client and
// save the job list before the window goes.
let active: { client: LanguageClient; store: JobStore } | undefined;

export function activate(context: vscode.ExtensionContext): HpcJobsApi {
  try {
    const languageClient = createLanguageClient(context);
    context.subscriptions.push(languageClient);
    const languageClientReady = languageClient.start();
    // Shown to the user; the API's promise still rejects for callers that wait on it.
    languageClientReady.catch((err: unknown) => showActivationError('the Slurm language server did not start', err));

    const windowPrompter = new WindowPrompter();
    let prompter: Prompter = windowPrompter;
    const log = vscode.window.createOutputChannel('HPC Jobs');
    const clusters = new ClusterService(context.secrets, () => prompter, log);
    const store = new JobStore(context.workspaceState, clusters, {
      logDir: () => vscode.workspace.getConfiguration('hpcJobs').get<string>('run.logDirectory') || undefined,
    });
    const outputPanels = new OutputPanels(context.extensionUri);
    context.subscriptions.push(log, clusters, store, outputPanels);
    active = { client: languageClient, store };

    const services: Services = { context, store, clusters, outputPanels, prompter: () => prompter, log };
    const commands: CommandTable = {
      ...registerJobViews(services),
      ...registerRunCommands(services),
      ...registerClusterCommands(services, languageClient),
      ...registerTasks(services),
    };
    for (const [id, handler] of Object.entries(commands)) {
      context.subscriptions.push(vscode.commands.registerCommand(id, handler as (...args: unknown[]) => unknown));
    }
    store.restore();

    return {
      languageClientReady,
      showRunOutput: (run, options) => outputPanels.show(run, options),
      services,
      setPrompter: (p) => { prompter = p ?? windowPrompter; },
    };
  } catch (err) {
    showActivationError('activation failed', err);
    throw err;
  }
}

export async function deactivate(): Promise<void> {
  const current = active;
  active = undefined;
  if (!current) return;
  await current.store.shutdown();
  // A client whose start failed has nothing to stop (stop() would reject).
  if (current.client.needsStop()) await current.client.stop();
}

function showActivationError(what: string, err: unknown): void {
  const detail = err instanceof Error ? err.message : String(err);
  void vscode.window.showErrorMessage(`HPC Jobs: ${what}: ${detail}`);
}
