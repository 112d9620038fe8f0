/**
 * One set of limits and one sentence for a wrong count, whether typed into the input box, given
 * in tasks.json, on the command line or in a run spec.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { countLimit, countProblem, readCount, type CountKind } from '../../../../runtimes/src/request/counts';
import { MAX_PROCESSES, MAX_TASKS } from '../../../../runtimes/src/runSpec';

describe('countLimit: each count, its noun and its upper bound', () => {
  const rows: Array<[CountKind, string, number]> = [
    ['workers', 'workers', MAX_PROCESSES],
    ['ranks', 'MPI ranks', MAX_PROCESSES],
    ['tasks', 'tasks', MAX_TASKS],
    ['parallel', 'tasks at once', MAX_PROCESSES],
    ['gpus', 'GPUs', MAX_PROCESSES],
    ['arrayParallel', 'array tasks at once', MAX_PROCESSES],
  ];
  for (const [kind, what, max] of rows) {
    test(`${kind}: 1 to ${max} ${what}`, () => {
      const limit = countLimit(kind);
      assert.deepEqual(readCount('1', limit), { count: 1 });
      assert.deepEqual(readCount(String(max), limit), { count: max });
      assert.deepEqual(readCount(String(max + 1), limit), { problem: `The number of ${what} must be a whole number from 1 to ${max}, not ${max + 1}.` });
      assert.equal(countProblem(max, limit), undefined);
      assert.equal(countProblem(max + 1, limit), `The number of ${what} must be a whole number from 1 to ${max}, not ${max + 1}.`);
    });
  }
  test('GPUs: no more than this machine has, and the message says why', () => {
    assert.deepEqual(readCount('3', countLimit('gpus', 2)), { problem: 'The number of GPUs must be a whole number from 1 to 2 (this machine has 2 GPUs), not 3.' });
    assert.deepEqual(readCount('2', countLimit('gpus', 2)), { count: 2 });
    assert.equal(countProblem(2, countLimit('gpus', 1)), 'The number of GPUs must be a whole number from 1 to 1 (this machine has 1 GPU), not 2.');
  });
});

describe('readCount: a count as typed', () => {
  const workers = countLimit('workers');
  test('accepted: spaces around, a plus sign', () => {
    for (const [text, n] of [[' 8 ', 8], ['+3', 3], ['007', 7]] as const) assert.deepEqual(readCount(text, workers), { count: n }, text);
  });
  const rejected: Array<[string, string]> = [
    ['0', 'not 0'], ['-2', 'not -2'], ['+0', 'not +0'],
    ['abc', 'not "abc"'], ['2.5', 'not "2.5"'], ['1e3', 'not "1e3"'], ['0x10', 'not "0x10"'], ['4 4', 'not "4 4"'],
    ['99999999999999999999', 'not 99999999999999999999'],
  ];
  for (const [text, shown] of rejected) {
    test(`${JSON.stringify(text)} refused`, () => {
      assert.deepEqual(readCount(text, workers), { problem: `The number of workers must be a whole number from 1 to ${MAX_PROCESSES}, ${shown}.` });
    });
  }
  test('nothing typed: the rule, without a value', () => {
    assert.deepEqual(readCount('  ', workers), { problem: `The number of workers must be a whole number from 1 to ${MAX_PROCESSES}.` });
  });
  test('where the value was given leads the message', () => {
    assert.deepEqual(readCount('two', countLimit('ranks'), '-n'), { problem: `-n: the number of MPI ranks must be a whole number from 1 to ${MAX_PROCESSES}, not "two".` });
  });
  test('a count without an upper bound (an sbatch option)', () => {
    assert.deepEqual(readCount('100000000', { what: 'nodes' }, '--nodes'), { count: 100000000 });
    assert.deepEqual(readCount('0', { what: 'nodes' }, '--nodes'), { problem: '--nodes: the number of nodes must be a whole number of at least 1, not 0.' });
  });
});

describe('countProblem: a count given as a value (tasks.json, a run spec)', () => {
  const ranks = countLimit('ranks');
  test('a number within the limit', () => assert.equal(countProblem(4, ranks, '"ranks"'), undefined));
  const rejected: Array<[unknown, string]> = [
    [0, '0'], [-3, '-3'], [2.5, '2.5'], [Number.NaN, 'NaN'], ['4', '"4"'], [null, 'null'], [[2], '[2]'], [true, 'true'], [{ n: 1 }, '{"n":1}'],
  ];
  for (const [value, shown] of rejected) {
    test(`${shown} refused`, () => {
      assert.equal(countProblem(value, ranks, '"ranks"'), `"ranks": the number of MPI ranks must be a whole number from 1 to ${MAX_PROCESSES}, not ${shown}.`);
    });
  }
});
