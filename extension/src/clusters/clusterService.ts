/**
 * The clusters the user configured (`hpcJobs.clusters`), each a SlurmCluster from the runtimes'
 * registry, connected on first use. SSH questions (unknown host key, key passphrase, one-time
 * codes) go through the Prompter; passphrases the user asks to remember live in SecretStorage.
 */
import * as vscode from 'vscode';
import type { ClusterConfig, SlurmCluster, SshPrompts } from '../../../runtimes/src/slurm/index';
import { LazyClusterRegistry, slurmRuntime } from '../lazy/lazySlurm';
import type { Prompter } from '../ui/prompter';
import { setting, settingChanged, updateSetting, userSetting } from '../settings/settings';
import type { ClusterFact } from './clusterStatus';
import { PassphraseStore } from './passphraseStore';
import { sshPromptsFor } from './sshPrompts';

export class ClusterService implements vscode.Disposable {
  private registry: LazyClusterRegistry;
  private configs: ClusterConfig[] = [];
  private readonly statuses = new Map<string, ClusterFact>();
  private readonly watched = new Set<string>();
  private readonly changeEmitter = new vscode.EventEmitter<ClusterFact | undefined>();
  /** A cluster's connection state changed (undefined: the list of clusters changed). */
  readonly onDidChange = this.changeEmitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  /** Passphrases the user chose to remember (SecretStorage, with an index to forget them all). */
  readonly passphrases: PassphraseStore;
  private readonly prompts: SshPrompts;
  /** Clusters connected while being added, waiting for their settings entry to be read. */
  private readonly adoptions = new Map<string, { readonly config: ClusterConfig; readonly cluster: SlurmCluster }>();

  constructor(secrets: vscode.SecretStorage, prompter: () => Prompter, private readonly log: vscode.OutputChannel) {
    this.passphrases = new PassphraseStore(secrets);
    this.prompts = sshPromptsFor(prompter, this.passphrases, (m) => this.log.appendLine(m));
    this.registry = this.newRegistry();
    this.load();
    this.disposables.push(vscode.workspace.onDidChangeConfiguration((e) => {
      if (settingChanged(e, 'clusters')) this.load();
    }));
  }

  private newRegistry(): LazyClusterRegistry {
    return new LazyClusterRegistry({ prompts: this.prompts });
  }

  /** Reads the setting; clusters whose settings changed reconnect on next use. */
  private load(): void {
    const next = setting('clusters').filter(isClusterConfig);
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
    // After any registry swap above, so an adopted connection lands in the registry in use.
    for (const [name, a] of this.adoptions) {
      const c = next.find((x) => x.name === name);
      if (!c) continue;
      this.adoptions.delete(name);
      if (sameConfig(c, a.config)) this.install(c, a.cluster);
      else { a.cluster.dispose(); void a.cluster.transport.dispose(); }
    }
    this.changeEmitter.fire(undefined);
  }

  get names(): readonly string[] { return this.configs.map((c) => c.name); }

  config(name: string): ClusterConfig | undefined { return this.configs.find((c) => c.name === name); }

  status(name: string): ClusterFact {
    return this.statuses.get(name) ?? { name, status: 'notConnected' };
  }

  /** Every configured cluster's status, in the settings' order. */
  allStatuses(): ClusterFact[] { return this.names.map((name) => this.status(name)); }

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

  /**
   * A cluster for `config` outside the registry, asking its SSH questions like the others: Add
   * Cluster tests the connection with it before anything is saved.
   */
  createCandidate(config: ClusterConfig): SlurmCluster {
    return slurmRuntime().slurmClusterFor(config, { prompts: this.prompts });
  }

  /**
   * Takes over a candidate that connected for a cluster just saved, so its connection, the host
   * key trusted once, the passphrase typed and the profile read are not asked for again. The
   * settings change may be read before or after this call; either way the cluster is used
   * only if its entry is the same as `config`.
   */
  adopt(config: ClusterConfig, cluster: SlurmCluster): void {
    const current = this.config(config.name);
    if (current && sameConfig(current, config)) this.install(current, cluster);
    else {
      const pending = this.adoptions.get(config.name);
      if (pending) { pending.cluster.dispose(); void pending.cluster.transport.dispose(); }
      this.adoptions.set(config.name, { config, cluster });
    }
  }

  private install(config: ClusterConfig, cluster: SlurmCluster): void {
    this.registry.define(config);
    this.registry.add(cluster);
    this.watched.delete(config.name);
    this.get(config.name);
    this.setStatus({ name: config.name, status: cluster.transport.state });
  }

  /**
   * Connects now (an SSH handshake, or nothing for this machine) and reads the cluster's
   * profile again. A connection that failed for good (host key, authentication) is replaced by
   * a fresh one, so fixing known_hosts or the key and connecting again works without a reload.
   */
  async connect(name: string): Promise<SlurmCluster> {
    let cluster = this.get(name);
    const config = this.config(name);
    if (cluster.transport.state === 'closed' && config) {
      this.registry.define(config);
      this.watched.delete(name);
      cluster = this.get(name);
    }
    try {
      if (cluster.transport instanceof slurmRuntime().SshTransport) await cluster.transport.connect();
      await cluster.profile(true);
    } catch (err) {
      this.reportFailure(name, err);
      throw err;
    }
    this.setStatus({ name, status: cluster.transport.state });
    return cluster;
  }

  /** Records a failure to reach the cluster (shown on its tree node). */
  reportFailure(name: string, err: unknown): void {
    this.setStatus({ name, status: 'failed', error: err instanceof Error ? err.message : String(err) });
  }

  private setStatus(change: ClusterFact): void {
    this.statuses.set(change.name, change);
    this.changeEmitter.fire(change);
  }

  /** Adds or replaces a cluster in the user's settings. */
  async save(config: ClusterConfig): Promise<void> {
    const next = [...userClusters().filter((c) => c.name !== config.name), config];
    await updateSetting('clusters', next, vscode.ConfigurationTarget.Global);
  }

  async remove(name: string): Promise<void> {
    await updateSetting('clusters', userClusters().filter((c) => c.name !== name), vscode.ConfigurationTarget.Global);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    for (const a of this.adoptions.values()) { a.cluster.dispose(); void a.cluster.transport.dispose(); }
    this.adoptions.clear();
    this.changeEmitter.dispose();
    this.registry.dispose();
  }
}

/** The same settings entry, whatever the order of its keys. */
function sameConfig(a: ClusterConfig, b: ClusterConfig): boolean {
  const canonical = (v: unknown): unknown => (Array.isArray(v) ? v.map(canonical)
    : typeof v === 'object' && v !== null ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => x.localeCompare(y)).map(([k, x]) => [k, canonical(x)])) : v);
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** The clusters in the user's settings (where Add and Remove write), without the workspace's. */
function userClusters(): ClusterConfig[] {
  const user = userSetting('clusters');
  return Array.isArray(user) ? user.filter(isClusterConfig) : [];
}

function isClusterConfig(v: unknown): v is ClusterConfig {
  return typeof v === 'object' && v !== null && typeof (v as { name?: unknown }).name === 'string' && (v as { name: string }).name.trim() !== '';
}
