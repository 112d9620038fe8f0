import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { gpuMetrics } from '../../../runtimes/src/gpuLauncher';
import { parseGpuQuery } from '../../../runtimes/src/nvidiaSmi';

// The only stand-in for a GPU in the tests: nvidia-smi's output format (see the fixtures' README).
const fixture = (name: string) => readFileSync(path.resolve(__dirname, '..', '..', 'fixtures', 'nvidia-smi', name), 'utf8');

describe('parseGpuQuery: nvidia-smi --query-gpu=index,name,memory.total,utilization.gpu,memory.used', () => {
  test('two GPUs', () => {
    assert.deepEqual(parseGpuQuery(fixture('sample-2x-a100.csv')), [
      { index: 0, name: 'NVIDIA A100-SXM4-40GB', memoryTotalMB: 40960, utilization: 0, memoryUsedMB: 4 },
      { index: 1, name: 'NVIDIA A100-SXM4-40GB', memoryTotalMB: 40960, utilization: 97, memoryUsedMB: 31245 },
    ]);
  });
  test('[N/A] and [Not Supported] leave the field out', () => {
    assert.deepEqual(parseGpuQuery(fixture('sample-mig-na.csv')), [
      { index: 0, name: 'NVIDIA H100 80GB HBM3', memoryTotalMB: 81559, memoryUsedMB: 0 },
      { index: 1, name: 'NVIDIA GeForce GT 710', utilization: 3 },
    ]);
  });
  test('noise and an empty answer', () => {
    assert.deepEqual(parseGpuQuery(''), []);
    assert.deepEqual(parseGpuQuery('No devices were found\n'), []);
    assert.deepEqual(parseGpuQuery('\r\n0, Tesla T4, 15360, 5, 100\r\n').map((g) => g.name), ['Tesla T4']);
  });
  test('metrics only for the GPUs of the run', () => {
    const metrics = gpuMetrics(parseGpuQuery(fixture('sample-2x-a100.csv')), new Set([1]), 42);
    assert.deepEqual(metrics, [
      { time: 42, device: 1, name: 'gpuUtilization', value: 97 },
      { time: 42, device: 1, name: 'gpuMemoryUsedMB', value: 31245 },
      { time: 42, device: 1, name: 'gpuMemoryTotalMB', value: 40960 },
    ]);
  });
});
