/**
 * Durations in words (server/src/durationWords.ts): every style its callers show, pinned here
 * once — the Jobs view's clock and limits, accounting figures, start estimates, the linter.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { clockDuration, figureDuration, limitDuration, spelledDuration, waitDuration } from '../../../server/src/durationWords';

const rows = (f: (s: number) => string, cases: readonly (readonly [number, string])[]) => {
  for (const [s, text] of cases) assert.equal(f(s), text, `${s} s`);
};

describe('durations in words', () => {
  test('a running clock: to the second below an hour, never rounded up', () => rows(clockDuration, [
    [0, '0s'], [0.999, '0s'], [45, '45s'], [65, '1m 05s'], [80, '1m 20s'], [600, '10m 00s'],
    [3600 + 5 * 60 + 9, '1h 05m'], [26 * 3600, '1d 2h'], [-0.005, '0s'],
  ]));

  test('an accounting figure: rounded, zero seconds left out, the others padded', () => rows(figureDuration, [
    [0, '0s'], [20.6, '21s'], [120, '2m'], [754, '12m 34s'], [725, '12m 05s'], [3600, '1h 00m'], [7500, '2h 05m'], [97200, '1d 3h'],
  ]));

  test('a limit: every part that is not zero', () => rows(limitDuration, [
    [600, '10m'], [5400, '1h 30m'], [2 * 86400, '2d'], [45, '45s'], [0, '0s'], [86400 + 60, '1d 1m'], [3661, '1h 1m 1s'],
  ]));

  test('a wait: to the minute, spaced units', () => rows(waitDuration, [
    [60, '1 min'], [240, '4 min'], [130 * 60, '2 h 10 min'], [120 * 60, '2 h'], [76 * 3600, '3 d 4 h'], [48 * 3600, '2 d'],
  ]));

  test('spelled out: every part, singular or plural', () => rows(spelledDuration, [
    [0, '0 seconds'], [1, '1 second'], [670, '11 minutes 10 seconds'], [2 * 86400 + 12 * 3600, '2 days 12 hours'], [3600, '1 hour'],
  ]));
});
