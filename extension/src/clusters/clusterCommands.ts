/**
 * The cluster commands: add (with a connection test), remove, connect, forget passphrases and
 * salloc in a terminal; and the cluster profile handed to the language server for
 * `hpcJobs.lint.cluster`. Commands from a tree node get `{ name }`; from the palette they ask.
 */
import * as vscode from 'vscode';
import type { CommandTable, Services } from '../services';
import { checkTrusted } from '../ui/trust';
import { addCluster, presetsFrom } from './addCluster';
import { AllocationTerminal } from './allocationTerminal';
import { splitSallocOptions } from './clusterInputs';
import { pickCluster } from './clusterPick';
import type { ClusterProfileSync } from './clusterProfileSync';
import { describeConnectionFailure } from './connectionFailure';

/** What salloc is asked for unless the user changes it: one task for half an hour. */
export const DEFAULT_SALLOC_OPTIONS = '--ntasks=1 --time=30';

/** `profiles`: the language client's profile sync (it starts with the client, see lazy/lazyLanguageClient.ts). */
export function clusterCommands(services: Services, profiles: Pick<ClusterProfileSync, 'refreshIfLinted'>): CommandTable {
  const { clusters } = services;

  const clusterFor = (arg: unknown, title: string, alwaysAsk = false) =>
    pickCluster(clusters, services.prompter(), arg, { title, noneMessage: 'No clusters yet.', alwaysAsk });

  async function remove(arg: unknown): Promise<boolean> {
    const name = await clusterFor(arg, 'Remove Cluster', true);
    if (name === undefined) return false;
    const answer = await services.prompter().message('cluster.removeConfirm', `Remove the cluster "${name}"?`, {
      severity: 'warning', modal: true,
      detail: 'It is taken out of the "hpcJobs.clusters" setting. Jobs already submitted keep running on the cluster.',
    }, 'Remove');
    if (answer !== 'Remove') return false;
    await clusters.remove(name);
    return true;
  }

  async function connect(arg: unknown): Promise<boolean> {
    const name = await clusterFor(arg, 'Connect to Cluster');
    if (name === undefined) return false;
    const where = clusters.config(name)?.ssh ?? 'this machine';
    try {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Connecting to ${name} (${where})…` },
        () => clusters.connect(name));
    } catch (err) {
      // connect() has put the error on the cluster's node; say it here too, the user asked.
      const text = describeConnectionFailure(name, where, err);
      void services.prompter().message('cluster.connectFailed', text.message, { severity: 'error', ...(text.detail ? { detail: text.detail } : {}) });
      return false;
    }
    await profiles.refreshIfLinted(name);
    return true;
  }

  async function forgetSecrets(): Promise<number> {
    const forgotten = await clusters.passphrases.forgetAll();
    void services.prompter().message('cluster.forgotSecrets', forgotten.length
      ? `Forgot the saved passphrase${forgotten.length === 1 ? '' : 's'} of ${forgotten.join(', ')}.`
      : 'No passphrases were saved.', { severity: 'info' });
    return forgotten.length;
  }

  /** Resolves with the terminal's Pseudoterminal (tests read its transcript), undefined if none opened. */
  async function allocate(arg: unknown): Promise<AllocationTerminal | undefined> {
    if (!checkTrusted(services.prompter())) return undefined;
    const name = await clusterFor(arg, 'Start Interactive Allocation (salloc)');
    if (name === undefined) return undefined;
    const typed = await services.prompter().input('cluster.sallocOptions', {
      title: `salloc on ${name}`,
      prompt: 'salloc options; a shell opens in the allocation, and leaving it (or closing the terminal) releases it',
      value: DEFAULT_SALLOC_OPTIONS,
      validate: (v) => { const r = splitSallocOptions(v); return 'problem' in r ? r.problem : undefined; },
    });
    if (typed === undefined) return undefined;
    const split = splitSallocOptions(typed);
    if ('problem' in split) return undefined;
    const cluster = clusters.get(name);
    const pty = new AllocationTerminal(['salloc', ...split.args].join(' '),
      (size) => cluster.allocate(split.args, size),
      (err) => clusters.reportFailure(name, err));
    const terminal = vscode.window.createTerminal({ name: `salloc: ${name}`, pty, iconPath: new vscode.ThemeIcon('terminal') });
    terminal.show();
    return pty;
  }

  return {
    'hpcJobs.clusters.add': (arg?: unknown) => addCluster(services, presetsFrom(arg)),
    'hpcJobs.clusters.remove': remove,
    'hpcJobs.clusters.connect': connect,
    'hpcJobs.clusters.forgetSecrets': forgetSecrets,
    'hpcJobs.clusters.allocate': allocate,
  };
}
