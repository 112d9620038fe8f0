import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { arrayIndexes, expandOutputPattern } from '../../../runtimes/src/outputPattern';
import { checkArray } from '../../../server/src/values/array';

const job = { jobId: 1234, jobName: 'pi', user: 'alice', node: 'n1' };
const task = { ...job, jobId: 1240, arrayJobId: 1234, arrayTaskId: 7 };

describe('expandOutputPattern: --output/--error as slurmd expands them', () => {
  const rows: Array<[string, typeof job, string]> = [
    ['slurm-%j.out', job, 'slurm-1234.out'],
    ['slurm-%A_%a.out', task, 'slurm-1234_7.out'],
    ['%x-%u-%N.log', job, 'pi-alice-n1.log'],
    ['out/%4a.txt', task, 'out/0007.txt'],
    ['%j.%J.%s.%n.%t', job, '1234.1234.batch.batch.0.0'],
    ['100%%-%j', job, '100%-1234'],
    ['%q%j', job, '%q1234'],
    ['no\\%j', job, 'no%j'],
    ['%a', job, '4294967294'],
    ['end%', job, 'end%'],
  ];
  for (const [pattern, values, want] of rows) test(pattern, () => assert.equal(expandOutputPattern(pattern, values), want));
});

describe('arrayIndexes: the indexes the linter counts', () => {
  const rows: Array<[string, number[]]> = [
    ['0-3', [0, 1, 2, 3]],
    ['0-3%2', [0, 1, 2, 3]],
    ['1,3,5', [1, 3, 5]],
    ['0-10:5', [0, 5, 10]],
    ['[0-2],7%1', [0, 1, 2, 7]],
    ['3,1-3', [1, 2, 3]],
  ];
  for (const [value, want] of rows) {
    test(value, () => {
      assert.deepEqual(arrayIndexes(value), want);
      assert.equal(checkArray(value, 'array').parsed?.count, want.length);
    });
  }
});
