/**
 * The MPI backend with the real Open MPI mpirun: 4 ranks on this 2-core machine (so
 * --oversubscribe), output split per rank, a failing rank's own exit code, and the clear
 * errors for a missing launcher or a Python without mpi4py.
 *
 * Run: node --import tsx --test test/integration/runtimes/mpi.test.ts
 */
import assert from 'node:assert/strict';
import * as os from 'node:os';
import { after, describe, test } from 'node:test';
import { exitCodeOf, LaunchError } from '../../../runtimes/src/index';
import { collect, has, logLines, needs, processesOfRun, program, pythonHas, SYSTEM_PYTHON, TempDirs } from './runtimeHarness';

const dirs = new TempDirs();
after(() => dirs.clean());

const mpiReady = has('mpirun') && pythonHas(SYSTEM_PYTHON, 'mpi4py');

describe('mpi backend', needs(mpiReady, 'mpirun with /usr/bin/python3 mpi4py'), () => {
  test('pythonMPI.py on 4 ranks: per-rank lines, oversubscribe said, all ranks exit 0', { timeout: 120_000 }, async () => {
    const run = await dirs.launch({ backend: 'mpi', program: 'examples/pythonMPI.py', args: ['400000'], ranks: 4, python: SYSTEM_PYTHON });
    const lines = collect(run);
    const result = await run.result;
    assert.equal(result.state, 'succeeded', result.summary);
    assert.deepEqual(result.exits, [0, 1, 2, 3].map((rank) => ({ rank, code: 0 })));
    const fromRank0 = lines.filter((l) => l.rank === 0 && l.stream === 'stdout').map((l) => l.text);
    assert.equal(fromRank0.filter((t) => /^rank \d of 4 on /.test(t)).length, 4, fromRank0.join('\n'));
    assert.match(fromRank0.at(-1)!, /^number of darts: 400000, ranks: 4, estimate: 3\.1\d+/);
    const system = lines.filter((l) => l.system).map((l) => l.text).join('\n');
    if (os.availableParallelism() < 4) assert.match(system, /added --oversubscribe: 4 ranks on \d cores?/);
    if (process.getuid?.() === 0) assert.match(system, /--allow-run-as-root/);
    assert.ok(logLines(run).some((l) => /^\[rank 0\] number of darts: 400000/.test(l)));
  });

  test('a failing rank: its code in the result and the exit status; the others accounted for', { timeout: 120_000 }, async () => {
    const run = await dirs.launch({ backend: 'mpi', program: program('mpi_fail.py'), ranks: 4, python: SYSTEM_PYTHON });
    const lines = collect(run);
    const result = await run.result;
    assert.equal(result.state, 'failed');
    assert.deepEqual(result.exits.find((e) => e.rank === 2), { rank: 2, code: 3 });
    assert.equal(result.exits.length, 4);
    assert.match(result.summary, /^rank 2 exited with 3/);
    assert.equal(exitCodeOf(result.state, result.exits), 3);
    assert.ok(lines.some((l) => l.rank === 2 && l.stream === 'stderr' && l.text === 'rank 2 gives up'));
    for (const r of [0, 1, 3]) assert.ok(lines.some((l) => l.rank === r && l.text === `hello from rank ${r} of 4`), `rank ${r}'s hello`);
    assert.deepEqual(processesOfRun(run.id), []);
  });

  test('rankOutput: tags uses the launcher\'s tags (--tag-output) and still splits per rank', { timeout: 120_000 }, async () => {
    const run = await dirs.launch({ backend: 'mpi', program: 'examples/pythonMPI.py', args: ['40000'], ranks: 2, python: SYSTEM_PYTHON, rankOutput: 'tags' });
    const lines = collect(run);
    const result = await run.result;
    assert.equal(result.state, 'succeeded', result.summary);
    assert.ok(lines.some((l) => l.rank === 0 && /^number of darts: 40000, ranks: 2/.test(l.text)), lines.map((l) => l.text).join('\n'));
    assert.ok(!lines.some((l) => l.text.includes('<stdout>')), 'no raw tags left');
  });

  test('10^6 lines from 4 ranks arrive complete (Open MPI\'s own --tag-output would lose some)', { timeout: 120_000 }, async () => {
    const run = await dirs.launch({ backend: 'mpi', program: program('flood.py'), args: ['250000'], ranks: 4, python: SYSTEM_PYTHON });
    const perRank = [0, 0, 0, 0];
    run.onDidOutput((batch) => { for (const l of batch) if (l.rank !== undefined && l.stream === 'stdout') perRank[l.rank]!++; });
    const result = await run.result;
    assert.equal(result.state, 'succeeded', result.summary);
    assert.deepEqual(perRank, [250000, 250000, 250000, 250000]);
  });
});

describe('mpi backend: clear errors, nothing started', () => {
  test('a configured mpirun that does not exist', async () => {
    await assert.rejects(dirs.launch({ backend: 'mpi', program: 'examples/pythonMPI.py', ranks: 2, mpirun: '/nonexistent/mpirun' }),
      (e: unknown) => e instanceof LaunchError && /MPI launcher "\/nonexistent\/mpirun" not found/.test(e.message));
  });

  test('no mpirun or mpiexec on PATH', async () => {
    const saved = process.env.PATH;
    process.env.PATH = dirs.make();
    try {
      await assert.rejects(dirs.launch({ backend: 'mpi', program: 'examples/pythonMPI.py', ranks: 2, python: SYSTEM_PYTHON }),
        (e: unknown) => e instanceof LaunchError && /neither mpirun nor mpiexec is on PATH/.test(e.message) && /apt install openmpi-bin/.test(e.hint ?? ''));
    } finally {
      process.env.PATH = saved;
    }
  });

  test('ranks of 0, -1 or 5000', async () => {
    for (const ranks of [0, -1, 5000, 1.5]) {
      await assert.rejects(dirs.launch({ backend: 'mpi', program: 'examples/pythonMPI.py', ranks }), LaunchError, `ranks ${ranks}`);
    }
  });

  const noMpi4py = has('python3') && !pythonHas('python3', 'mpi4py');
  test('an interpreter without mpi4py: how to fix it', { skip: noMpi4py && has('mpirun') ? false : 'the python3 on PATH has mpi4py (or there is no mpirun)' }, async () => {
    await assert.rejects(dirs.launch({ backend: 'mpi', program: 'examples/pythonMPI.py', ranks: 2, python: 'python3' }), (e: unknown) => {
      assert.ok(e instanceof LaunchError);
      assert.match(e.message, /cannot import mpi4py/);
      assert.match(e.hint!, /pip install mpi4py/);
      assert.match(e.hint!, /apt install python3-mpi4py/);
      assert.match(e.hint!, /same MPI library/);
      return true;
    });
  });
});
