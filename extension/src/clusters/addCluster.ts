/**
 * "Add Cluster…": where (a `~/.ssh/config` host, a typed `user@host[:port]`, or Slurm on this
 * machine), a name, then a real connection test — SSH handshake with its host-key, passphrase
 * and one-time-code questions, then the Slurm profile (sinfo, scontrol) — before anything is
 * saved. A failure is shown with what went wrong and Retry / Save Anyway / Cancel.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ClusterProfile } from '../../../server/src/clusterProfile';
import { SshConfig, type ClusterConfig, type SlurmCluster } from '../../../runtimes/src/slurm/index';
import { slurmRuntime } from '../lazy/lazySlurm';
import type { Services } from '../services';
import type { PickItem } from '../ui/prompter';
import {
  clusterNameProblem, configuredHosts, destinationProblem, expandHome, extraKeyFiles, keyFileProblem, suggestClusterName,
} from './clusterInputs';
import { describeConnectionFailure } from './connectionFailure';

/**
 * Settings given in advance instead of asked for. A test seam: the in-host tests pass a key
 * and a scratch known_hosts file (`executeCommand('hpcJobs.clusters.add', { identityFile,
 * knownHostsFiles })`) so they need no ~/.ssh; the menus pass nothing.
 */
export interface AddClusterPresets {
  readonly identityFile?: string;
  readonly knownHostsFiles?: readonly string[];
}

export function presetsFrom(arg: unknown): AddClusterPresets {
  if (typeof arg !== 'object' || arg === null) return {};
  const { identityFile, knownHostsFiles } = arg as { identityFile?: unknown; knownHostsFiles?: unknown };
  return {
    ...(typeof identityFile === 'string' && identityFile ? { identityFile } : {}),
    ...(Array.isArray(knownHostsFiles) && knownHostsFiles.every((f) => typeof f === 'string') ? { knownHostsFiles: knownHostsFiles as string[] } : {}),
  };
}

type Target =
  | { readonly kind: 'ssh'; readonly destination: string; readonly typed: boolean }
  | { readonly kind: 'local' };

/**
 * The step counter counts the questions this path asks: where (1), a typed destination, the
 * name, and the key for a typed destination. Where is asked before the path is known: it
 * counts the shortest path (a configured host or this machine: where and a name).
 */
interface Steps { readonly name: number; readonly key: number; readonly total: number }
function stepsFor(typed: boolean, asksKey: boolean): Steps {
  if (!typed) return { name: 2, key: 0, total: 2 };
  return asksKey ? { name: 3, key: 4, total: 4 } : { name: 3, key: 0, total: 3 };
}

const TITLE = 'Add Cluster';

/** Runs the flow; resolves with the name saved, or undefined when nothing was. */
export async function addCluster(services: Services, presets: AddClusterPresets): Promise<string | undefined> {
  const typed = (t: Target | undefined) => t?.kind === 'ssh' && t.typed;
  // A ~/.ssh/config host brings its own IdentityFile, or ssh-agent and the default keys: no question.
  const asksKey = presets.identityFile === undefined;
  const target = await chooseTarget(services, stepsFor(true, asksKey).total);
  if (!target) return undefined;
  const steps = stepsFor(typed(target), asksKey);
  const existing = services.clusters.names;
  const name = await services.prompter().input('cluster.name', {
    title: TITLE, step: steps.name, totalSteps: steps.total,
    prompt: 'A name for the cluster, shown in the job tree and used by `hpc-jobs --cluster`',
    value: suggestClusterName(target.kind === 'ssh' ? target.destination : os.hostname() || 'local', existing),
    validate: (v) => clusterNameProblem(v, existing),
  });
  if (name === undefined) return undefined;

  let identityFile = presets.identityFile;
  if (target.kind === 'ssh' && target.typed && identityFile === undefined) {
    const chosen = await chooseKey(services, steps);
    if (chosen === null) return undefined;
    identityFile = chosen;
  }
  const config: ClusterConfig = {
    name,
    ...(target.kind === 'ssh' ? { ssh: target.destination } : {}),
    ...(target.kind === 'ssh' && identityFile ? { identityFile } : {}),
    ...(target.kind === 'ssh' && presets.knownHostsFiles ? { knownHostsFiles: presets.knownHostsFiles } : {}),
  };
  const where = target.kind === 'ssh' ? target.destination : 'this machine';

  for (;;) {
    const outcome = await testConnection(services, config, where);
    if (outcome.kind === 'cancelled') return undefined;
    if (outcome.kind === 'connected') {
      try {
        await services.clusters.save(config);
      } catch (err) {
        outcome.cluster.dispose();
        void outcome.cluster.transport.dispose();
        throw err;
      }
      services.clusters.adopt(config, outcome.cluster);
      void services.prompter().message('cluster.added', `Added cluster "${name}": ${profileSummary(outcome.profile)}.`, { severity: 'info' });
      return name;
    }
    const text = describeConnectionFailure(name, where, outcome.error);
    services.log.appendLine(`Add Cluster: ${text.message}`);
    // Modal: the flow waits for the answer, and the dialog's own Cancel saves nothing.
    const answer = await services.prompter().message('cluster.connectFailed', text.message,
      { severity: 'error', modal: true, ...(text.detail ? { detail: text.detail } : {}) }, 'Retry', 'Save Anyway');
    if (answer === 'Save Anyway') {
      await services.clusters.save(config);
      return name;
    }
    if (answer !== 'Retry') return undefined;
  }
}

