/**
 * Job end → notification, in a real VS Code (code-server + headless chromium) against the real
 * Slurm test cluster: for N short jobs submitted through the Jobs store, the delay from the job's
 * real end (its last act prints `date +%s.%N`) to the 'jobs.ended' message, split into the queue
 * poll's part (end → the store sees it final) and the outcome's (final → sacct's figures on the
 * entry → the message). Target: p50 within one poll interval + 1 s. Needs code-server
 * (test/vscode/install-code-server.sh), chromium and the test cluster with accounting.
 *
 *   node --import tsx bench/notifyLatency.ts [--jobs 10] [--poll-ms 2000]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { clusterAvailability } from '../test/cluster/slurmTestCluster';
import type { NotifyResult } from './notifyTimes';

type Host = typeof import('../test/vscode/host.mjs', { with: { 'resolution-mode': 'import' } });

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const load = () => spawnSync('uptime', { encoding: 'utf8' }).stdout.trim().replace(/.*load average: /, '');

/** The q-quantile by nearest rank (p50 of 10 is the 5th smallest). */
function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

async function main(): Promise<void> {
  const host: Host = await import('../test/vscode/host.mjs');
  const missing = host.missingPrerequisites({ browser: true });
  if (missing) { console.error(`cannot run: ${missing}`); process.exitCode = 2; return; }
  const root = host.REPO_ROOT;
  const cluster = clusterAvailability();
  if (!cluster.env) { console.error(`cannot run: ${cluster.reason}`); process.exitCode = 2; return; }
  if (!cluster.env.accounting) { console.error('cannot run: the test cluster has no accounting (the notification waits for sacct)'); process.exitCode = 2; return; }
  const jobs = arg('--jobs', 10);
  const pollMs = arg('--poll-ms', 2000);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 50) { console.error('--jobs: a whole number from 1 to 50'); process.exitCode = 2; return; }
  if (!Number.isInteger(pollMs) || pollMs < 500 || pollMs > 60_000) { console.error('--poll-ms: a whole number of milliseconds from 500 (the setting\'s minimum) to 60000'); process.exitCode = 2; return; }

  const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed:\n${build.stderr}`);
  const dir = mkdtempSync(join(tmpdir(), 'hpc-jobs-bench-'));
  let bench: NotifyResult | undefined;
  let loadBefore = '';
  const started = new Date();
  try {
    const entry = join(dir, 'notifyBench.js');
    await esbuild.build({
      entryPoints: [join(root, 'bench/vscode/notifyBench.ts')], outfile: entry, bundle: true, platform: 'node', format: 'cjs', target: 'node20',
      // ssh2's optional native addons (through the test cluster's helpers): it falls back to JavaScript.
      external: ['vscode', 'cpu-features', '*.node'], logLevel: 'warning',
    });
    process.env.HPC_JOBS_BENCH_JOBS = String(jobs);
    process.env.HPC_JOBS_BENCH_POLL_MS = String(pollMs);
    loadBefore = load();
    const codeServer = await host.startCodeServer();
    try {
      const r = await host.runExtensionTests({
        origin: codeServer.origin, extensionTestsPath: entry, timeoutMs: 600_000,
        log: (line) => { if (line.startsWith('BENCH ')) bench = JSON.parse(line.slice(6)) as NotifyResult; },
      });
      if (r.exitCode !== 0 || !bench) throw new Error(`host bench failed (${r.exitCode}):\n${r.output}`);
    } finally {
      await codeServer.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const b = bench!;
  console.log(`job end → 'jobs.ended' notification, ${b.jobs.length} Slurm jobs (sleep 3–${Math.max(...b.jobs.map((j) => j.sleepS))} s), poll ${b.pollMs} ms,`);
  console.log(`code-server ${host.CODE_SERVER_VERSION}, ${started.toISOString().slice(0, 16)} UTC; load before ${loadBefore}, after ${load()}`);
  for (const note of b.notes) console.log(`  note: ${note}`);
  console.log('\njob      sleep  state       end→final  final→outcome  outcome→word  end→word  sacct alone');
  const s = (ms: number) => (Number.isNaN(ms) ? '—' : `${(ms / 1000).toFixed(2)} s`);
  for (const j of b.jobs) {
    console.log(`${j.id.padEnd(8)} ${`${j.sleepS}`.padStart(5)}  ${j.state.padEnd(10)} ${s(j.finalMs - j.endMs).padStart(10)} ${s(j.outcomeMs - j.finalMs).padStart(14)}`
      + ` ${s(j.notifiedMs - j.outcomeMs).padStart(13)} ${s(j.notifiedMs - j.endMs).padStart(9)} ${s(j.sacctMs).padStart(12)}`);
  }
  const target = b.pollMs + 1000;
  const row = (what: string, xs: number[], withTarget = false) => {
    const [p50, p90, max] = [quantile(xs, 0.5), quantile(xs, 0.9), Math.max(...xs)];
    console.log(`${what.padEnd(34)} ${s(p50).padStart(8)} ${s(p90).padStart(8)} ${s(max).padStart(8)}`
      + (withTarget ? `   target p50 ≤ ${s(target)} (poll + 1 s): ${p50 <= target ? 'met' : 'MISSED'}` : ''));
  };
  console.log(`\n${''.padEnd(34)} ${'p50'.padStart(8)} ${'p90'.padStart(8)} ${'max'.padStart(8)}`);
  row('end → notification', b.jobs.map((j) => j.notifiedMs - j.endMs), true);
  row('  end → seen final (queue poll)', b.jobs.map((j) => j.finalMs - j.endMs));
  row('  seen final → outcome (sacct)', b.jobs.map((j) => j.outcomeMs - j.finalMs));
  row('  outcome → notification', b.jobs.map((j) => j.notifiedMs - j.outcomeMs));
  row('one sacct outcome call, alone', b.jobs.map((j) => j.sacctMs));
  row('entry\'s endedAt − real end', b.jobs.map((j) => j.endedAtMs - j.endMs));
  console.log('(end: the job\'s last act, `date +%s.%N`; seen final: the store\'s change event; outcome: the');
  console.log(' entry\'s outcome set by the outcome reader, 0.5 s after it saw the end, then 1.5, 3, 6, 12 s');
  console.log(' while sacct has not caught up; the word waits for it up to 10 s. p50/p90: nearest rank.)');
}

main().catch((err: unknown) => { console.error(err); process.exitCode = 1; });
