/**
 * What the Slurm subcommands share: `--cluster NAME` (clusters file or SSH destination),
 * `--identity FILE`, `--known-hosts FILE`, opening the cluster, and turning failures
 * (unreachable, auth, host key, controller down, lint errors) into a message and exit 1.
 */
import { LaunchError } from '../../runtimes/src/runtime';
import { closeCluster, slurmClusterFor, SlurmQueryError, TransportError, type ClusterConfig, type SlurmCluster } from '../../runtimes/src/slurm/index';
import { loadClusters, resolveCluster } from './clusterConfigFile';
import { UsageError, type Io, type ParsedOptions } from './command';
import { terminalPrompts } from './terminalPrompts';

export const CLUSTER_OPTIONS = {
  cluster: { type: 'string', short: 'c' },
  identity: { type: 'string', short: 'i' },
  'known-hosts': { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const CLUSTER_USAGE = `  --cluster, -c NAME   a cluster from the clusters file ($HPC_JOBS_CONFIG or ~/.config/hpc-jobs/clusters.json)
                       or an SSH destination: ~/.ssh/config alias, host, user@host, user@host:port
  --identity, -i FILE  private key to try first
  --known-hosts FILE   known_hosts file to use instead of ~/.ssh/known_hosts
  --verbose, -v        say what the connection does (reconnects, skipped ssh_config lines)`;

export const CLUSTERS_FILE_HELP = `The clusters file (JSON):
  { "clusters": {
      "hpc":  { "ssh": "alice@login.example.org", "workDir": "~/jobs" },
      "test": { "ssh": "hpcuser@127.0.0.1:2222", "identityFile": "/path/key", "knownHostsFiles": ["/path/known_hosts"] },
      "here": { "workDir": "~/hpc-jobs" } } }
  "ssh" is a destination as above (none: Slurm runs on this machine); optional "env" (e.g. SLURM_CONF),
  "squeue" ("json" | "format" | "auto"), "pollIntervalMs". Host keys are checked against known_hosts:
  an unknown key is asked about on a terminal and refused otherwise.`;

export interface OpenedCluster {
  readonly cluster: SlurmCluster;
  close(): Promise<void>;
}

export function openCluster(values: ParsedOptions['values'], io: Io): OpenedCluster {
  const name = values['cluster'] as string | undefined;
  if (!name) throw new UsageError('--cluster NAME is required.');
  const base = resolveCluster(name, loadClusters());
  const config: ClusterConfig = {
    ...base,
    ...(values['identity'] ? { identityFile: values['identity'] as string } : {}),
    ...(values['known-hosts'] ? { knownHostsFiles: [values['known-hosts'] as string] } : {}),
  };
  const cluster = slurmClusterFor(config, { prompts: terminalPrompts(io, { verbose: values['verbose'] === true }) });
  return { cluster, close: () => closeCluster(cluster) };
}

/** Prints a failure the user can act on; returns the exit status (1), or rethrows a bug. */
export function reportFailure(e: unknown, io: Io, command: string): number {
  if (e instanceof TransportError || e instanceof LaunchError || e instanceof SlurmQueryError) {
    io.stderr.write(`hpc-jobs ${command}: ${e.message}\n${e.hint ? `  ${e.hint}\n` : ''}`);
    return 1;
  }
  throw e;
}