/** `typedTotal`: the steps of the path through a typed destination. */
async function chooseTarget(services: Services, typedTotal: number): Promise<Target | undefined> {
  type Choice = { kind: 'alias'; alias: string } | { kind: 'typed' } | { kind: 'local' };
  const items: PickItem<Choice>[] = [
    ...configuredHosts(SshConfig.load()).map((h): PickItem<Choice> => ({
      label: h.alias, description: h.description, icon: 'remote', value: { kind: 'alias', alias: h.alias },
      ...(h.identityFilesConfigured ? {} : { detail: 'ssh-agent or the default keys' }),
    })),
    { label: 'Type a destination…', description: 'user@host[:port]', icon: 'edit', value: { kind: 'typed' } },
    { label: 'Slurm on this machine', description: 'no SSH: a login node, or a Remote-SSH window', icon: 'vm', value: { kind: 'local' } },
  ];
  const choice = await services.prompter().pick('cluster.host', items, {
    title: TITLE, step: 1, totalSteps: stepsFor(false, false).total, placeholder: 'A host from ~/.ssh/config, an SSH destination, or this machine',
  });
  if (!choice) return undefined;
  if (choice.kind === 'local') return { kind: 'local' };
  if (choice.kind === 'alias') return { kind: 'ssh', destination: choice.alias, typed: false };
  const typed = await services.prompter().input('cluster.destination', {
    title: TITLE, step: 2, totalSteps: typedTotal,
    prompt: 'SSH destination: user@host, or user@host:port',
    placeholder: 'alice@login.example.org',
    validate: destinationProblem,
  });
  return typed === undefined ? undefined : { kind: 'ssh', destination: typed.trim(), typed: true };
}

/** The key for a typed destination: '' for ssh-agent and the default keys, null when dismissed. */
async function chooseKey(services: Services, steps: Steps): Promise<string | null> {
  const sshDir = path.join(os.homedir(), '.ssh');
  const other = '\0other';
  const items: PickItem<string>[] = [
    { label: 'ssh-agent and the default keys', description: '~/.ssh/id_ed25519, id_ecdsa, id_rsa', icon: 'key', value: '' },
    ...extraKeyFiles(sshDir).map((f) => ({ label: f.replace(os.homedir(), '~'), icon: 'key', value: f })),
    { label: 'Another key file…', icon: 'file', value: other },
  ];
  const chosen = await services.prompter().pick('cluster.identity', items, { title: TITLE, step: steps.key, totalSteps: steps.total, placeholder: 'Which private key logs in?' });
  if (chosen === undefined) return null;
  if (chosen !== other) return chosen;
  const file = await services.prompter().input('cluster.identityFile', {
    title: TITLE, step: steps.key, totalSteps: steps.total, prompt: 'Path of the private key file',
    validate: (v) => keyFileProblem(expandHome(v.trim(), os.homedir())),
  });
  return file === undefined ? null : expandHome(file.trim(), os.homedir());
}

type Outcome =
  | { readonly kind: 'connected'; readonly cluster: SlurmCluster; readonly profile: ClusterProfile }
  | { readonly kind: 'failed'; readonly error: unknown }
  | { readonly kind: 'cancelled' };

async function testConnection(services: Services, config: ClusterConfig, where: string): Promise<Outcome> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Connecting to ${where}`, cancellable: true }, async (progress, token) => {
    const cluster = services.clusters.createCandidate(config);
    const drop = () => { cluster.dispose(); void cluster.transport.dispose(); };
    const work = (async () => {
      if (cluster.transport instanceof slurmRuntime().SshTransport) {
        progress.report({ message: `SSH to ${cluster.transport.description}…` });
        await cluster.transport.connect();
      }
      progress.report({ message: 'reading the Slurm configuration (sinfo, scontrol)…' });
      return cluster.profile();
    })();
    const cancelled = new Promise<'cancelled'>((resolve) => token.onCancellationRequested(() => resolve('cancelled')));
    try {
      const result = await Promise.race([work, cancelled]);
      if (result === 'cancelled') {
        work.catch(() => undefined);
        drop();
        return { kind: 'cancelled' };
      }
      return { kind: 'connected', cluster, profile: result };
    } catch (error) {
      drop();
      return { kind: 'failed', error };
    }
  });
}

function profileSummary(p: ClusterProfile): string {
  const partitions = p.partitions.map((x) => (x.isDefault ? `${x.name} (default)` : x.name)).join(', ');
  return [p.slurmVersion ? `Slurm ${p.slurmVersion}` : 'Slurm', partitions ? `partitions ${partitions}` : 'no partitions', `${p.nodes.length} node${p.nodes.length === 1 ? '' : 's'}`].join(', ');
}
