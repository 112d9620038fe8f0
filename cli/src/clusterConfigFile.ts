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
import type { ClusterConfig } from '../../runtimes/src/slurm/index';

export function clustersFilePath(env: NodeJS.ProcessEnv = process.env): string {
  if (env['HPC_JOBS_CONFIG']) return env['HPC_JOBS_CONFIG'];
  const base = env['XDG_CONFIG_HOME'] || path.join(os.homedir(), '.config');
  return path.join(base, 'hpc-jobs', 'clusters.json');
}

/** A clusters file that cannot be used: said with the file's name and what is wrong, never a stack trace (exit 2). */
export class ClustersFileError extends Error {}

type Check = (v: unknown) => string | undefined;
const text: Check = (v) => (typeof v === 'string' && v !== '' ? undefined : 'a non-empty string');
const CHECKS: Record<string, Check> = {
  ssh: text,
  workDir: text,
  identityFile: text,
  env: (v) => (v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string') ? undefined : 'an object of strings, e.g. {"SLURM_CONF": "/etc/slurm/slurm.conf"}'),
  knownHostsFiles: (v) => (Array.isArray(v) && v.every((x) => typeof x === 'string' && x !== '') ? undefined : 'an array of file names'),
  squeue: (v) => (v === 'auto' || v === 'json' || v === 'format' ? undefined : '"auto", "json" or "format"'),
  pollIntervalMs: (v) => (typeof v === 'number' && Number.isFinite(v) && v >= 100 ? undefined : 'a number of milliseconds, at least 100'),
};

/** "line 3, column 5" for a JSON.parse message's "position N". */
function where(textRead: string, message: string): string {
  const m = /position (\d+)/.exec(message);
  if (!m) return '';
  const before = textRead.slice(0, Number(m[1]));
  const line = before.split('\n').length;
  return ` at line ${line}, column ${before.length - before.lastIndexOf('\n')}`;
}

/**
 * The clusters of the file; an empty list when the default file does not exist. A file named by
 * $HPC_JOBS_CONFIG that cannot be read, or any file that is malformed, is refused with the reason:
 * ignoring it would take the cluster's name for a host name.
 */
export function loadClusters(named?: string): Map<string, ClusterConfig> {
  const file = named ?? clustersFilePath();
  const explicit = named !== undefined || !!process.env['HPC_JOBS_CONFIG'];
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT' && !explicit) return new Map();
    const why = err.code === 'ENOENT' ? 'there is no such file' : err.code === 'EISDIR' ? 'it is a folder, not a file'
      : err.code === 'EACCES' ? 'you may not read it' : err.message;
    throw new ClustersFileError(`cannot read the clusters file ${file}${process.env['HPC_JOBS_CONFIG'] === file ? ' (named by $HPC_JOBS_CONFIG)' : ''}: ${why}.`);
  }
  // A byte-order mark (Windows editors write one) is no JSON, but no mistake either.
  const body = raw.replace(/^\uFEFF/, '');
  let doc: unknown;
  try { doc = JSON.parse(body); } catch (e) {
    const msg = (e as Error).message;
    throw new ClustersFileError(`${file}: not valid JSON${where(body, msg)} (${msg.replace(/ in JSON at position \d+.*$/s, '')}).`);
  }
  const clusters = doc && typeof doc === 'object' && !Array.isArray(doc) ? (doc as { clusters?: unknown }).clusters : undefined;
  if (!clusters || typeof clusters !== 'object' || Array.isArray(clusters)) throw new ClustersFileError(`${file}: expected {"clusters": {"NAME": {...}}}.`);
  const out = new Map<string, ClusterConfig>();
  for (const [name, v] of Object.entries(clusters as Record<string, unknown>)) {
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new ClustersFileError(`${file}: cluster "${name}" must be an object.`);
    const unknown = Object.keys(v).filter((k) => !(k in CHECKS));
    if (unknown.length) throw new ClustersFileError(`${file}: cluster "${name}": unknown setting ${unknown.map((k) => `"${k}"`).join(', ')} (known: ${Object.keys(CHECKS).join(', ')}).`);
    for (const [key, value] of Object.entries(v)) {
      const want = CHECKS[key]!(value);
      if (want) throw new ClustersFileError(`${file}: cluster "${name}": "${key}" must be ${want}, not ${JSON.stringify(value)}.`);
    }
    out.set(name, { ...(v as Omit<ClusterConfig, 'name'>), name });
  }
  return out;
}

/** NAME from the file, else NAME as an SSH destination. */
export function resolveCluster(name: string, clusters: ReadonlyMap<string, ClusterConfig>): ClusterConfig {
  return clusters.get(name) ?? { name, ssh: name };
}
