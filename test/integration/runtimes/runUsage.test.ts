/**
 * What a local run used, read from /proc while it runs: a pool of 2 workers, each holding 60 MiB
 * and spending 1.5 s of CPU, measured against what the program measured itself (getrusage of
 * itself and its reaped children). Linux only.
 *
 * Run: node --import tsx --test test/integration/runtimes/runUsage.test.ts
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { statTimes, statusMemory } from '../../../runtimes/src/runUsage';
import { collect, program, TempDirs } from './runtimeHarness';

const dirs = new TempDirs();
after(() => dirs.clean());
const MiB = 1024 ** 2;

describe('local run usage', () => {
  test('CPU time of the whole tree and peak memory of the workers together', async () => {
    const run = await dirs.launch({ backend: 'pool', program: program('usage_probe.py'), workers: 2 });
    const lines = collect(run);
    const result = await run.result;
    assert.equal(result.state, 'succeeded', result.summary);
    const self = Number(/SELF cpu=([\d.]+)/.exec(lines.map((l) => l.text).join('\n'))?.[1]);
    assert.ok(self >= 3, `the program measured ${self} s`);
    const usage = result.usage!;
    assert.ok(usage, 'the result carries the usage');
    // Sampled once a second: within 20% and half a second of what the program counted.
    assert.ok(Math.abs(usage.cpuS - self) <= 0.2 * self + 0.5, `meter ${usage.cpuS} s, program ${self} s`);
    // Two workers of 60 MiB each were alive together at some sample (plus the interpreters).
    assert.ok(usage.peakRssBytes >= 2 * 60 * MiB && usage.peakRssBytes < 1024 * MiB, `peak ${usage.peakRssBytes / MiB} MiB`);
    assert.ok(usage.samples >= 2);
  });

  test('a run over before any look found it alive has no figures, not "CPU 0.0 cores · mem 0 MiB"', async () => {
    const run = await dirs.launch({ backend: 'tasks', program: 'true', tasks: 1, parallel: 1 });
    const result = await run.result;
    assert.equal(result.state, 'succeeded', result.summary);
    assert.equal(result.usage, undefined, JSON.stringify(result.usage));
  });

  test('/proc fields as Linux writes them', () => {
    const stat = '4242 (python3 (worker)) S 4000 4242 4242 0 -1 4194560 100 0 0 0 150 20 30 5 20 0 1 0 1234 0 0';
    assert.deepEqual(statTimes(stat), { ppid: 4000, ticks: 150 + 20 + 30 + 5 });
    assert.deepEqual(statusMemory('Name:\tpython3\nVmHWM:\t  81920 kB\nVmRSS:\t   61440 kB\n'), { rss: 61440 * 1024, hwm: 81920 * 1024 });
  });
});
