/**
 * Which cluster `--cluster NAME` means. NAME is looked up in the clusters file; anything else
 * is an SSH destination (a ~/.ssh/config alias, host, user@host, user@host:port).
 *
 * The clusters file: $HPC_JOBS_CONFIG, else $XDG_CONFIG_HOME/hpc-jobs/clusters.json
 * (~/.config/hpc-jobs/clusters.json):
 *   {
 *     "clusters": {
 *       "hpc":   { "ssh": "alice@login.hpc.example.org", "workDir": "~/jobs" },
 *       "test":  { "ssh": "hpcuser@127.0.0.1:2222", "identityFile": "/path/key", "knownHostsFiles": ["/path/known_hosts"] },
 *       "here":  { "workDir": "~/hpc-jobs" },
 *       "other": { "ssh": "hpc", "env": { "SLURM_CONF": "/etc/slurm-other/slurm.conf" } }
 *     }
 *   }
 * No "ssh": the Slurm commands run on this machine (a login node). Other keys: "squeue"
 * ("json" | "format" | "auto"), "pollIntervalMs".
 */
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ClusterConfig } from '../../runtimes/src/slurm/clusterRegistry';

export function clustersFilePath(env: NodeJS.ProcessEnv = process.env): string {
  if (env['HPC_JOBS_CONFIG']) return env['HPC_JOBS_CONFIG'];
  const base = env['XDG_CONFIG_HOME'] || path.join(os.homedir(), '.config');
  return path.join(base, 'hpc-jobs', 'clusters.json');
}

const KEYS = new Set(['ssh', 'workDir', 'env', 'identityFile', 'knownHostsFiles', 'squeue', 'pollIntervalMs']);

/** The clusters of the file; an empty list when there is no file. Throws with the file's name when it is malformed. */
export function loadClusters(file = clustersFilePath()): Map<string, ClusterConfig> {
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch { return new Map(); }
  let doc: unknown;
  try { doc = JSON.parse(text); } catch (e) { throw new Error(`${file}: not valid JSON (${(e as Error).message}).`); }
  const clusters = (doc as { clusters?: unknown }).clusters;
  if (!clusters || typeof clusters !== 'object' || Array.isArray(clusters)) throw new Error(`${file}: expected {"clusters": {"NAME": {...}}}.`);
  const out = new Map<string, ClusterConfig>();
  for (const [name, v] of Object.entries(clusters as Record<string, unknown>)) {
    if (!v || typeof v !== 'object') throw new Error(`${file}: cluster "${name}" must be an object.`);
    const unknown = Object.keys(v).filter((k) => !KEYS.has(k));
    if (unknown.length) throw new Error(`${file}: cluster "${name}": unknown setting ${unknown.map((k) => `"${k}"`).join(', ')} (known: ${[...KEYS].join(', ')}).`);
    out.set(name, { ...(v as Omit<ClusterConfig, 'name'>), name });
  }
  return out;
}

/** NAME from the file, else NAME as an SSH destination. */
export function resolveCluster(name: string, clusters: ReadonlyMap<string, ClusterConfig>): ClusterConfig {
  return clusters.get(name) ?? { name, ssh: name };
}
