/**
 * The GPU backend. This machine has no NVIDIA GPU (no nvidia-smi): the backend must say so
 * clearly, and numba's CUDA simulator must run the @cuda.jit example on the CPU. Where
 * nvidia-smi exists, the real path runs: one process per GPU, with utilisation samples.
 *
 * Run: node --import tsx --test test/integration/runtimes/gpu.test.ts
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { LaunchError, queryGpus } from '../../../runtimes/src/index';
import type { Metric } from '../../../runtimes/src/runtime';
import { collect, has, needs, pythonHas, SYSTEM_PYTHON, TempDirs } from './runtimeHarness';

const dirs = new TempDirs();
after(() => dirs.clean());

const gpuHere = has('nvidia-smi', ['-L']);

describe('no GPU on this machine', { skip: gpuHere ? 'this machine has an NVIDIA GPU' : false }, () => {
  test('a clear LaunchError that points to the simulator', async () => {
    await assert.rejects(dirs.launch({ backend: 'gpu', program: 'examples/add-list-cudajit.py' }), (e: unknown) => {
      assert.ok(e instanceof LaunchError);
      assert.match(e.message, /^No NVIDIA GPU found: nvidia-smi not found/);
      assert.match(e.hint!, /NUMBA_ENABLE_CUDASIM=1/);
      assert.match(e.hint!, /@cuda\.jit/);
      return true;
    });
  });
  test('queryGpus says nvidia-smi is missing instead of throwing', async () => {
    const q = await queryGpus();
    assert.equal(q.ok, false);
  });
});

describe('numba CUDA simulator', needs(pythonHas(SYSTEM_PYTHON, 'numba'), '/usr/bin/python3 with numba'), () => {
  test('add-list-cudajit.py runs its @cuda.jit kernel on the CPU, one process per simulated GPU', { timeout: 120_000 }, async () => {
    const run = await dirs.launch({ backend: 'gpu', program: 'examples/add-list-cudajit.py', args: ['2000'], gpus: 2, cudaSim: true, python: SYSTEM_PYTHON });
    const lines = collect(run);
    const result = await run.result;
    assert.equal(result.state, 'succeeded', lines.map((l) => l.text).join('\n'));
    for (const task of [0, 1]) {
      assert.ok(lines.some((l) => l.task === task && /^2000 elements on CUDA simulator \(CPU\): .* result correct$/.test(l.text)), `task ${task}`);
    }
    assert.ok(lines.some((l) => l.system && /@vectorize\(target='cuda'\) does not work under the simulator/.test(l.text)));
  });
  test('the simulator needs numba in the chosen interpreter', { skip: pythonHas('python3', 'numba') ? 'python3 on PATH has numba' : false }, async () => {
    await assert.rejects(dirs.launch({ backend: 'gpu', program: 'examples/add-list-cudajit.py', cudaSim: true, python: 'python3' }),
      (e: unknown) => e instanceof LaunchError && /needs numba/.test(e.message));
  });
});

// Never required: most machines (and CI) have no GPU; prove it where one is at hand.
describe('a real NVIDIA GPU', { skip: gpuHere ? false : 'no NVIDIA GPU (nvidia-smi) here' }, () => {
  test('one process per GPU with CUDA_VISIBLE_DEVICES, and metrics while it runs', { timeout: 120_000 }, async () => {
    const q = await queryGpus();
    assert.ok(q.ok && q.gpus.length > 0);
    const run = await dirs.launch({ backend: 'gpu', program: 'sh', args: ['-c', 'echo "sees $CUDA_VISIBLE_DEVICES"; sleep 2.5'], gpus: 1, sampleMs: 500 });
    const metrics: Metric[] = [];
    run.onDidMetric((m) => metrics.push(m));
    const lines = collect(run);
    const result = await run.result;
    assert.equal(result.state, 'succeeded');
    const first = q.ok ? q.gpus[0]!.index : 0;
    assert.ok(lines.some((l) => l.task === first && l.text === `sees ${first}`));
    assert.ok(metrics.some((m) => m.name === 'gpuMemoryTotalMB' && m.device === first && m.value > 0), JSON.stringify(metrics));
  });
});
