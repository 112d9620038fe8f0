/**
 * A run left "running" by a killed launcher is told from a live one by the launcher's pid and
 * start time on this host; only such records are rewritten, and only the most recent ones.
 * Real files in a temporary folder and this process's own /proc entry.
 *
 * Run: node --import tsx --test test/unit/runtimes/staleRuns.test.ts
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { markStaleRuns, RECENT_RUNS, recordedEnd, thisLauncher } from '../../../runtimes/src/staleRuns';

const root = mkdtempSync(path.join(tmpdir(), 'hpc-jobs-stale-'));
after(() => rmSync(root, { recursive: true, force: true }));

const me = thisLauncher()!;
let n = 0;
function folder(): string {
  const d = path.join(root, `f${n++}`);
  mkdirSync(d);
  return d;
}
function run(logDir: string, id: string, record: object): string {
  const dir = path.join(logDir, id);
  mkdirSync(dir, { mode: 0o700 });
  writeFileSync(path.join(dir, 'run.json'), JSON.stringify({ id, backend: 'pool', spec: {}, createdAt: 0, ...record }), { mode: 0o600 });
  return dir;
}
const stateOf = (dir: string) => (JSON.parse(readFileSync(path.join(dir, 'run.json'), 'utf8')) as { state: string }).state;

describe('stale run records', () => {
  test('this process as launcher: still running, left alone', () => {
    const d = folder();
    const dir = run(d, 'pool-20260101-000000-aaaa', { state: 'running', launcher: me });
    assert.deepEqual(markStaleRuns(d), []);
    assert.equal(stateOf(dir), 'running');
    assert.equal(recordedEnd(dir), undefined);
  });

  test('its pid now belongs to a later process (another start time): marked failed, with the reason', () => {
    const d = folder();
    const dir = run(d, 'pool-20260101-000000-aaaa', { state: 'running', launcher: { ...me, startTicks: me.startTicks - 1 } });
    const stale = markStaleRuns(d);
    assert.deepEqual(stale.map((s) => s.id), ['pool-20260101-000000-aaaa']);
    const record = JSON.parse(readFileSync(path.join(dir, 'run.json'), 'utf8')) as { state: string; result: { state: string; summary: string } };
    assert.equal(record.state, 'failed');
    assert.equal(record.result.summary, `the launcher was killed (pid ${me.pid}); output up to then is in output.log`);
    // Once: the record is final now.
    assert.deepEqual(markStaleRuns(d), []);
  });

  test('left alone: a record whose id is not its folder\'s, a folder others may write', () => {
    const d = folder();
    const gone = { ...me, startTicks: me.startTicks - 1 };
    const renamed = run(d, 'pool-20260101-000001-aaaa', { state: 'running', launcher: gone, id: 'pool-20260101-000009-ffff' });
    const open = run(d, 'pool-20260101-000002-aaaa', { state: 'running', launcher: gone });
    chmodSync(open, 0o777);
    assert.deepEqual(markStaleRuns(d), []);
    assert.deepEqual([renamed, open].map(stateOf), ['running', 'running']);
  });

  test('left alone: another host\'s run, a record without a launcher, a finished run, a linked record', () => {
    const d = folder();
    const gone = { ...me, startTicks: me.startTicks - 1 };
    const dirs = [
      run(d, 'pool-20260101-000001-aaaa', { state: 'running', launcher: { ...gone, host: `not-${hostname()}` } }),
      run(d, 'pool-20260101-000002-aaaa', { state: 'running' }),
      run(d, 'pool-20260101-000003-aaaa', { state: 'succeeded', launcher: gone }),
    ];
    const elsewhere = run(folder(), 'pool-20260101-000004-aaaa', { state: 'running', launcher: gone });
    mkdirSync(path.join(d, 'pool-20260101-000004-aaaa'));
    symlinkSync(path.join(elsewhere, 'run.json'), path.join(d, 'pool-20260101-000004-aaaa', 'run.json'));
    assert.deepEqual(markStaleRuns(d), []);
    assert.deepEqual(dirs.map(stateOf), ['running', 'running', 'succeeded']);
    assert.equal(stateOf(elsewhere), 'running');
  });

  test(`only the ${RECENT_RUNS} most recent runs are looked at, newest by their time stamp`, () => {
    const d = folder();
    const gone = { ...me, startTicks: me.startTicks - 1 };
    for (let i = 0; i < RECENT_RUNS + 5; i++) run(d, `tasks-20260101-${String(100000 + i)}-abcd`, { state: 'running', launcher: gone });
    const marked = markStaleRuns(d).map((s) => s.id).sort();
    assert.equal(marked.length, RECENT_RUNS);
    assert.equal(marked[0], 'tasks-20260101-100005-abcd');
  });
});
