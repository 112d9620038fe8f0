/** What the parts of the extension share, built once in `activate`. */
import type * as vscode from 'vscode';
import type { ClusterService } from './clusters/clusterService';
import type { JobStore } from './jobs/jobStore';
import type { OutputPanels } from './output/outputPanels';
import type { JobEntry, RunRequest } from './jobs/jobEntry';
import type { Prompter } from './ui/prompter';

export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly store: JobStore;
  readonly clusters: ClusterService;
  readonly outputPanels: OutputPanels;
  /** Starts a request (runStarter.ts) and adds it to the store. */
  readonly start: (request: RunRequest) => Promise<JobEntry>;
  /** The current prompter: the window's, or a test's. Read it at the moment of asking. */
  readonly prompter: () => Prompter;
  /** "HPC Jobs" output channel: connection notes, launch commands. */
  readonly log: vscode.OutputChannel;
}

/**
 * Command id → handler. Each area returns its table; `activate` registers them all in one
 * place, so the commands the manifest declares and the ones registered can be compared.
 */
export type CommandTable = Readonly<Record<string, (...args: never[]) => unknown>>;
