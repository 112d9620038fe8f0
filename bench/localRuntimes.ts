/**
 * The local runtimes against the tools people use without them. Prints figures; asserts nothing.
 *
 *   node --import tsx bench/localRuntimes.ts [--tasks 1000] [--lines 1000000] [--repeat 3]
 *
 * 1. 1,000 trivial tasks, 4 at once: the tasks backend vs `xargs -P 4` vs GNU `parallel -j4`.
 *    Each task is the same `sh -c 'echo task N'`; the tools write to /dev/null, the runtime
 *    to its run log (and delivers batches to a listener). Also a bare child_process.spawn loop
 *    in this same process: the floor for anything that forks from Node (fork copies the
 *    parent's page tables, so it costs more from a large process than from xargs).
 * 2. 10^6 lines from 4 MPI ranks: the mpi backend (per-rank split, run log, batches) vs the
 *    same mpirun writing to /dev/null; with the runtime's peak RSS (the whole Node process).
 * 3. The examples' π pool (distributed.py, 2 workers; job_distributed.slurm's 2,000,000 darts
 *    and 10,000,000) through the pool backend vs plain python3.
 * Times are the best of `--repeat` runs (the machine is shared; the best run is the least
 * disturbed); GNU parallel, several times slower, runs once; the π runs alternate, 5 pairs.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { launchLocal, type LocalRunSpec } from '../runtimes/src/index';

const { values } = parseArgs({
  options: { tasks: { type: 'string', default: '1000' }, lines: { type: 'string', default: '1000000' }, repeat: { type: 'string', default: '2' } },
});
const TASKS = Number(values.tasks);
const LINES = Number(values.lines);
const REPEAT = Number(values.repeat);
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

async function runtime(spec: LocalRunSpec): Promise<Measured> {
  let peakRss = process.memoryUsage().rss;
  const sample = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 10);
  const t0 = performance.now();
  const run = await launchLocal({ ...spec, logDir });
  let lines = 0;
  let events = 0;
  run.onDidOutput((batch) => { events++; lines += batch.length; peakRss = Math.max(peakRss, process.memoryUsage().rss); });
  const result = await run.result;
  const ms = performance.now() - t0;
  clearInterval(sample);
  run.dispose();
  if (result.state !== 'succeeded') throw new Error(`${spec.backend}: ${result.summary}`);
  return { ms, lines, events, peakRss };
}

/** N spawns, P at once, each with two pipes read to the end: what any Node runner pays. */
function bareSpawns(n: number, p: number): Promise<{ ms: number }> {
  return new Promise((resolve) => {
    let next = 0;
    let done = 0;
    const t0 = performance.now();
    const start = () => {
      if (next >= n) return;
      const i = next++;
      const c = spawn('sh', ['-c', 'echo task $0', String(i)], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      c.stdout.resume();
      c.stderr.resume();
      c.on('close', () => { if (++done === n) resolve({ ms: performance.now() - t0 }); else start(); });
    };
    for (let k = 0; k < p; k++) start();
  });
}

async function best<T extends { ms: number }>(f: () => Promise<T> | T, times = REPEAT): Promise<T> {
  let min: T | undefined;
  for (let i = 0; i < times; i++) {
    const r = await f();
    if (!min || r.ms < min.ms) min = r;
  }
  return min!;
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;

async function main(): Promise<void> {
  console.log(`Local runtimes — ${new Date().toISOString().slice(0, 10)}, ${os.availableParallelism()} cores, ${os.cpus()[0]?.model ?? ''}, Node ${process.version}, load ${os.loadavg()[0]!.toFixed(1)}`);
  console.log(`(best of ${REPEAT} runs each)\n`);

  // 1. Many trivial tasks.
  const task = 'echo task $0';
  const xargs = await best(() => ({ ms: shell(`seq 0 ${TASKS - 1} | xargs -P 4 -I{} sh -c '${task}' {} > /dev/null`) }));
  const parallel = await best(() => ({ ms: shell(`seq 0 ${TASKS - 1} | parallel -j4 -q sh -c '${task}' {} > /dev/null`) }), 1);
  const floor = await best(() => bareSpawns(TASKS, 4));
  const ours = await best(() => runtime({ backend: 'tasks', program: 'sh', args: ['-c', 'echo task $HPC_TASK_ID'], tasks: TASKS, parallel: 4 }));
  console.log(`1. ${TASKS} trivial tasks, 4 at once (Node RSS ${mb(process.memoryUsage().rss)})`);
  console.log(`   xargs -P 4          ${s(xargs.ms).padStart(9)}`);
  console.log(`   GNU parallel -j4    ${s(parallel.ms).padStart(9)}`);
  console.log(`   bare Node spawns    ${s(floor.ms).padStart(9)}   ${ratio(floor.ms, xargs.ms)} xargs: the floor for spawning from this process`);
  console.log(`   hpc-jobs tasks      ${s(ours.ms).padStart(9)}   ${ratio(ours.ms, xargs.ms)} xargs (target ≤ 1.2×), ${ratio(parallel.ms, ours.ms)} faster than parallel (target ≥ 4×)\n`);

  // 2. A flood from MPI ranks.
  const perRank = Math.ceil(LINES / 4);
  const flood = path.join('test', 'fixtures', 'programs', 'flood.py');
  const bare = await best(() => ({ ms: shell(`mpirun -n 4 --oversubscribe --allow-run-as-root ${PYTHON} ${flood} ${perRank} > /dev/null`, mpiEnv) }));
  const mpi = await best(() => runtime({ backend: 'mpi', program: flood, args: [String(perRank)], ranks: 4, python: PYTHON, cwd: ROOT }));
  const rate = (n: number, ms: number) => `${((n / ms) * 1000 / 1e6).toFixed(2)} M lines/s`;
  console.log(`2. ${perRank * 4} lines from 4 MPI ranks`);
  console.log(`   mpirun > /dev/null  ${s(bare.ms).padStart(9)}   ${rate(perRank * 4, bare.ms)}`);
  console.log(`   hpc-jobs mpi        ${s(mpi.ms).padStart(9)}   ${rate(perRank * 4, mpi.ms)}, ${(bare.ms / mpi.ms).toFixed(2)}× its throughput (target ≥ 0.8×); ` +
    `${mpi.lines} lines in ${mpi.events} events; peak RSS ${mb(mpi.peakRss)} (target < 200 MB)\n`);

  // 3a. What a run costs beyond its process: /bin/true through the pool backend vs a bare spawn.
  const bareRun: number[] = [];
  const wrapped: number[] = [];
  for (let i = 0; i < 20; i++) {
    bareRun.push((await bareSpawns(1, 1)).ms);
    wrapped.push((await runtime({ backend: 'pool', program: '/bin/true' })).ms);
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log('3a. the fixed cost of a run (/bin/true, 20 alternating pairs, medians)');
  console.log(`   bare spawn          ${med(bareRun).toFixed(0).padStart(6)} ms`);
  console.log(`   hpc-jobs pool       ${med(wrapped).toFixed(0).padStart(6)} ms   +${(med(wrapped) - med(bareRun)).toFixed(0)} ms per run (log, run.json, the /proc sweep for leftovers)\n`);

  // 3. The π pool. Short runs on a shared machine drift: alternate the two, 5 pairs, and
  // compare the best and the median of each.
  const pi = path.join('examples', 'distributed.py');
  for (const darts of [2_000_000, 10_000_000]) {
    const plain: number[] = [];
    const pool: number[] = [];
    for (let i = 0; i < 5; i++) {
      plain.push(shell(`HPC_JOBS_WORKERS=2 ${PYTHON} ${pi} ${darts} > /dev/null`));
      pool.push((await runtime({ backend: 'pool', program: pi, args: [String(darts)], workers: 2, python: PYTHON, cwd: ROOT })).ms);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const over = (a: number, b: number) => `${(a - b).toFixed(0)} ms = ${(((a - b) / b) * 100).toFixed(1)}%`;
    console.log(`3. distributed.py, ${darts.toLocaleString('en')} darts, 2 workers (5 alternating pairs)`);
    console.log(`   python3             best ${s(Math.min(...plain))}, median ${s(median(plain))}`);
    console.log(`   hpc-jobs pool       best ${s(Math.min(...pool))}, median ${s(median(pool))}   overhead: best ${over(Math.min(...pool), Math.min(...plain))}, ` +
      `median ${over(median(pool), median(plain))} (target ≤ 5%)`);
  }
}

main().then(() => rmSync(logDir, { recursive: true, force: true }), (e: unknown) => {
  console.error(e);
  rmSync(logDir, { recursive: true, force: true });
  process.exitCode = 1;
});
