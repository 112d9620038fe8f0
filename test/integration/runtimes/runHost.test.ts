/**
 * Local runs in the run host's worker thread (runtimes/src/runHost), as the extension starts
 * them: the worker is the real one, built by esbuild as out/runWorker.js is, and the runs are
 * real processes. What a RunHandle promises must hold across the thread: every line (packed
 * and as objects), states in order, a LaunchError with its hint, cancel, tail, dispose.
 *
 * Run: node --import tsx --test test/integration/runtimes/runHost.test.ts
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as esbuild from 'esbuild';
import { LaunchError, type LocalRunSpec, type RunState } from '../../../runtimes/src/index';
import { packedCount, packedText } from '../../../runtimes/src/packedLines';
import { RunHost } from '../../../runtimes/src/runHost/runHost';
import type { WorkerRun } from '../../../runtimes/src/runHost/workerRun';
import { alive, collect, has, logLines, needs, processesOfRun, program, pythonHas, ROOT, SYSTEM_PYTHON, TempDirs } from './runtimeHarness';

const dirs = new TempDirs();
let workerFile = '';
let buildDir = '';
let host: RunHost;

before(async () => {
  buildDir = mkdtempSync(path.join(os.tmpdir(), 'hpc-jobs-worker-'));
  workerFile = path.join(buildDir, 'runWorker.js');
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'runtimes/src/runHost/worker.ts')], outfile: workerFile,
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['*.node'], logLevel: 'warning',
  });
  host = new RunHost(workerFile);
});
after(async () => {
  await dirs.clean();
  await host.dispose();
  rmSync(buildDir, { recursive: true, force: true });
});

function launch(spec: LocalRunSpec, on = host): Promise<WorkerRun> {
  return on.launch({ logDir: dirs.make(), ...spec }).then((run) => dirs.track(run));
}

function states(run: WorkerRun): RunState[] {
  const seen: RunState[] = [run.state];
  run.onDidChangeState((c) => seen.push(c.state));
  return seen;
}

describe('run host: local runs in a worker thread', () => {
  test('a tasks run: every line with its task, states in order, the log on disk', { timeout: 60_000 }, async () => {
    const run = await launch({ backend: 'tasks', program: '/bin/sh', args: ['-c', 'echo "task $SLURM_ARRAY_TASK_ID"; echo "err $SLURM_ARRAY_TASK_ID" >&2'], tasks: 6, parallel: 3 });
    const seen = states(run);
    const lines = collect(run);
    const result = await run.result;
    assert.equal(result.state, 'succeeded', result.summary);
    assert.deepEqual(seen, ['queued', 'running', 'succeeded']);
    assert.equal(run.state, 'succeeded');
    assert.deepEqual(result.exits.map((e) => e.task), [0, 1, 2, 3, 4, 5]);
    for (let t = 0; t < 6; t++) {
      assert.ok(lines.some((l) => l.task === t && l.stream === 'stdout' && l.text === `task ${t}`), `task ${t}'s stdout`);
      assert.ok(lines.some((l) => l.task === t && l.stream === 'stderr' && l.text === `err ${t}`), `task ${t}'s stderr`);
    }
    assert.ok(lines.some((l) => l.system && /succeeded/.test(l.text)), 'the summary line');
    assert.ok(logLines(run).includes('[task 3] task 3'));
    assert.deepEqual(run.tail(), lines, 'fewer than 1,000 lines: the tail is all of them');
    assert.equal(path.dirname(run.logPath), run.dir);
  });

  test('10^5 lines from 4 MPI ranks: all of them, packed and as objects', { ...needs(has('mpirun') && pythonHas(SYSTEM_PYTHON, 'mpi4py'), 'mpirun with mpi4py'), timeout: 120_000 }, async () => {
    const run = await launch({ backend: 'mpi', program: program('flood.py'), args: ['25000'], ranks: 4, python: SYSTEM_PYTHON });
    const packedPerRank = [0, 0, 0, 0];
    const objectPerRank = [0, 0, 0, 0];
    let lastOfRank0 = '';
    run.onDidOutputPacked(({ lines, sources }) => {
      for (let k = 0; k < packedCount(lines); k++) {
        const s = sources[lines.sources[k]!]!;
        if (s.rank === undefined || s.stream !== 'stdout') continue;
        packedPerRank[s.rank]!++;
        if (s.rank === 0) lastOfRank0 = packedText(lines, k);
      }
    });
    run.onDidOutput((batch) => { for (const l of batch) if (l.rank !== undefined && l.stream === 'stdout') objectPerRank[l.rank]!++; });
    const result = await run.result;
    assert.equal(result.state, 'succeeded', result.summary);
    assert.deepEqual(packedPerRank, [25000, 25000, 25000, 25000]);
    assert.deepEqual(objectPerRank, packedPerRank);
    assert.equal(lastOfRank0, 'line 24999');
    const tail = run.tail();
    assert.equal(tail.length, 1000);
    assert.match(tail.at(-1)!.text, /succeeded/);
  });

  test('while this thread is busy, output waits in the worker and comes merged: a few messages, every line in order', { timeout: 60_000 }, async () => {
    const run = await launch({ backend: 'tasks', program: '/usr/bin/seq', args: ['200000'], tasks: 1 });
    let events = 0;
    const got: string[] = [];
    run.onDidOutputPacked(({ lines, sources }) => {
      events++;
      for (let k = 0; k < packedCount(lines); k++) if (!sources[lines.sources[k]!]!.system) got.push(packedText(lines, k));
    });
    // Busy for longer than seq takes to print: the worker may send 2 messages before it waits.
    const until = Date.now() + 1500;
    while (Date.now() < until) { /* a busy extension host */ }
    const result = await run.result;
    assert.equal(result.state, 'succeeded', result.summary);
    assert.equal(got.length, 200_000);
    assert.ok(got.every((t, i) => t === String(i + 1)), 'every line, in order');
    // Unmerged, the worker would have sent one message per batch of at most 2,000 lines (100+).
    assert.ok(events < 20, `${events} packs`);
  });

  test('a LaunchError crosses the thread with its hint; nothing is started', async () => {
    const err = await host.launch({ backend: 'mpi', program: 'examples/pythonMPI.py', ranks: 2, mpirun: '/nonexistent/mpirun', logDir: dirs.make() })
      .then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof LaunchError, String(err));
    assert.match(err.message, /\/nonexistent\/mpirun/);
    assert.match(err.hint ?? '', /MPI launcher setting/);
    assert.equal(host.active, 0);
  });

  test('cancel ends every process of the run, even one that ignores SIGTERM', { timeout: 60_000 }, async () => {
    const run = await launch({ backend: 'pool', program: program('stubborn.py'), python: SYSTEM_PYTHON, killGraceMs: 300 });
    await new Promise<void>((resolve) => {
      const sub = run.onDidOutput((batch) => { if (batch.some((l) => l.text === 'ignoring SIGTERM')) { sub.dispose(); resolve(); } });
    });
    await run.cancel();
    const result = await run.result;
    assert.equal(result.state, 'cancelled');
    assert.equal(run.state, 'cancelled');
    assert.deepEqual(processesOfRun(run.id), []);
  });

  test('a disposed handle hears nothing more, and its result still comes', { timeout: 60_000 }, async () => {
    const run = await launch({ backend: 'tasks', program: '/bin/sh', args: ['-c', 'sleep 0.3; echo late'], tasks: 2 });
    let heard = 0;
    run.onDidOutput(() => { heard++; });
    run.onDidChangeState(() => { heard++; });
    run.dispose();
    const result = await run.result;
    assert.equal(result.state, 'succeeded');
    assert.equal(heard, 0);
    assert.ok(logLines(run).includes('[task 1] late'), 'the log is still written');
  });

  test('an idle worker ends, and the next run starts a new one', { timeout: 60_000 }, async () => {
    const quick = new RunHost(workerFile, 100);
    try {
      const first = await launch({ backend: 'tasks', program: '/bin/true', tasks: 1 }, quick);
      assert.equal((await first.result).state, 'succeeded');
      await new Promise((r) => setTimeout(r, 400));
      const second = await launch({ backend: 'tasks', program: '/bin/echo', args: ['again'], tasks: 1 }, quick);
      const lines = collect(second);
      assert.equal((await second.result).state, 'succeeded');
      assert.ok(lines.some((l) => l.text === 'again'));
    } finally {
      await quick.dispose();
    }
  });

  test('the worker gone mid-run: the run ends as failed, saying why, its processes ended', { timeout: 60_000 }, async () => {
    const doomed = new RunHost(workerFile);
    const run = await launch({ backend: 'pool', program: '/bin/sh', args: ['-c', 'echo started; sleep 30'] }, doomed);
    const seen = states(run);
    await new Promise<void>((resolve) => { run.onDidOutput((b) => { if (b.some((l) => l.text === 'started')) resolve(); }); });
    const pids = processesOfRun(run.id);
    assert.ok(pids.length > 0, 'the run has processes');
    await doomed.dispose();
    const result = await run.result;
    assert.equal(result.state, 'failed');
    // The run's guardian (runGuardian.ts) sees the thread's pipe close and may end them first.
    assert.match(result.summary, /^the thread that ran it stopped: the run host was closed(; its \d+ process(es)? ended)?$/);
    assert.equal(seen.at(-1), 'failed');
    assert.deepEqual(pids.filter(alive), []);
  });

  test('the host process killed (a crashed extension host): the worker\'s runs end with it', { timeout: 60_000 }, async () => {
    // A process of its own that runs tasks through a RunHost, as the extension host does, then is killed.
    const script = `const { RunHost } = require(${JSON.stringify(path.join(ROOT, 'runtimes/src/runHost/runHost.ts'))});
      new RunHost(${JSON.stringify(workerFile)}).launch({ backend: 'tasks', program: '/bin/sh', tasks: 2, parallel: 2, logDir: ${JSON.stringify(dirs.make())},
        args: ['-c', 'sleep 1000 & echo "pids $$ $!"; wait'] }).then((run) => run.onDidOutput((b) => { for (const l of b) console.log(l.text); }));`;
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    let out = '';
    const pids = await new Promise<number[]>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d;
        const lines = [...out.matchAll(/^pids (.+)$/gm)];
        if (lines.length === 2) resolve(lines.flatMap((m) => m[1]!.split(' ').map(Number)));
      });
      void exited.then(() => reject(new Error(`exited early: ${out}`)));
    });
    assert.ok(pids.every(alive));
    child.kill('SIGKILL');
    await exited;
    const deadline = Date.now() + 20_000;
    while (pids.some(alive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(pids.filter(alive), []);
  });
});
