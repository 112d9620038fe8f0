/**
 * Several clusters at once: each name gets its own transport (one SSH connection), tracker and
 * profile, created on first use and kept until disposed. A cluster is described by a
 * `ClusterConfig` (settings file, CLI) or given ready-made.
 */
import type { Disposable } from '../events';
import { LocalTransport } from '../transport/localTransport';
import { SshConfig } from '../transport/sshConfig';
import type { SshPrompts } from '../transport/sshPrompts';
import { SshTransport } from '../transport/sshTransport';
import type { Transport } from '../transport/transport';
import type { SqueueMode } from './jobTracker';
import { SlurmCluster } from './slurmCluster';

export interface ClusterConfig {
  readonly name: string;
  /** SSH destination: ~/.ssh/config alias, host, user@host, user@host:port. Absent: this machine. */
  readonly ssh?: string;
  /** Folder on the cluster for scripts; default ~/hpc-jobs. */
  readonly workDir?: string;
  /** Environment for every Slurm command (e.g. {"SLURM_CONF": "/etc/slurm-b/slurm.conf"}). */
  readonly env?: Readonly<Record<string, string>>;
  /** Private key to try first. */
  readonly identityFile?: string;
  /** known_hosts file(s) to use instead of ~/.ssh/known_hosts. */
  readonly knownHostsFiles?: readonly string[];
  readonly squeue?: SqueueMode;
  readonly pollIntervalMs?: number;
}

export interface RegistryOptions {
  readonly prompts?: SshPrompts;
  readonly sshConfig?: SshConfig;
}

export function transportFor(config: ClusterConfig, options: RegistryOptions = {}): Transport {
  if (!config.ssh) return new LocalTransport();
  return new SshTransport({
    destination: config.ssh,
    ...(options.sshConfig ? { sshConfig: options.sshConfig } : {}),
    ...(options.prompts ? { prompts: options.prompts } : {}),
    ...(config.identityFile ? { identityFiles: [config.identityFile] } : {}),
    ...(config.knownHostsFiles ? { knownHostsFiles: config.knownHostsFiles } : {}),
  });
}

/**
 * The one place a config becomes a SlurmCluster (the registry, Add Cluster's connection test,
 * the CLI's one-call clusters): its transport, folder, environment and queue settings.
 * Connects on first use; `closeCluster` ends it.
 */
export function slurmClusterFor(config: ClusterConfig, options: RegistryOptions = {}): SlurmCluster {
  return new SlurmCluster({
    name: config.name, transport: transportFor(config, options),
    ...(config.workDir ? { workDir: config.workDir } : {}),
    ...(config.env ? { env: config.env } : {}),
    ...(config.squeue ? { squeueMode: config.squeue } : {}),
    ...(config.pollIntervalMs ? { pollIntervalMs: config.pollIntervalMs } : {}),
  });
}

/** Stops a cluster's tracking and closes its connection. */
export async function closeCluster(cluster: SlurmCluster): Promise<void> {
  cluster.dispose();
  await cluster.transport.dispose();
}

export class ClusterRegistry implements Disposable {
  private readonly clusters = new Map<string, SlurmCluster>();
  private readonly configs = new Map<string, ClusterConfig>();

  constructor(private readonly options: RegistryOptions = {}) {}

  /** Declares (or replaces the settings of) a cluster; connects on first use. */
  define(config: ClusterConfig): void {
    const old = this.clusters.get(config.name);
    if (old) { old.dispose(); void old.transport.dispose(); this.clusters.delete(config.name); }
    this.configs.set(config.name, config);
  }

  /** Adds a cluster built elsewhere (tests, a custom transport). */
  add(cluster: SlurmCluster): void {
    if (this.clusters.has(cluster.name)) throw new Error(`Cluster "${cluster.name}" is already registered.`);
    this.clusters.set(cluster.name, cluster);
  }

  get names(): readonly string[] { return [...new Set([...this.configs.keys(), ...this.clusters.keys()])]; }

  get(name: string): SlurmCluster {
    const have = this.clusters.get(name);
    if (have) return have;
    const config = this.configs.get(name);
    if (!config) throw new Error(`No cluster named "${name}" (known: ${this.names.join(', ') || 'none'}).`);
    const cluster = slurmClusterFor(config, this.options);
    this.clusters.set(name, cluster);
    return cluster;
  }

  async disposeAsync(): Promise<void> {
    const all = [...this.clusters.values()];
    this.clusters.clear();
    for (const c of all) c.dispose();
    await Promise.all(all.map((c) => c.transport.dispose()));
  }

  dispose(): void { void this.disposeAsync(); }
}
