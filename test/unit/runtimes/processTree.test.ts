import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseStat, selectRunProcesses, type ProcessInfo } from '../../../runtimes/src/processTree';

describe('parseStat', () => {
  test('a command with spaces and parentheses', () => {
    const stat = '4242 (my (odd) prog) S 1 4240 4240 0 -1 4194560 108 0 0 0 0 0 0 0 20 0 1 0 4471234 3158016 234';
    assert.deepEqual(parseStat(stat), { pid: 4242, command: 'my (odd) prog', state: 'S', ppid: 1, pgid: 4240, startTicks: 4471234 });
  });
  test('garbage', () => assert.equal(parseStat('nonsense'), undefined));
});

describe('selectRunProcesses: groups, descendants, marked, no zombies', () => {
  const p = (pid: number, ppid: number, pgid: number, state = 'S'): ProcessInfo => ({ pid, ppid, pgid, state, command: `p${pid}`, startTicks: 0 });
  const table = [
    p(1, 0, 1),
    p(100, 1, 100),           // a unit: its own group
    p(101, 100, 100),         // pool worker
    p(102, 1, 100),           // orphan, re-parented, same group
    p(200, 100, 200),         // MPI rank in a group of its own
    p(201, 200, 200),         // the rank's child
    p(202, 200, 202, 'Z'),    // a zombie: already gone
    p(300, 1, 300),           // unrelated
  ];
  test('everything of unit 100, nothing else', () => {
    const found = selectRunProcesses({ roots: [100], groups: [100] }, table).map((x) => x.pid).sort((a, b) => a - b);
    assert.deepEqual(found, [100, 101, 102, 200, 201]);
  });
  test('after the unit exited: its group only', () => {
    const found = selectRunProcesses({ roots: [], groups: [100] }, table.filter((x) => x.pid !== 100)).map((x) => x.pid).sort((a, b) => a - b);
    assert.deepEqual(found, [101, 102]);
  });
  test('a daemon found by its marker brings its children', () => {
    const found = selectRunProcesses({ roots: [], groups: [] }, [...table, p(400, 1, 400), p(401, 400, 400)], new Set([400])).map((x) => x.pid);
    assert.deepEqual(found.sort((a, b) => a - b), [400, 401]);
  });
  test('the subreaper\'s children and theirs are the run\'s, the subreaper itself is not', () => {
    // 500: the spawner; 501: a daemon re-parented to it (own session, no marker); 502 its child.
    const withReaper = [...table, p(500, 1, 500), p(501, 500, 501), p(502, 501, 501), p(503, 1, 503)];
    const found = selectRunProcesses({ roots: [], groups: [], reaper: 500 }, withReaper).map((x) => x.pid);
    assert.deepEqual(found.sort((a, b) => a - b), [501, 502]);
  });
});
