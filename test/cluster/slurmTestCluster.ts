/**
 * The real test cluster (test/cluster/up.sh) as the Slurm-over-SSH tests see it: connection
 * details from cluster.env, a known_hosts file with its host key, transports and clusters for
 * the test user, and the sshd process of one of our connections (to drop it on purpose).
 * Not a test file: imported by *.test.ts here and by bench/slurmRefresh.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SlurmCluster, type SlurmClusterOptions } from '../../runtimes/src/slurm/slurmCluster';
import { SshConfig } from '../../runtimes/src/transport/sshConfig';
import type { SshPrompts } from '../../runtimes/src/transport/sshPrompts';
import { SshTransport, type SshTransportOptions } from '../../runtimes/src/transport/sshTransport';

export const BASE = process.env['HPC_TEST_CLUSTER_BASE'] ?? '/tmp/hpc-test-cluster';
export const JOBS_DIR = path.join(__dirname, 'jobs');

export interface ClusterEnv {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly key: string;
  readonly hostKeyPub: string;
  readonly accounting: boolean;
}

export function readClusterEnv(): ClusterEnv | undefined {
  let text: string;
  try { text = readFileSync(path.join(BASE, 'cluster.env'), 'utf8'); } catch { return undefined; }
  const kv = new Map(text.split('\n').map((l) => l.split('=')).filter((p) => p.length >= 2).map(([k, ...v]) => [k!, v.join('=')]));
  const host = kv.get('SLURM_SSH_HOST');
  if (!host) return undefined;
  return {
    host, port: Number(kv.get('SLURM_SSH_PORT') ?? 22), user: kv.get('SLURM_SSH_USER') ?? 'hpcuser',
    key: kv.get('SLURM_SSH_KEY') ?? '', hostKeyPub: kv.get('SLURM_SSH_HOSTKEY_PUB') ?? '', accounting: kv.get('SLURM_ACCOUNTING') === '1',
  };
}

export const clusterRequired = process.env['CI'] === 'true' || process.env['HPC_JOBS_REQUIRE_CLUSTER'] === '1';

/**
 * Synchronous, so a whole `describe` can be skipped: the cluster env file and an open SSH port
 * (bash's /dev/tcp, 2 s at most).
 */
export function clusterAvailability(): { env: ClusterEnv; reason?: undefined } | { env?: undefined; reason: string } {
  const env = readClusterEnv();
  if (!env) return { reason: `no ${BASE}/cluster.env (start the cluster with test/cluster/up.sh)` };
  const r = spawnSync('bash', ['-c', `exec 3<>/dev/tcp/${env.host}/${env.port}`], { timeout: 2000 });
  if (r.status !== 0) return { reason: `nothing listens on ${env.host}:${env.port} (run test/cluster/up.sh)` };
  return { env };
}

/** `describe` options: skip with the reason, unless a cluster is required (then the suite runs and fails loudly). */
export function suiteOptions(a: ReturnType<typeof clusterAvailability>, extra: { concurrency?: boolean; timeout?: number } = {}): { skip?: string; concurrency?: boolean; timeout?: number } {
  return a.env || clusterRequired ? extra : { ...extra, skip: `no cluster: ${a.reason}` };
}

/** The cluster env, or an error naming why there is none (for suites that run because a cluster is required). */
export function requireEnv(a: ReturnType<typeof clusterAvailability>): ClusterEnv {
  if (a.env) return a.env;
  throw new Error(`no cluster: ${a.reason} (required because CI=true or HPC_JOBS_REQUIRE_CLUSTER=1)`);
}

/** A scratch folder removed at exit. */
export function scratch(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** known_hosts with the cluster's host key, as `[host]:port`. */
export function knownHostsFor(env: ClusterEnv, dir: string): string {
  const f = path.join(dir, 'known_hosts');
  const [type, key] = readFileSync(env.hostKeyPub, 'utf8').trim().split(/\s+/);
  writeFileSync(f, `[${env.host}]:${env.port} ${type} ${key}\n`);
  return f;
}

export function transport(env: ClusterEnv, knownHosts: string, extra: Partial<SshTransportOptions> & { prompts?: SshPrompts } = {}): SshTransport {
  return new SshTransport({
    destination: `${env.user}@${env.host}:${env.port}`,
    sshConfig: SshConfig.parse(''),
    identityFiles: [env.key],
    knownHostsFiles: [knownHosts],
    agentSocket: null,
    ...extra,
  });
}

export function cluster(t: SshTransport, extra: Partial<SlurmClusterOptions> = {}): SlurmCluster {
  return new SlurmCluster({ name: 'test', transport: t, pollIntervalMs: 500, ...extra });
}

/** A run's own folder on the cluster, under the test user's home. */
export function runFolder(label: string): string {
  return `~/hpc-jobs-test/${label}-${process.pid}-${Date.now().toString(36)}`;
}

/**
 * PIDs of the sshd processes serving our connection from local `port`: the socket inode from
 * /proc/net/tcp (sshd's side: local :SSH_PORT, peer :port), then which sshd holds it.
 */
export function sshdPidsForClientPort(sshPort: number, clientPort: number): number[] {
  const hex = (n: number): string => n.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try { text = readFileSync(f, 'utf8'); } catch { continue; }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10) continue;
      if (cols[1]!.endsWith(`:${hex(sshPort)}`) && cols[2]!.endsWith(`:${hex(clientPort)}`)) inodes.add(cols[9]!);
    }
  }
  const pids: number[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let comm = '';
    try { comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim(); } catch { continue; }
    if (comm !== 'sshd') continue;
    let fds: string[] = [];
    try { fds = readdirSync(`/proc/${pid}/fd`); } catch { continue; }
    if (fds.some((fd) => { try { return inodes.has(/^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1] ?? ''); } catch { return false; } })) {
      pids.push(Number(pid));
    }
  }
  return pids;
}

/** Ends the sshd processes of our connection from `clientPort` (SIGTERM); how many there were. */
export function killSshdSession(sshPort: number, clientPort: number): number {
  const pids = sshdPidsForClientPort(sshPort, clientPort);
  for (const pid of pids) {
    // The session's processes go down together: one may be gone before its turn.
    try { process.kill(pid, 'SIGTERM'); } catch (e) { if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e; }
  }
  return pids.length;
}

/** Waits for a condition without sleeping blindly: polls every `everyMs` up to `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
