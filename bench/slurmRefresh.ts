/**
 * Slurm over SSH, against the local test cluster (test/cluster/up.sh) and its real sshd:
 *   1. one refresh of 1,000 tracked jobs (a held `--array=0-999`, cancelled at the end):
 *      the same JobTracker + SlurmJob work, only the way commands reach the cluster differs —
 *        ours       one persistent ssh2 connection (a channel per command),
 *        OpenSSH    the `ssh` client, a new connection per squeue (test key, known_hosts file),
 *        local      squeue run on the cluster itself (LocalTransport: /bin/sh -c).
 *      for both squeue forms (--json; the -o format string with -r).
 *   2. submit-to-first-state: submitScriptText (lint, SFTP upload, sbatch) until the job's
 *      first state event (held jobs, cancelled after).
 *   3. tail latency: a job prints a line with its write time every 0.2 s; delivery time minus
 *      write time (same clock: the cluster is this machine).
 *
 *   node --import tsx bench/slurmRefresh.ts [--iterations 30]
 *
 * Targets: ours ≥ 3× faster than OpenSSH-per-call, within 1.5× of local; tail p50 < 1 s.
 * Not a test: prints figures and exits 0 unless it cannot run (no cluster: exit 2).
 */
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { JobTracker, type SqueueMode } from '../runtimes/src/slurm/jobTracker';
import { SlurmJob } from '../runtimes/src/slurm/slurmJob';
import { slurmRunner, type SlurmRunner } from '../runtimes/src/slurm/slurmRunner';
import { LocalTransport } from '../runtimes/src/transport/localTransport';
import { shellCommand, type Word } from '../runtimes/src/transport/shellQuote';
import type { ExecResult } from '../runtimes/src/transport/transport';
import { clusterAvailability, cluster, knownHostsFor, runFolder, scratch, transport, type ClusterEnv } from '../test/cluster/slurmTestCluster';

const { values } = parseArgs({ options: { iterations: { type: 'string', default: '30' } } });
const N = Number(values.iterations);

function stats(xs: readonly number[]): { p50: number; p90: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { p50: at(0.5), p90: at(0.9), max: s[s.length - 1]! };
}

/** OpenSSH: one `ssh` process — a new TCP connection, key exchange and login — per command. */
function opensshRunner(env: ClusterEnv, knownHosts: string): SlurmRunner {
  const run = (argv: readonly Word[]): Promise<ExecResult> => new Promise((resolve) => {
    const child = spawn('ssh', ['-p', String(env.port), '-i', env.key, '-o', `UserKnownHostsFile=${knownHosts}`, '-o', 'StrictHostKeyChecking=yes',
      '-o', 'BatchMode=yes', '-o', 'LogLevel=ERROR', '-o', 'ControlMaster=no', '-o', 'ControlPath=none', `${env.user}@${env.host}`, shellCommand(argv)],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SSH_AUTH_SOCK: '' } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('close', (code) => resolve({ stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), code }));
  });
  return Object.assign(run, { clusterName: 'bench' });
}

/**
 * Times refreshes of one tracked 1,000-task array through each runner. The runners take turns
 * (ours, OpenSSH, local, ours, ...) so that load from other processes on a shared machine
 * falls on all of them alike.
 */
async function timeRefreshes(runners: Record<string, SlurmRunner>, mode: SqueueMode, jobId: string): Promise<Record<string, number[]>> {
  const setups = Object.entries(runners).map(([name, run]) => {
    const tracker = new JobTracker(run, { squeueMode: mode });
    const job = new SlurmJob(jobId, { clusterName: 'bench', transport: new LocalTransport(), tracker, run, tail: false, requestRefresh: () => undefined });
    return { name, tracker, job };
  });
  const times: Record<string, number[]> = Object.fromEntries(setups.map((x) => [x.name, [] as number[]]));
  for (const x of setups) {
    await x.tracker.refresh(); // warm-up, and a check that all 1,000 tasks are there
    if (x.job.tasks.length !== 1000) throw new Error(`${x.name} ${mode}: expected 1000 tasks, saw ${x.job.tasks.length}`);
  }
  for (let i = 0; i < N; i++) {
    for (const x of setups) {
      const t0 = performance.now();
      await x.tracker.refresh();
      times[x.name]!.push(performance.now() - t0);
    }
  }
  for (const x of setups) { x.job.dispose(); x.tracker.dispose(); }
  return times;
}

