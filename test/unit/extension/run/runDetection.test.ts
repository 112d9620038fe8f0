/**
 * Detection with the real launcher of this machine (Open MPI here) and nvidia-smi (absent
 * here), and with probes that answer late, to see the pick never waits past its budget.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findMpirun, type MpiLauncher } from '../../../../runtimes/src/mpiLauncher';
import { parseMpiVersion } from '../../../../runtimes/src/mpiVersion';
import { queryGpus, type GpuQuery } from '../../../../runtimes/src/nvidiaSmi';
import { findExecutable } from '../../../../runtimes/src/executables';
import { RunDetection } from '../../../../extension/src/run/runDetection';

const launcher: MpiLauncher = { path: '/usr/bin/mpirun', mpi: parseMpiVersion('mpirun (Open MPI) 4.1.4'), banner: 'mpirun (Open MPI) 4.1.4' };

/** A promise and the function that settles it. */
function later<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
}

describe('RunDetection', () => {
  test('this machine: the MPI launcher by family and version; GPUs as nvidia-smi says', { skip: findExecutable('mpirun') ? false : 'no mpirun here' }, async () => {
    const d = new RunDetection(() => ({ findMpirun, queryGpus: () => queryGpus() }));
    const snap = await d.snapshot(15_000);
    assert.equal(snap.mpi.state, 'found');
    if (snap.mpi.state === 'found') assert.match(snap.mpi.value.name, /^(Open MPI|MPICH|Intel MPI|MVAPICH) \d/);
    const gpus = await queryGpus();
    assert.equal(snap.gpus.state, gpus.ok && gpus.gpus.length > 0 ? 'found' : 'missing');
  });

  test('a missing launcher: the reason names the setting', async () => {
    const d = new RunDetection(() => ({ mpiLauncher: '/nonexistent/mpirun', findMpirun, queryGpus: () => queryGpus('/nonexistent/nvidia-smi') }));
    const snap = await d.snapshot(15_000);
    assert.deepEqual(snap.mpi, { state: 'missing', reason: '"/nonexistent/mpirun" not found — check hpcJobs.mpi.launcher' });
    assert.equal(snap.gpus.state, 'missing');
  });

  test('a slow probe is pending after the wait, found later; each probe runs once until invalidated', async () => {
    const mpi = later<MpiLauncher>();
    let calls = 0;
    const d = new RunDetection(() => ({
      findMpirun: () => { calls++; return mpi.promise; },
      queryGpus: (): Promise<GpuQuery> => Promise.resolve({ ok: false, reason: 'missing', message: 'nvidia-smi not found on PATH' }),
    }));
    const t0 = Date.now();
    const first = await d.snapshot(50);
    assert.ok(Date.now() - t0 < 1000, 'did not wait for the slow probe');
    assert.deepEqual(first.mpi, { state: 'pending' });
    assert.deepEqual(first.gpus, { state: 'missing', reason: 'nvidia-smi not found on PATH' });
    mpi.resolve(launcher);
    assert.deepEqual(await d.mpi(), { state: 'found', value: { name: 'Open MPI 4.1.4', path: '/usr/bin/mpirun' } });
    assert.deepEqual((await d.snapshot(50)).mpi.state, 'found');
    assert.equal(calls, 1);
    d.invalidate();
    await d.snapshot(50);
    assert.equal(calls, 2);
  });
});
