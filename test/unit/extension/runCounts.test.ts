import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { countLimits, defaultCount, parseCount, validateCount } from '../../../extension/src/run/runCounts';
import { MAX_PROCESSES, MAX_TASKS } from '../../../runtimes/src/runSpec';

describe('validateCount: the input box accepts 1..max and says why not', () => {
  const workers = countLimits('workers');
  test('accepted', () => {
    for (const v of ['1', '8', ` ${MAX_PROCESSES} `, '+3']) assert.equal(validateCount(v, workers), undefined, v);
    assert.equal(parseCount(' 12 '), 12);
  });
  const rejected: Array<[string, RegExp]> = [
    ['0', /must be at least 1/],
    ['-2', /must be at least 1/],
    ['abc', /"abc" is not a whole number/],
    ['2.5', /not a whole number/],
    ['', /Enter the number of workers/],
    [String(MAX_PROCESSES + 1), new RegExp(`At most ${MAX_PROCESSES} workers in one local run`)],
  ];
  for (const [v, re] of rejected) test(`"${v}" rejected`, () => assert.match(validateCount(v, workers) ?? '', re));

  test('tasks may be many more than processes', () => {
    assert.equal(validateCount(String(MAX_TASKS), countLimits('tasks')), undefined);
    assert.match(validateCount(String(MAX_TASKS + 1), countLimits('tasks')) ?? '', /At most 100000 tasks/);
  });

  test('GPUs: no more than this machine has, and it says so', () => {
    assert.match(validateCount('3', countLimits('gpus', 2)) ?? '', /At most 2 GPUs: this machine has 2 GPUs/);
    assert.equal(validateCount('2', countLimits('gpus', 2)), undefined);
  });
});

describe('defaultCount', () => {
  test('the cores; at least 2 ranks; every GPU, or one simulated', () => {
    assert.equal(defaultCount('workers', 8), 8);
    assert.equal(defaultCount('ranks', 1), 2);
    assert.equal(defaultCount('gpus', 8, 4), 4);
    assert.equal(defaultCount('gpus', 8), 1);
  });
});
