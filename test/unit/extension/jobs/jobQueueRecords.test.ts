/**
 * A queue listing folded into job entries, from real squeue answers of Slurm 22.05 (the
 * recorded fixtures of test/unit/runtimes/slurm): arrays with finished, failed and pending tasks, a
 * held array, a running job.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { changes, entryFromQueue, fieldsFromRecords, groupByJob, progressFields } from '../../../../extension/src/jobs/queueRecords';
import { parseSqueueFormat } from '../../../../runtimes/src/slurm/squeueFormat';
import { parseSqueueJson } from '../../../../runtimes/src/slurm/squeueJson';

const FIXTURES = path.join(__dirname, '../../runtimes/slurm/fixtures');
const json = parseSqueueJson(readFileSync(path.join(FIXTURES, 'squeue-22.05.json'), 'utf8'));
const byJob = groupByJob(json);

describe('squeue --json records to entries', () => {
  test('records are grouped by the array\'s master id', () => {
    assert.deepEqual([...byJob.keys()], ['2266', '2269', '2270', '2271']);
    assert.equal(byJob.get('2266')!.length, 3);
  });

  test('an ended array: its worst outcome, each task\'s exit, Slurm\'s summary', () => {
    const f = fieldsFromRecords('2266', byJob.get('2266')!);
    assert.equal(f.state, 'failed');
    assert.equal(f.slurmState, '1 COMPLETED, 2 FAILED');
    assert.deepEqual(f.units?.map((u) => [u.index, u.state, u.exit?.code]), [[0, 'succeeded', 0], [1, 'failed', 1], [2, 'failed', 2]]);
    assert.match(f.summary!, /task 1 FAILED with exit code 1/);
    assert.equal(f.name, 'wrap');
    assert.equal(f.user, 'hpcuser');
    assert.equal(f.timeLimitMs, 30 * 60_000);
    assert.ok(f.endedAt && f.startedAt && f.endedAt >= f.startedAt);
  });

  test('a held array: ten pending tasks (the %2 limit is not an index), the reason, no start', () => {
    const f = fieldsFromRecords('2270', byJob.get('2270')!);
    assert.equal(f.state, 'queued');
    assert.equal(f.reason, 'JobHeldUser');
    assert.deepEqual(f.units?.map((u) => u.index), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.ok(f.units!.every((u) => u.state === 'queued' && u.jobId === '2270'));
    assert.equal(f.startedAt, undefined, 'a pending job\'s start_time is an estimate');
    assert.equal(f.summary, undefined);
  });

  test('a running job: no units, its start, its 2-minute limit', () => {
    const f = fieldsFromRecords('2271', byJob.get('2271')!);
    assert.equal(f.state, 'running');
    assert.equal(f.units, undefined);
    assert.equal(f.timeLimitMs, 120_000);
    assert.ok(f.startedAt);
    assert.equal(f.nodes, 'n1');
  });

  test('a new entry: no request, no file, named as Slurm names it', () => {
    const e = entryFromQueue('hpc', '2271', fieldsFromRecords('2271', byJob.get('2271')!), 5);
    assert.equal(e.key, 'slurm:hpc:2271');
    assert.equal(e.name, 'running');
    assert.equal(e.request, undefined);
    assert.equal(e.file, undefined);
    assert.notEqual(e.submittedAt, 5, 'submit_time from squeue');
  });
});

describe('squeue format-string records', () => {
  test('no names or times: the entry is "job <id>", submitted when first seen', () => {
    const records = parseSqueueFormat(readFileSync(path.join(FIXTURES, 'squeue-format-22.05.txt'), 'utf8'));
    const groups = groupByJob(records);
    const [id, recs] = [...groups].find(([, rs]) => rs.some((r) => r.state === 'RUNNING'))!;
    const e = entryFromQueue('hpc', id, fieldsFromRecords(id, recs), 42);
    assert.equal(e.name, `job ${id}`);
    assert.equal(e.submittedAt, 42);
    assert.equal(e.state, 'running');
  });
});

describe('change detection', () => {
  test('equal fields are no change; a new unit list or state is', () => {
    const f = fieldsFromRecords('2270', byJob.get('2270')!);
    const e = entryFromQueue('hpc', '2270', f, 0);
    const rest = progressFields(f);
    assert.ok(!('name' in rest) && !('submittedAt' in rest) && rest.state === 'queued');
    assert.equal(changes(e, rest), false);
    assert.equal(changes(e, { ...rest, state: 'running' }), true);
    assert.equal(changes(e, { units: f.units!.slice(1) }), true);
    assert.equal(changes(e, {}), false);
  });
});
