/**
 * The local runtimes against the tools people use without them. Prints figures; asserts nothing.
 *
 *   node --import tsx bench/localRuntimes.ts [--tasks 1000] [--lines 1000000] [--rounds 3] [--mpi-rounds 9] [--pairs 9]
 *                                            [--only tasks|mpi|pool]
 *
 * 1. 1,000 trivial tasks, 4 at once: the tasks backend vs `xargs -P 4` vs GNU `parallel -j4`.
 *    Each task is the same `sh -c 'echo task N'`; the tools write to /dev/null, the runtime
 *    to its run log (and delivers batches to a listener). The runtime runs twice: as it does
 *    (its resident spawner starts the tasks) and with `HPC_JOBS_SPAWNER=direct` (Node's own
 *    spawn per task, which forks this whole process: the way it worked before the spawner).
 * 2. 10^6 lines from 4 MPI ranks: the mpi backend (per-rank split, run log, batches) vs the
 *    same mpirun writing to /dev/null; with the runtime's peak RSS (the whole Node process).
 * 3. The fixed cost of a run, and the examples' π pool (distributed.py, 2 workers;
 *    job_distributed.slurm's 2,000,000 darts and 10,000,000) through the pool backend vs
 *    plain python3.
 *
 * The machine may be shared: every comparison is interleaved (the contenders take turns in
 * each round, in a rotating order), each round's ratio is taken between runs seconds apart,
 * and the medians and ranges of those ratios are reported, with the load average of each round.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { launchLocal, type LocalRunSpec } from '../runtimes/src/index';

const { values } = parseArgs({
  options: {
    tasks: { type: 'string', default: '1000' },
    lines: { type: 'string', default: '1000000' },
    rounds: { type: 'string', default: '3' },
    'mpi-rounds': { type: 'string', default: '9' },
    pairs: { type: 'string', default: '9' },
    only: { type: 'string' },
  },
});
const TASKS = Number(values.tasks);
const LINES = Number(values.lines);
const ROUNDS = Number(values.rounds);
const MPI_ROUNDS = Number(values['mpi-rounds']);
const PAIRS = Number(values.pairs);
const only = (section: 'tasks' | 'mpi' | 'pool') => values.only === undefined || values.only === section;
const ROOT = path.resolve(__dirname, '..');
const PYTHON = '/usr/bin/python3';
const logDir = mkdtempSync(path.join(os.tmpdir(), 'hpc-jobs-bench-'));
const mpiEnv = { ...process.env, OMPI_ALLOW_RUN_AS_ROOT: '1', OMPI_ALLOW_RUN_AS_ROOT_CONFIRM: '1' };

function shell(command: string, env: NodeJS.ProcessEnv = process.env): number {
  const t0 = performance.now();
  const r = spawnSync('sh', ['-c', command], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`${command}: exit ${r.status}`);
  return performance.now() - t0;
}

interface Measured { ms: number; lines: number; events: number; peakRss: number }

async function runtime(spec: LocalRunSpec, spawner?: 'direct'): Promise<Measured> {
  const before = process.env.HPC_JOBS_SPAWNER;
  if (spawner) process.env.HPC_JOBS_SPAWNER = spawner; else delete process.env.HPC_JOBS_SPAWNER;
  try {
    let peakRss = process.memoryUsage.rss();
    const sample = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage.rss()); }, 10);
    const t0 = performance.now();
    const run = await launchLocal({ ...spec, logDir });
    let lines = 0;
    let events = 0;
    run.onDidOutput((batch) => { events++; lines += batch.length; peakRss = Math.max(peakRss, process.memoryUsage.rss()); });
    const result = await run.result;
    const ms = performance.now() - t0;
    clearInterval(sample);
    run.dispose();
    rmSync(run.dir, { recursive: true, force: true });
    if (result.state !== 'succeeded') throw new Error(`${spec.backend}: ${result.summary}`);
    return { ms, lines, events, peakRss };
  } finally {
    if (before === undefined) delete process.env.HPC_JOBS_SPAWNER; else process.env.HPC_JOBS_SPAWNER = before;
  }
}

/** One bare spawn with two pipes read to the end: what the smallest run costs without the runtime. */
function bareSpawn(): Promise<{ ms: number }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const c = spawn('/bin/true', [], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    c.stdout.resume();
    c.stderr.resume();
    c.on('close', () => resolve({ ms: performance.now() - t0 }));
  });
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const x = (r: number) => `${r.toFixed(2)}×`;
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;
const load = () => os.loadavg()[0]!.toFixed(1);
const median = (xs: readonly number[]) => {
  const a = [...xs].sort((p, q) => p - q);
  return a.length % 2 ? a[(a.length - 1) / 2]! : (a[a.length / 2 - 1]! + a[a.length / 2]!) / 2;
};
const range = (xs: readonly number[], f: (n: number) => string) => `${f(Math.min(...xs))}–${f(Math.max(...xs))}`;

