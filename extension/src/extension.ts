/**
 * Composition root of the HPC Jobs extension: wires the parts, owns nothing else. What
 * activation does not need loads later from bundles of its own (lazy/lazyBundle.ts): the language
 * client once a batch script is open, the run commands and launchers on first use, ssh2 on the
 * first SSH connection.
 */
import * as vscode from 'vscode';
import type { RunHandle } from '../../runtimes/src/runtime';
import { clusterCommands } from './clusters/clusterCommands';
import { ClusterService } from './clusters/clusterService';
import { createJobViews, type JobViews } from './jobs/jobViews';
import { JobStore } from './jobs/jobStore';
import { lazyLoadTimes } from './lazy/lazyBundle';
import { LazyLanguageClient } from './lazy/lazyLanguageClient';
import { lazyRunArea } from './lazy/lazyRun';
import { trackOpenedBatchScript } from './walkthrough/walkthroughProgress';
import type { OutputPanel, OutputPanelOptions } from './output/outputPanel';
import { OutputPanels } from './output/outputPanels';
import { runStarter } from './runStarter';
import type { CommandTable, Services } from './services';
import { standaloneCommands } from './standaloneCommands';
import { registerTaskProvider } from './tasks/hpcTaskProvider';
import { WindowPrompter, type Prompter } from './ui/prompter';

/** What `activate` returns; tests read it through `extension.exports`. */
export interface HpcJobsApi {
  /**
   * Settles when the language server has started (rejects if it could not). The server starts
   * when a batch script or shell script is open; reading this starts it if none is.
   */
  readonly languageClientReady: Promise<void>;
  /** Opens the output panel of a run, or reveals the one it has; tests read the panel's model. */
  showRunOutput(run: RunHandle, options?: OutputPanelOptions): OutputPanel;
  /** For tests: the shared parts, and the seam that answers quick picks and dialogs. */
  readonly services: Services;
  /** Replaces the window's prompter (undefined restores it). */
  setPrompter(prompter: Prompter | undefined): void;
  /** How long activation took (bench/extensionHost.ts). */
  readonly timings: ActivationTimings;
  /** For tests: the job tree's provider, view, queue polling and status bar. */
  readonly jobViews: JobViews;
}

/** In ms. CPU time is the extension host process's: on a busy machine it is the steadier figure. */
export interface ActivationTimings {
  /** Loading out/extension.js's modules (its compilation comes before and is not in it). */
  readonly loadMs: number;
  readonly loadCpuMs: number;
  /** The synchronous part of `activate`. */
  readonly activateMs: number;
  readonly activateCpuMs: number;
  /** Each lazily loaded bundle's load (compilation included), once it has come: what moved out of activation. */
  readonly lazyLoadMs: Readonly<Record<string, number>>;
}

/** Set by esbuild's banner, the first statements of out/extension.js (absent when not bundled). */
declare const __hpcJobsLoadStart: number | undefined;
declare const __hpcJobsLoadCpu: NodeJS.CpuUsage | undefined;
const cpuMsSince = (start: NodeJS.CpuUsage) => { const d = process.cpuUsage(start); return (d.user + d.system) / 1000; };
// This module's body runs after every module it imports: the difference is their load time.
const loadMs = typeof __hpcJobsLoadStart === 'number' ? performance.now() - __hpcJobsLoadStart : Number.NaN;
const loadCpuMs = typeof __hpcJobsLoadCpu === 'object' ? cpuMsSince(__hpcJobsLoadCpu) : Number.NaN;

// The one piece of module state: `deactivate` gets no context, yet must stop the client and
// save the job list before the window goes.
let active: { languageClient: LazyLanguageClient; store: JobStore } | undefined;

export function activate(context: vscode.ExtensionContext): HpcJobsApi {
  const activateStart = performance.now();
  const activateCpu = process.cpuUsage();
  try {
    const windowPrompter = new WindowPrompter();
    let prompter: Prompter = windowPrompter;
    const log = vscode.window.createOutputChannel('HPC Jobs');
    const clusters = new ClusterService(context.secrets, () => prompter, log);
    const store = new JobStore(context.workspaceState, clusters);
    const outputPanels = new OutputPanels(context.extensionUri, context.globalState);
    context.subscriptions.push(log, clusters, store, outputPanels);

    const services: Services = { context, store, clusters, outputPanels, start: runStarter(store, clusters), prompter: () => prompter, log };
    const languageClient = new LazyLanguageClient(services,
      (err) => showActivationError('the Slurm language server did not start', err));
    context.subscriptions.push(languageClient);
    active = { languageClient, store };
    const runArea = lazyRunArea(services);
    const jobViews = createJobViews(services, runArea.launch);
    const commands: CommandTable = {
      ...jobViews.commands,
      ...runArea.commands,
      ...clusterCommands(services, languageClient),
      ...standaloneCommands(services),
    };
    registerTaskProvider(services);
    for (const [id, handler] of Object.entries(commands)) {
      context.subscriptions.push(vscode.commands.registerCommand(id, handler as (...args: unknown[]) => unknown));
    }
    // A job's figures come from accounting after it ended: its open panel shows them too.
    context.subscriptions.push(store.onDidChange((keys) => {
      for (const key of keys) {
        const badge = store.get(key)?.outcome?.badge;
        const handle = badge ? store.handle(key) : undefined;
        if (handle) outputPanels.get(handle.id)?.setOutcome(badge!);
      }
    }));
    store.restore();
    trackOpenedBatchScript(context);

    return {
      get languageClientReady() { return languageClient.start(); },
      showRunOutput: (run, options) => outputPanels.show(run, options),
      services,
      setPrompter: (p) => { prompter = p ?? windowPrompter; },
      timings: {
        loadMs, loadCpuMs,
        activateMs: performance.now() - activateStart, activateCpuMs: cpuMsSince(activateCpu),
        lazyLoadMs: lazyLoadTimes(),
      },
      jobViews,
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
  await current.languageClient.stop();
}

function showActivationError(what: string, err: unknown): void {
  const detail = err instanceof Error ? err.message : String(err);
  void vscode.window.showErrorMessage(`HPC Jobs: ${what}: ${detail}`);
}
