import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { countLimits, defaultCount, parseCount, validateCount } from '../../../../extension/src/run/runCounts';
import { MAX_PROCESSES, MAX_TASKS } from '../../../../runtimes/src/runSpec';

describe('validateCount: the input box accepts 1..max and says why not', () => {
  const workers = countLimits('workers');
  test('accepted', () => {
    for (const v of ['1', '8', ` ${MAX_PROCESSES} `, '+3']) assert.equal(validateCount(v, workers), undefined, v);
    assert.equal(parseCount(' 12 '), 12);
  });
  const rule = `The number of workers must be a whole number from 1 to ${MAX_PROCESSES}`;
  const rejected: Array<[string, string]> = [
    ['0', `${rule}, not 0.`],
    ['-2', `${rule}, not -2.`],
    ['abc', `${rule}, not "abc".`],
    ['2.5', `${rule}, not "2.5".`],
    ['', `${rule}.`],
    [String(MAX_PROCESSES + 1), `${rule}, not ${MAX_PROCESSES + 1}.`],
  ];
  for (const [v, message] of rejected) test(`"${v}" rejected`, () => assert.equal(validateCount(v, workers), message));

  test('tasks may be many more than processes', () => {
    assert.equal(validateCount(String(MAX_TASKS), countLimits('tasks')), undefined);
    assert.equal(validateCount(String(MAX_TASKS + 1), countLimits('tasks')), 'The number of tasks must be a whole number from 1 to 100000, not 100001.');
  });

  test('GPUs: no more than this machine has, and it says so', () => {
    assert.equal(validateCount('3', countLimits('gpus', 2)), 'The number of GPUs must be a whole number from 1 to 2 (this machine has 2 GPUs), not 3.');
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