/** Runs each contender once per round, starting with a different one each round. */
async function rounds<K extends string>(n: number, contenders: Record<K, () => Promise<number> | number>,
  report: (round: number, times: Record<K, number>, load: string) => void): Promise<Record<K, number>[]> {
  const keys = Object.keys(contenders) as K[];
  const all: Record<K, number>[] = [];
  for (let r = 0; r < n; r++) {
    const l = load();
    const times = {} as Record<K, number>;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[(i + r) % keys.length]!;
      times[k] = await contenders[k]();
    }
    report(r, times, l);
    all.push(times);
  }
  return all;
}

async function main(): Promise<void> {
  console.log(`Local runtimes — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${os.availableParallelism()} cores, ` +
    `${os.cpus()[0]?.model ?? ''}, Node ${process.version}, load ${os.loadavg().map((v) => v.toFixed(1)).join(' ')}\n`);

  if (only('tasks')) await tasks();
  if (only('mpi')) await mpi();
  if (only('pool')) await pool();
}

/** 1. Many trivial tasks. */
async function tasks(): Promise<void> {
  const task = 'echo task $0';
  const ourTasks = (spawner?: 'direct') => async () =>
    (await runtime({ backend: 'tasks', program: 'sh', args: ['-c', 'echo task $HPC_TASK_ID'], tasks: TASKS, parallel: 4 }, spawner)).ms;
  console.log(`1. ${TASKS} trivial tasks, 4 at once; ${ROUNDS} rounds, each contender once per round (rotating order). Node RSS ${mb(process.memoryUsage.rss())}`);
  console.log('   round  load   xargs -P4  parallel -j4  hpc-jobs  (direct spawns)   ours/xargs  parallel/ours');
  const t = await rounds(ROUNDS, {
    xargs: () => shell(`seq 0 ${TASKS - 1} | xargs -P 4 -I{} sh -c '${task}' {} > /dev/null`),
    parallel: () => shell(`seq 0 ${TASKS - 1} | parallel -j4 -q sh -c '${task}' {} > /dev/null`),
    ours: ourTasks(),
    direct: ourTasks('direct'),
  }, (r, m, l) => console.log(`   ${String(r + 1).padStart(5)}  ${l.padStart(4)}  ${s(m.xargs).padStart(10)}  ${s(m.parallel).padStart(12)}  ` +
    `${s(m.ours).padStart(8)}  ${`(${s(m.direct)})`.padStart(15)}  ${x(m.ours / m.xargs).padStart(11)}  ${x(m.parallel / m.ours).padStart(13)}`));
  const vsXargs = t.map((m) => m.ours / m.xargs);
  const vsParallel = t.map((m) => m.parallel / m.ours);
  const directVsXargs = t.map((m) => m.direct / m.xargs);
  console.log(`   hpc-jobs tasks: median ${x(median(vsXargs))} xargs (range ${range(vsXargs, x)}; target ≤ 1.2×), ` +
    `median ${x(median(vsParallel))} faster than GNU parallel (range ${range(vsParallel, x)}; target ≥ 4×)`);
  console.log(`   with direct spawns (HPC_JOBS_SPAWNER=direct): median ${x(median(directVsXargs))} xargs (range ${range(directVsXargs, x)})\n`);

}

