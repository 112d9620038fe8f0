/**
 * The clusters the user configured (`hpcJobs.clusters`), each a SlurmCluster from the runtimes'
 * registry, connected on first use. SSH questions (unknown host key, key passphrase, one-time
 * codes) go through the Prompter; passphrases the user asks to remember live in SecretStorage.
 */
import * as vscode from 'vscode';
import { ClusterRegistry, type ClusterConfig } from '../../../runtimes/src/slurm/clusterRegistry';
import type { SlurmCluster } from '../../../runtimes/src/slurm/slurmCluster';
import type { ConnectionState } from '../../../runtimes/src/transport/transport';
import type { Prompter } from '../ui/prompter';
import { sshPromptsFor } from './sshPrompts';

/** A cluster as the tree and the pickers show it. */
export type ClusterStatus = 'notConnected' | ConnectionState | 'failed';

export interface ClusterChange {
  readonly name: string;
  readonly status: ClusterStatus;
  /** Why the last connection or query failed. */
  readonly error?: string;
}

export const CLUSTERS_SETTING = 'hpcJobs.clusters';

export class ClusterService implements vscode.Disposable {
  private registry: ClusterRegistry;
  private configs: ClusterConfig[] = [];
  private readonly statuses = new Map<string, ClusterChange>();
  private readonly watched = new Set<string>();
  private readonly changeEmitter = new vscode.EventEmitter<ClusterChange | undefined>();
  /** A cluster's connection state changed (undefined: the list of clusters changed). */
  readonly onDidChange = this.changeEmitter.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly secrets: vscode.SecretStorage, private readonly prompter: () => Prompter, private readonly log: vscode.OutputChannel) {
    this.registry = this.newRegistry();
    this.load();
    this.disposables.push(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(CLUSTERS_SETTING)) this.load();
    }));
  }

  private newRegistry(): ClusterRegistry {
    return new ClusterRegistry({ prompts: sshPromptsFor(this.prompter, this.secrets, (m) => this.log.appendLine(m)) });
  }

  /** Reads the setting; clusters whose settings changed reconnect on next use. */
  private load(): void {
    const raw = vscode.workspace.getConfiguration().get<unknown[]>(CLUSTERS_SETTING) ?? [];
    const next = raw.filter(isClusterConfig);
    const before = new Map(this.configs.map((c) => [c.name, JSON.stringify(c)]));
    for (const c of next) {
      if (before.get(c.name) !== JSON.stringify(c)) {
        this.registry.define(c);
        this.watched.delete(c.name);
        this.statuses.delete(c.name);
      }
    }
    const names = new Set(next.map((c) => c.name));
    const removed = this.configs.filter((c) => !names.has(c.name));
    this.configs = next;
    if (removed.length) {
      // The registry cannot forget one cluster; removing one is rare enough that a fresh
      // registry (the others reconnect on next use) is the simple, correct answer.
      const old = this.registry;
      this.registry = this.newRegistry();
      for (const c of next) this.registry.define(c);
      this.watched.clear();
      this.statuses.clear();
      void old.disposeAsync();
    }
    this.changeEmitter.fire(undefined);
  }

  get names(): readonly string[] { return this.configs.map((c) => c.name); }

  config(name: string): ClusterConfig | undefined { return this.configs.find((c) => c.name === name); }

  status(name: string): ClusterChange {
    return this.statuses.get(name) ?? { name, status: 'notConnected' };
  }

  /** The cluster (its connection opens on first command). Throws for an unknown name. */
  get(name: string): SlurmCluster {
    const cluster = this.registry.get(name);
    if (!this.watched.has(name)) {
      this.watched.add(name);
      cluster.transport.onDidChangeState((s) => this.setStatus({ name, status: s }));
      cluster.onDidError((e) => this.setStatus({ name, status: 'failed', error: e.message }));
    }
    return cluster;
  }

  /** Records a failure to reach the cluster (shown on its tree node). */
  reportFailure(name: string, err: unknown): void {
    this.setStatus({ name, status: 'failed', error: err instanceof Error ? err.message : String(err) });
  }

  private setStatus(change: ClusterChange): void {
    this.statuses.set(change.name, change);
    this.changeEmitter.fire(change);
  }

  /** Adds or replaces a cluster in the user's settings. */
  async save(config: ClusterConfig): Promise<void> {
    const setting = vscode.workspace.getConfiguration();
    const current = (setting.inspect<unknown[]>(CLUSTERS_SETTING)?.globalValue ?? []).filter(isClusterConfig);
    const next = [...current.filter((c) => c.name !== config.name), config];
    await setting.update(CLUSTERS_SETTING, next, vscode.ConfigurationTarget.Global);
  }

  async remove(name: string): Promise<void> {
    const setting = vscode.workspace.getConfiguration();
    const current = (setting.inspect<unknown[]>(CLUSTERS_SETTING)?.globalValue ?? []).filter(isClusterConfig);
    await setting.update(CLUSTERS_SETTING, current.filter((c) => c.name !== name), vscode.ConfigurationTarget.Global);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.changeEmitter.dispose();
    this.registry.dispose();
  }
}

function isClusterConfig(v: unknown): v is ClusterConfig {
  return typeof v === 'object' && v !== null && typeof (v as { name?: unknown }).name === 'string' && (v as { name: string }).name.trim() !== '';
}
