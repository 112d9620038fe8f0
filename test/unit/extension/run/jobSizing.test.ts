/** What to ask for next time: raised values after a limit was hit, right-size suggestions from a script's runs. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatMemMb, formatMinutes, partitionLimits, raisedOptions, rightSize } from '../../../../extension/src/run/jobSizing';
import type { RunFigures } from '../../../../extension/src/jobs/scriptHistory';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;
const script = (...directives: string[]) => `#!/bin/bash\n${directives.map((d) => `#SBATCH ${d}`).join('\n')}\nsrun ./solver\n`;
const run = (f: Partial<RunFigures>, i = 0): RunFigures => ({ at: 1000 + i, jobId: String(100 + i), ...f });

describe('raised options after a limit', () => {
  test('out of memory: twice the --mem, in the option the script uses', () => {
    assert.deepEqual(raisedOptions(script('--mem=4G', '--time=10'), { badge: '', outOfMemory: true }, false), { options: ['--mem=8G'], changes: ['--mem 4G → 8G'] });
    assert.deepEqual(raisedOptions(script('--mem-per-cpu=300M'), { badge: '', outOfMemory: true }, false), { options: ['--mem-per-cpu=640M'], changes: ['--mem-per-cpu 300M → 640M'] });
    // No memory asked: twice what the cluster's default gave it, per node.
    assert.deepEqual(raisedOptions(script('--nodes=2'), { badge: '', outOfMemory: true, allocMemBytes: 2 * 512 * MiB, nodes: 2 }, false),
      { options: ['--mem=1G'], changes: ['--mem 512M (the default) → 1G'] });
  });

  test('timed out: twice the --time, in units people write', () => {
    assert.deepEqual(raisedOptions(script('--time=45'), { badge: '', timedOut: true }, true), { options: ['--time=01:30:00'], changes: ['--time 00:45:00 → 01:30:00'] });
    assert.deepEqual(raisedOptions(script('--time=1-00:00:00'), { badge: '' }, true)?.options, ['--time=2-00:00:00']);
    assert.equal(raisedOptions(script('--time=10'), { badge: '' }, false), undefined, 'nothing lacked, nothing raised');
  });

  test('formats', () => {
    assert.deepEqual([formatMemMb(4096), formatMemMb(1536), formatMemMb(300)], ['4G', '1536M', '300M']);
    assert.deepEqual([formatMinutes(15), formatMinutes(90), formatMinutes(1440 + 30)], ['00:15:00', '01:30:00', '1-00:30:00']);
  });
});

describe('right-size suggestions', () => {
  const text = script('--ntasks=4', '--cpus-per-task=8', '--mem=16G', '--time=04:00:00');
  const lineOf = (option: string) => text.split('\n').findIndex((l) => l.includes(`--${option}=`));

  test('three runs well under what was asked: cut memory, time and CPUs to the 95th percentile + 20%, on their own lines', () => {
    const runs = [0, 1, 2].map((i) => run({ peakMemBytes: (0.9 + 0.1 * i) * GiB, nodes: 1, elapsedS: (10 + i * 2) * 60, cpuEfficiency: 0.2, allocCpus: 32 }, i));
    const s = rightSize(text, runs);
    assert.deepEqual(s.map((x) => [x.option, x.current, x.proposed, x.direction, x.line]), [
      ['mem', '16G', '2G', 'down', lineOf('mem')],
      ['time', '04:00:00', '00:20:00', 'down', lineOf('time')],
      ['cpus-per-task', '8', '2', 'down', lineOf('cpus-per-task')],
    ]);
    assert.equal(s[0]!.evidence, 'the last 3 runs: peak 1.1 GiB of 16.0 GiB per node');
    assert.equal(s[1]!.evidence, 'the last 3 runs: longest 00:14:00 of 04:00:00');
    // The replacement range is the value itself.
    const mem = s[0]!;
    assert.equal(text.split('\n')[mem.line]!.slice(mem.start, mem.end), '16G');
  });

  test('fewer than 3 runs, or little to gain: no cut', () => {
    assert.deepEqual(rightSize(text, [run({ peakMemBytes: GiB, elapsedS: 600 })]), []);
    const close = [0, 1, 2].map((i) => run({ peakMemBytes: 14 * GiB, elapsedS: 3 * 3600, cpuEfficiency: 0.9 }, i));
    assert.deepEqual(rightSize(text, close), []);
  });

  test('a run cut short by a limit is a lower bound: the suggestion goes up, even with plenty of small runs', () => {
    const runs = [run({ peakMemBytes: GiB }, 0), run({ peakMemBytes: GiB }, 1), run({ peakMemBytes: 16 * GiB, outOfMemory: true }, 2)];
    const [mem] = rightSize(text, runs);
    assert.deepEqual([mem!.option, mem!.proposed, mem!.direction], ['mem', '32G', 'up']);
    assert.match(mem!.evidence, /^ran out of memory in 1 of last 3 runs/);
    const [time] = rightSize(text, [run({ elapsedS: 4 * 3600, timedOut: true })]);
    assert.deepEqual([time!.option, time!.proposed, time!.direction], ['time', '08:00:00', 'up']);
  });

  test('--mem-per-cpu is sized per CPU; --mem=0 (all of a node) is left alone', () => {
    const perCpu = script('--ntasks=4', '--mem-per-cpu=4G', '--time=10');
    const runs = [0, 1, 2].map((i) => run({ peakMemBytes: 4 * 500 * MiB, allocCpus: 4 }, i));
    assert.deepEqual(rightSize(perCpu, runs).map((x) => [x.option, x.proposed]), [['mem-per-cpu', '640M']]);
    assert.deepEqual(rightSize(script('--mem=0', '--time=10'), runs), []);
  });
});

describe('right-size within the partition', () => {
  const profile = {
    name: 'hpc', fetchedAt: '', nodes: [{ name: 'n1', cpus: 32, memoryMB: 64 * 1024, gres: [] }, { name: 'g1', cpus: 16, memoryMB: 256 * 1024, gres: [] }],
    partitions: [
      { name: 'cpu', isDefault: true, maxTimeMinutes: 24 * 60, nodes: ['n1'] },
      { name: 'gpu', isDefault: false, maxTimeMinutes: Infinity, nodes: ['g1'] },
    ],
  };

  test('limits of the partition asked for, or of the default one', () => {
    assert.deepEqual(partitionLimits(script('--time=10'), profile), { partition: 'cpu', maxTimeMinutes: 1440, maxNodeMemMb: 65536, maxCpusPerNode: 32 });
    assert.deepEqual(partitionLimits(script('--partition=gpu'), profile), { partition: 'gpu', maxNodeMemMb: 262144, maxCpusPerNode: 16 });
    assert.equal(partitionLimits(script('--partition=nope'), profile), undefined);
  });

  test('more than the partition allows: the most it allows, said; already at the most: nothing', () => {
    const text = script('--mem=48G', '--time=20:00:00');
    const limits = partitionLimits(text, profile)!;
    const runs = [run({ peakMemBytes: 48 * GiB, outOfMemory: true, elapsedS: 20 * 3600, timedOut: true })];
    const s = rightSize(text, runs, limits);
    assert.deepEqual(s.map((x) => [x.option, x.proposed]), [['mem', '64G'], ['time', '1-00:00:00']]);
    assert.match(s[0]!.evidence, /; 64G is the most partition cpu allows$/);
    assert.deepEqual(rightSize(script('--mem=64G'), [run({ peakMemBytes: 64 * GiB, outOfMemory: true })], limits), []);
  });
});