async function main(): Promise<void> {
  const a = clusterAvailability();
  if (!a.env) { console.error(`slurmRefresh: no cluster: ${a.reason}`); process.exit(2); }
  const env = a.env;
  const knownHosts = knownHostsFor(env, scratch('bench-slurm-'));
  const ssh = transport(env, knownHosts);
  const c = cluster(ssh, { tail: false, pollIntervalMs: 60_000 });
  const dir = runFolder('bench');
  const toCancel: string[] = [];
  const rows: string[] = [];
  try {
    const t0 = performance.now();
    await ssh.connect();
    const connectMs = performance.now() - t0;

    // ---- 1. refresh of 1,000 tracked jobs
    const held = await c.submitScriptText('#!/bin/bash\n#SBATCH --array=0-999\n#SBATCH --hold\n#SBATCH --time=1\n#SBATCH --output=/dev/null\ntrue\n', 'held_array.sh', { remoteDir: dir, tail: false });
    toCancel.push(held.jobId);
    held.job.dispose();
    const ours = slurmRunner(ssh, 'bench');
    const openssh = opensshRunner(env, knownHosts);
    const local = slurmRunner(new LocalTransport(), 'bench');
    const sample = await ours(['squeue', '--json']);
    const records = (JSON.parse(sample.stdout) as { jobs: unknown[] }).jobs.length;
    rows.push(`refresh of 1,000 tracked jobs (held --array=0-999, job ${held.jobId}), ${N} timed refreshes each (taking turns) after 1 warm-up, ms.`);
    rows.push(`(--json ignores -j on 22.05: each answer is every job the controller knows, here ${records} records, ${(sample.stdout.length / 1024).toFixed(0)} KiB)`);
    rows.push('squeue form   via                      p50      p90      max   ours vs peer (p50)');
    for (const mode of ['json', 'format'] as const) {
      const t = await timeRefreshes({ ours, openssh, local }, mode, held.jobId);
      const r = { ours: stats(t['ours']!), openssh: stats(t['openssh']!), local: stats(t['local']!) };
      const line = (via: string, s: { p50: number; p90: number; max: number }, note: string): string =>
        `${(mode === 'json' ? '--json' : '-o format -r').padEnd(13)} ${via.padEnd(22)} ${s.p50.toFixed(1).padStart(7)}  ${s.p90.toFixed(1).padStart(7)}  ${s.max.toFixed(1).padStart(7)}   ${note}`;
      rows.push(line('ours (ssh2, 1 conn)', r.ours, ''));
      const vsSsh = r.openssh.p50 / r.ours.p50;
      rows.push(line('OpenSSH, conn/call', r.openssh, `${vsSsh.toFixed(1)}× faster (target ≥ 3×: ${vsSsh >= 3 ? 'met' : 'MISSED'})`));
      const vsLocal = r.ours.p50 / r.local.p50;
      rows.push(line('squeue locally', r.local, `${vsLocal.toFixed(2)}× local (target ≤ 1.5×: ${vsLocal <= 1.5 ? 'met' : 'MISSED'})`));
    }

    // ---- 2. submit to first state
    const firstState: number[] = [];
    const sbatchDone: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      let resolveFirst!: (ms: number) => void;
      const first = new Promise<number>((r) => { resolveFirst = r; });
      const s = await c.submitScriptText('#!/bin/bash\n#SBATCH --hold\n#SBATCH --time=1\n#SBATCH --output=/dev/null\ntrue\n', `held_${i}.sh`, { remoteDir: dir, tail: false });
      sbatchDone.push(performance.now() - t);
      toCancel.push(s.jobId);
      s.job.onDidChangeState(() => resolveFirst(performance.now() - t));
      firstState.push(await first);
      s.job.dispose();
    }
    const fs = stats(firstState);
    const sd = stats(sbatchDone);

    // ---- 3. tail latency
    const tailScript = '#!/bin/bash\n#SBATCH --time=2\n#SBATCH --output=tail_%j.out\nsleep 1\nfor i in $(seq 1 30); do echo "L $i $(date +%s%3N)"; sleep 0.2; done\n';
    const tc = cluster(ssh, { pollIntervalMs: 1000 });
    const ts = await tc.submitScriptText(tailScript, 'tail.sh', { remoteDir: dir });
    toCancel.push(ts.jobId);
    const delays: number[] = [];
    ts.job.onDidOutput((lines) => { for (const l of lines) { const m = /^L \d+ (\d+)$/.exec(l.text); if (m) delays.push(l.time - Number(m[1])); } });
    const tr = await ts.job.result;
    tc.dispose();
    const tl = stats(delays);

    console.log(`Slurm over SSH — ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}, load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
    console.log(`ssh2 connect + login: ${connectMs.toFixed(0)} ms (once per cluster)\n`);
    console.log(rows.join('\n'));
    console.log(`\nsubmit → first state event (lint + SFTP upload + sbatch + first squeue), 5 held jobs, ms: p50 ${fs.p50.toFixed(0)}, max ${fs.max.toFixed(0)}` +
      ` (submit call returned: p50 ${sd.p50.toFixed(0)})`);
    console.log(`tail: write → delivery, ${delays.length} lines (poll 250 ms), ms: p50 ${tl.p50.toFixed(0)}, p90 ${tl.p90.toFixed(0)}, max ${tl.max.toFixed(0)}` +
      ` (target p50 < 1000: ${tl.p50 < 1000 ? 'met' : 'MISSED'}; job ${tr.state})`);
  } finally {
    for (const id of toCancel) await c.cancel(id).catch(() => undefined);
    await ssh.exec(shellCommand(['rm', '-rf', '--', { home: dir.slice(2) }])).catch(() => undefined);
    c.dispose();
    await ssh.dispose();
  }
}

main().catch((e: unknown) => { console.error(e); process.exit(1); });