/** 2. A flood from MPI ranks. */
async function mpi(): Promise<void> {
  const perRank = Math.ceil(LINES / 4);
  const flood = path.join('test', 'fixtures', 'programs', 'flood.py');
  const mpiSpec: LocalRunSpec = { backend: 'mpi', program: flood, args: [String(perRank)], ranks: 4, python: PYTHON, cwd: ROOT };
  // One small run first: the launcher and interpreter checks are cached per process after it.
  await runtime({ ...mpiSpec, args: ['10'] });
  let last: Measured | undefined;
  let peakRss = 0;
  console.log(`2. ${perRank * 4} lines from 4 MPI ranks; ${MPI_ROUNDS} rounds, alternating`);
  console.log('   round  load   mpirun>/dev/null  hpc-jobs mpi   ours: throughput of mpirun>/dev/null');
  const m = await rounds(MPI_ROUNDS, {
    bare: () => shell(`mpirun -n 4 --oversubscribe --allow-run-as-root ${PYTHON} ${flood} ${perRank} > /dev/null`, mpiEnv),
    ours: async () => { last = await runtime(mpiSpec); peakRss = Math.max(peakRss, last.peakRss); return last.ms; },
  }, (r, t2, l) => console.log(`   ${String(r + 1).padStart(5)}  ${l.padStart(4)}  ${s(t2.bare).padStart(16)}  ${s(t2.ours).padStart(12)}   ${x(t2.bare / t2.ours)}`));
  const throughput = m.map((t2) => t2.bare / t2.ours);
  const rate = (ms: number) => `${((perRank * 4 / ms) * 1000 / 1e6).toFixed(2)} M lines/s`;
  console.log(`   hpc-jobs mpi: median ${x(median(throughput))} the throughput of mpirun > /dev/null (range ${range(throughput, x)}; target ≥ 0.8×); ` +
    `medians ${rate(median(m.map((t2) => t2.ours)))} vs ${rate(median(m.map((t2) => t2.bare)))}`);
  console.log(`   ${last!.lines} lines in ${last!.events} events (last round); peak RSS ${mb(peakRss)} (target < 200 MB)\n`);

}

/** 3. What a run costs beyond its process, and the π pool example. */
async function pool(): Promise<void> {
  const fixed = await rounds(20, {
    bare: async () => (await bareSpawn()).ms,
    pool: async () => (await runtime({ backend: 'pool', program: '/bin/true' })).ms,
  }, () => undefined);
  const bareMs = median(fixed.map((f) => f.bare));
  const poolMs = median(fixed.map((f) => f.pool));
  console.log(`3a. the fixed cost of a run (/bin/true, 20 alternating pairs, medians; load ${load()})`);
  console.log(`   bare spawn          ${bareMs.toFixed(0).padStart(6)} ms`);
  console.log(`   hpc-jobs pool       ${poolMs.toFixed(0).padStart(6)} ms   +${(poolMs - bareMs).toFixed(0)} ms per run (run folder, run.json, its guardian process, the /proc sweep for leftovers)\n`);

  const pi = path.join('examples', 'distributed.py');
  for (const darts of [2_000_000, 10_000_000]) {
    const pairs = await rounds(PAIRS, {
      plain: () => shell(`HPC_JOBS_WORKERS=2 ${PYTHON} ${pi} ${darts} > /dev/null`),
      pool: async () => (await runtime({ backend: 'pool', program: pi, args: [String(darts)], workers: 2, python: PYTHON, cwd: ROOT })).ms,
    }, () => undefined);
    const over = pairs.map((p) => (p.pool - p.plain) / p.plain * 100);
    const pct = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(1)}%`;
    const plain = pairs.map((p) => p.plain);
    const pool = pairs.map((p) => p.pool);
    console.log(`3b. distributed.py, ${darts.toLocaleString('en')} darts, 2 workers (${PAIRS} alternating pairs; load ${load()})`);
    console.log(`   python3             median ${s(median(plain))}, best ${s(Math.min(...plain))}`);
    console.log(`   hpc-jobs pool       median ${s(median(pool))}, best ${s(Math.min(...pool))}   overhead per pair: median ${pct(median(over))} ` +
      `(range ${range(over, pct)}), best vs best ${pct((Math.min(...pool) - Math.min(...plain)) / Math.min(...plain) * 100)} (target ≤ 5%)`);
  }
}

main().then(() => rmSync(logDir, { recursive: true, force: true }), (e: unknown) => {
  console.error(e);
  rmSync(logDir, { recursive: true, force: true });
  process.exitCode = 1;
});
