/**
 * Cancelling, timing out and finishing end every process a run started, proven from /proc:
 * pool workers, children that outlive their parent (orphans and a setsid() daemon), a program
 * that ignores SIGTERM, and MPI ranks with children of their own.
 *
 * Run: node --import tsx --test test/integration/runtimes/processKill.test.ts
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { alive, has, logLines, needs, processesOfRun, program, pythonHas, SYSTEM_PYTHON, TempDirs, waitForLine } from './runtimeHarness';

const dirs = new TempDirs();
after(() => dirs.clean());

const pidsOf = (m: RegExpExecArray) => m[1]!.trim().split(/\s+/).map(Number);

function assertGone(pids: readonly number[], runId: string): void {
  assert.deepEqual(pids.filter(alive), [], `still alive: ${pids.filter(alive).join(' ')}`);
  assert.deepEqual(processesOfRun(runId), [], 'processes with the run\'s marker');
}

describe('process trees', () => {
  test('children that outlive a program that exits normally are ended with it', async () => {
    const run = await dirs.launch({ backend: 'pool', program: program('forker.py'), args: ['exit'] });
    const pids = pidsOf(await waitForLine(run, /^pids (.+)$/));
    assert.equal(pids.length, 3);
    const result = await run.result;
    assert.equal(result.state, 'succeeded', result.summary);
    assertGone(pids, run.id);
    assert.ok(logLines(run).some((l) => /left 3 processes: .* running: ended/.test(l)), logLines(run).join('\n'));
  });

  test('cancel ends the program, its orphans and its setsid() daemon', async () => {
    const run = await dirs.launch({ backend: 'pool', program: program('forker.py'), args: ['wait'] });
    const pids = pidsOf(await waitForLine(run, /^pids (.+)$/));
    await run.cancel();
    const result = await run.result;
    assert.equal(result.state, 'cancelled');
    assertGone(pids, run.id);
  });

  test('cancel ends every worker of a multiprocessing pool', async () => {
    const run = await dirs.launch({ backend: 'pool', program: program('pool_forever.py'), workers: 2 });
    const workers = pidsOf(await waitForLine(run, /^workers (.+)$/));
    assert.equal(workers.length, 2);
    assert.ok(workers.every(alive));
    await run.cancel();
    assert.equal((await run.result).state, 'cancelled');
    assertGone(workers, run.id);
  });

  test('a program that ignores SIGTERM gets SIGKILL after the grace period', async () => {
    const run = await dirs.launch({ backend: 'pool', program: program('stubborn.py'), killGraceMs: 300 });
    await waitForLine(run, /^ignoring SIGTERM$/);
    const t0 = Date.now();
    await run.cancel();
    const result = await run.result;
    assert.ok(Date.now() - t0 >= 300, 'waited for the grace period');
    assert.deepEqual(result.exits, [{ code: null, signal: 'SIGKILL' }]);
    assertGone([], run.id);
  });

  test('a time limit stops the whole tree: state timedOut', async () => {
    const run = await dirs.launch({ backend: 'pool', program: program('forker.py'), args: ['wait'], timeLimitMs: 1500 });
    const pids = pidsOf(await waitForLine(run, /^pids (.+)$/));
    const result = await run.result;
    assert.equal(result.state, 'timedOut');
    assert.equal(result.exits[0]!.timedOut, true);
    assert.match(result.summary, /reached its time limit/);
    assertGone(pids, run.id);
  });

  test('cancelling tasks: running ones end, the rest never start', async () => {
    const run = await dirs.launch({ backend: 'tasks', program: program('stubborn.py'), tasks: 6, parallel: 2, killGraceMs: 200 });
    await waitForLine(run, /^ignoring SIGTERM$/);
    await run.cancel();
    const result = await run.result;
    assert.equal(result.state, 'cancelled');
    assert.ok(result.exits.length <= 2);
    assert.match(result.summary, /never started/);
    assertGone([], run.id);
  });
});

const mpiReady = has('mpirun') && pythonHas(SYSTEM_PYTHON, 'mpi4py');
describe('MPI ranks and their children', needs(mpiReady, 'mpirun with /usr/bin/python3 mpi4py'), () => {
  test('cancel ends mpirun, every rank and every rank\'s child', { timeout: 120_000 }, async () => {
    const run = await dirs.launch({ backend: 'mpi', program: program('mpi_hang.py'), ranks: 4, python: SYSTEM_PYTHON });
    const seen = new Map<number, number[]>();
    await new Promise<void>((resolve, reject) => {
      run.onDidOutput((batch) => {
        for (const l of batch) {
          const m = /^rank (\d+) pid (\d+) child (\d+)$/.exec(l.text);
          if (m) seen.set(Number(m[1]), [Number(m[2]), Number(m[3])]);
        }
        if (seen.size === 4) resolve();
      });
      void run.result.then(() => reject(new Error(`ended early: ${logLines(run).join('\n')}`)));
    });
    const pids = [...seen.values()].flat();
    assert.ok(pids.every(alive));
    await run.cancel();
    assert.equal((await run.result).state, 'cancelled');
    assertGone(pids, run.id);
  });
});
