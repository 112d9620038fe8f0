/**
 * Which cluster a command is for: the one it was given (a name from a CodeLens or a test, or a
 * tree node's `{ name }`), else the only one, else the one the user picks. Every command that
 * needs a cluster asks here, so they all name, list and refuse clusters the same way.
 */
import * as vscode from 'vscode';
import type { Prompter } from '../ui/prompter';
import type { ClusterService } from './clusterService';
import { clusterStatusWords } from './clusterStatus';

export interface ClusterPickOptions {
  /** The pick's title: "Connect to Cluster", "Submit job.slurm to". */
  readonly title: string;
  /** Said, with an Add Cluster… button, when none is configured. */
  readonly noneMessage: string;
  /** Ask even when there is only one (a destructive action should name its target). */
  readonly alwaysAsk?: boolean;
}

/** The cluster's name, or undefined when there is none, the given one is unknown, or the pick was dismissed. */
export async function pickCluster(clusters: ClusterService, prompter: Prompter, arg: unknown, options: ClusterPickOptions): Promise<string | undefined> {
  const given = typeof arg === 'string' ? arg
    : typeof arg === 'object' && arg !== null && typeof (arg as { name?: unknown }).name === 'string' ? (arg as { name: string }).name : undefined;
  if (given !== undefined) {
    if (clusters.config(given)) return given;
    void prompter.message('cluster.unknown', `No cluster named "${given}" is configured (hpcJobs.clusters).`, { severity: 'error' });
    return undefined;
  }
  const all = clusters.allStatuses();
  if (all.length === 0) {
    const ADD = 'Add Cluster…';
    if (await prompter.message('cluster.none', options.noneMessage, { severity: 'info' }, ADD) === ADD) {
      await vscode.commands.executeCommand('hpcJobs.clusters.add');
    }
    return undefined;
  }
  if (all.length === 1 && !options.alwaysAsk) return all[0]!.name;
  return prompter.pick('cluster.pick', all.map((c) => ({
    label: c.name, value: c.name, icon: 'server',
    description: clusterStatusWords(c.status), detail: clusters.config(c.name)?.ssh ?? 'this machine',
  })), { title: options.title, placeholder: 'Which cluster' });
}
