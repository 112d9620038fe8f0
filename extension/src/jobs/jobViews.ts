/**
 * The job area's wiring: the Jobs tree view, its queue polling, the details documents, the
 * status bar item and badge, the context keys the manifest's `when` clauses read, and the
 * commands. Everything goes into the extension's subscriptions.
 */
import * as vscode from 'vscode';
import type { CommandTable, Services } from '../services';
import { holdCommands } from './holdCommands';
import { jobCommands, type JobCommandContext } from './jobCommands';
import { DETAILS_SCHEME, JobDetails } from './jobDetails';
import { JobTreeProvider, type JobTreeElement } from './jobTree';
import { QueuePoller } from './queuePoller';
import { JobNotifier } from './jobNotifier';
import { OutcomeReader } from './outcomeReader';
import { ScriptHistory } from './scriptHistory';
import { JobStatusBar } from './statusBar';

export interface JobViews {
  readonly commands: CommandTable;
  readonly tree: JobTreeProvider;
  readonly view: vscode.TreeView<JobTreeElement>;
  readonly poller: QueuePoller;
  readonly statusBar: JobStatusBar;
}

/** `launch`: the run area's (Resubmit starts a request as a first run does). */
export function createJobViews(services: Services, launch: JobCommandContext['launch']): JobViews {
  const { store, clusters, context } = services;
  const poller = new QueuePoller(store, clusters, context.workspaceState, (line) => services.log.appendLine(line));
  const tree = new JobTreeProvider(store, clusters, poller);
  const view = vscode.window.createTreeView('hpcJobs.jobs', { treeDataProvider: tree, showCollapseAll: true, canSelectMany: true });
  const details = new JobDetails((key) => tree.entry(key), clusters);
  const statusBar = new JobStatusBar(store, clusters, tree, view);
  const outcomes = new OutcomeReader(store, clusters, new ScriptHistory(context.workspaceState), (line) => services.log.appendLine(line));
  const notifier = new JobNotifier(store, services.prompter);

  const onVisibility = (visible: boolean) => { tree.setVisible(visible); poller.setVisible(visible); };
  onVisibility(view.visible);

  // Context keys: set only when they change (each is a round trip to the window).
  const keys = new Map<string, boolean>();
  const setKey = (key: string, value: boolean) => {
    if (keys.get(key) === value) return;
    keys.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  };
  setKey('hpcJobs.hasJobs', store.size > 0);
  setKey('hpcJobs.hasClusters', clusters.names.length > 0);

  context.subscriptions.push(
    poller, tree, view, details, statusBar, outcomes, notifier,
    vscode.workspace.registerTextDocumentContentProvider(DETAILS_SCHEME, details),
    view.onDidChangeVisibility((e) => onVisibility(e.visible)),
    store.onDidChange(() => setKey('hpcJobs.hasJobs', store.size > 0)),
    clusters.onDidChange(() => setKey('hpcJobs.hasClusters', clusters.names.length > 0)),
  );
  const commands = { ...jobCommands({ services, tree, view, poller, details, launch }), ...holdCommands({ services, tree, view, poller }) };
  return { commands, tree, view, poller, statusBar };
}
