/**
 * Runs inside a real extension host (loaded as `extensionTestsPath` by bench/notifyLatency.ts):
 * short Slurm jobs submitted to the test cluster through the Jobs store, as the Run command
 * submits them, and for each the time from the job's real end (its last act prints
 * `date +%s.%N`; the cluster is this machine, so the clocks are the same) to the moment the
 * prompter is asked 'jobs.ended'. On the way: when the store saw the job final (the queue poll)
 * and when its outcome arrived (sacct, which the notification waits for). Prints one `BENCH {json}` line.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HpcJobsApi } from '../../extension/src/extension';
import { isFinal } from '../../extension/src/jobs/jobEntry';
import type { Prompter } from '../../extension/src/ui/prompter';
import { shellCommand } from '../../runtimes/src/transport/shellQuote';
import { knownHostsFor, readClusterEnv } from '../../test/cluster/slurmTestCluster';
import type { NotifyResult, NotifyTimes } from '../notifyTimes';

const CLUSTER = 'notify-bench';

function timeout<T>(what: string, ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms); })])
    .finally(() => clearTimeout(timer));
}

export async function run(): Promise<void> {
  const ext = vscode.extensions.getExtension<HpcJobsApi>('hpc-jobs.hpc-jobs');
  if (!ext) throw new Error('the extension is not installed in this host');
  const api = await ext.activate();
  const env = readClusterEnv();
  if (!env) throw new Error('no test cluster (test/cluster/up.sh)');
  const n = Number(process.env.HPC_JOBS_BENCH_JOBS ?? 10);
  const pollMs = Number(process.env.HPC_JOBS_BENCH_POLL_MS ?? 2000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hpc-jobs-notify-bench-'));
  const workDir = `~/hpc-jobs-test/notify-bench-${process.pid}-${Date.now().toString(36)}`;
  const config = vscode.workspace.getConfiguration();
  await config.update('hpcJobs.clusters', [{
    name: CLUSTER, ssh: `${env.user}@${env.host}:${env.port}`, identityFile: env.key, knownHostsFiles: [knownHostsFor(env, dir)],
    workDir, pollIntervalMs: pollMs,
  }], vscode.ConfigurationTarget.Global);
  await config.update('hpcJobs.jobs.notifyAfterSeconds', 0, vscode.ConfigurationTarget.Global);
  const store = api.services.store;
  while (!api.services.clusters.names.includes(CLUSTER)) {
    await timeout('the cluster read from the settings', 10_000, new Promise<void>((resolve) => { const d = api.services.clusters.onDidChange(() => { d.dispose(); resolve(); }); }));
  }

  const finalAt = new Map<string, number>();
  const outcomeAt = new Map<string, number>();
  const notifiedAt = new Map<string, number>();
  let allNotified: () => void = () => undefined;
  const everyone = new Promise<void>((resolve) => { allNotified = resolve; });
  const ids = new Set<string>();
  const check = () => { if (ids.size === n && [...ids].every((id) => notifiedAt.has(id))) allNotified(); };
  const watch = store.onDidChange((keys) => {
    const now = Date.now();
    for (const k of keys) {
      const e = store.get(k);
      if (!e || e.cluster !== CLUSTER) continue;
      if (isFinal(e.state) && !finalAt.has(e.id)) finalAt.set(e.id, now);
      if (e.outcome && !outcomeAt.has(e.id)) outcomeAt.set(e.id, now);
    }
  });
  // Records the moment the word is given; answers nothing (as a notification left alone).
  const recorder: Prompter = {
    pick: () => Promise.resolve(undefined),
    input: () => Promise.resolve(undefined),
    message: (id, text) => {
      const now = Date.now();
      const m = /\(job (\d+) on /.exec(text);
      if (id === 'jobs.ended' && m && !notifiedAt.has(m[1]!)) { notifiedAt.set(m[1]!, now); check(); }
      return Promise.resolve(undefined);
    },
  };
  api.setPrompter(recorder);

  const notes: string[] = [];
  const keys: { key: string; id: string; sleepS: number }[] = [];
  try {
    // Staggered lengths (poll + poll/n apart) so the ends fall at every phase of the poll.
    for (let i = 0; i < n; i++) {
      const sleepS = Math.round(30 + i * (pollMs + pollMs / n) / 100) / 10;
      const script = path.join(dir, `notify-${i}.slurm`);
      writeFileSync(script, [
        '#!/bin/bash', '#SBATCH --job-name=notify-bench', '#SBATCH --time=2', '#SBATCH --ntasks=1', '#SBATCH --mem=20M',
        `#SBATCH --output=notify-${i}-%j.out`, `sleep ${sleepS}`, '# The last act: when the job ended, to the nanosecond.', 'date +%s.%N', '',
      ].join('\n'));
      const entry = await api.services.start({ target: 'slurm', cluster: CLUSTER, script });
      keys.push({ key: entry.key, id: entry.id, sleepS });
      ids.add(entry.id);
    }
    check();
    const longest = Math.max(...keys.map((k) => k.sleepS));
    await timeout('every job\'s end notification', (longest + 120) * 1000, everyone);

    const cluster = api.services.clusters.get(CLUSTER);
    const jobs: NotifyTimes[] = [];
    for (const { key, id, sleepS } of keys) {
      const e = store.get(key)!;
      const out = await cluster.transport.exec(shellCommand(['cat', e.logPath ?? '']));
      const stamp = Number(out.stdout.trim().split('\n').pop());
      if (!Number.isFinite(stamp) || stamp < 1e9) { notes.push(`job ${id}: no end stamp in ${e.logPath} (${out.stderr.trim()})`); continue; }
      const t = performance.now();
      await cluster.outcomes([id]);
      const sacctMs = performance.now() - t;
      jobs.push({
        id, sleepS, endMs: stamp * 1000, finalMs: finalAt.get(id) ?? NaN, outcomeMs: outcomeAt.get(id) ?? NaN, notifiedMs: notifiedAt.get(id)!,
        endedAtMs: e.endedAt ?? NaN, state: e.state, sacctMs,
      });
    }
    await cluster.transport.exec(shellCommand(['rm', '-rf', '--', workDir.replace(/^~\//, '')]));
    console.log(`BENCH ${JSON.stringify({ pollMs, jobs, notes } satisfies NotifyResult)}`);
  } finally {
    watch.dispose();
    api.setPrompter(undefined);
    await Promise.all(keys.map((k) => store.cancel(k.key).catch(() => undefined)));
    await config.update('hpcJobs.jobs.notifyAfterSeconds', undefined, vscode.ConfigurationTarget.Global);
    await config.update('hpcJobs.clusters', undefined, vscode.ConfigurationTarget.Global);
    rmSync(dir, { recursive: true, force: true });
  }
}
