import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { UnitExit } from '../../../runtimes/src/runtime';
import { exitCodeOf, finalState, summarize } from '../../../runtimes/src/runSummary';

const base = { cancelled: false, notStarted: 0 };

describe('final state and summary', () => {
  const rows: Array<[string, UnitExit[], boolean, string, string, number]> = [
    ['all ranks fine', [0, 1, 2, 3].map((rank) => ({ rank, code: 0 })), false, 'succeeded', 'all 4 ranks exited with 0', 0],
    ['one process', [{ code: 0 }], false, 'succeeded', 'exited with 0', 0],
    ['a failing rank first, then those mpirun ended', [{ rank: 0, code: null, signal: 'SIGTERM' }, { rank: 1, code: 0 }, { rank: 2, code: 3 }], false,
      'failed', 'rank 2 exited with 3, rank 0 was killed by SIGTERM; 1 other succeeded', 3],
    ['many failing tasks', [1, 2, 3, 4, 5, 6].map((task) => ({ task, code: 1 })), false, 'failed',
      'task 1 exited with 1, task 2 exited with 1, task 3 exited with 1, task 4 exited with 1 and 2 more failed', 1],
    ['killed by a signal', [{ task: 0, code: null, signal: 'SIGKILL' }], false, 'failed', 'task 0 was killed by SIGKILL', 137],
    ['a time limit', [{ task: 0, code: null, signal: 'SIGTERM', timedOut: true }, { task: 1, code: 0 }], false, 'timedOut',
      'task 0 reached its time limit (1 min) and was stopped; 1 other succeeded', 124],
    ['cancelled', [{ task: 0, code: null, signal: 'SIGTERM' }, { task: 1, code: 0 }], true, 'cancelled',
      'cancelled: 1 task stopped, 1 task had already succeeded, 3 never started', 130],
  ];
  for (const [name, exits, cancelled, state, summary, code] of rows) {
    test(name, () => {
      const input = { ...base, exits, cancelled, notStarted: cancelled ? 3 : 0, timeLimit: '1 min' };
      assert.equal(finalState(input), state);
      assert.equal(summarize(input), summary);
      assert.equal(exitCodeOf(finalState(input) as never, exits), code);
    });
  }
  test('mpirun failing before any rank ran', () => {
    assert.equal(summarize({ ...base, exits: [{ code: 1 }], launcherName: 'mpirun' }), 'mpirun exited with 1');
  });
});
