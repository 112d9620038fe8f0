/** The Slurm command outputs we read, recorded from the 22.05 test cluster (record-slurm-fixtures.sh). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { exitFromPair, exitFromWaitStatus, expandArrayIndexes, masterId, type JobRecord } from '../../../../runtimes/src/slurm/jobRecord';
import { parseSacct } from '../../../../runtimes/src/slurm/sacctOutput';
import { parseKeyValues, parseScontrolJobs } from '../../../../runtimes/src/slurm/scontrolOutput';
import { SlurmQueryError } from '../../../../runtimes/src/slurm/slurmErrors';
import { parseSqueueFormat } from '../../../../runtimes/src/slurm/squeueFormat';
import { parseSqueueJson, recordFromJson } from '../../../../runtimes/src/slurm/squeueJson';
import { runStateOf, slurmStateWord } from '../../../../runtimes/src/slurm/slurmState';

const fx = (name: string): string => readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');

/** The jobs the recording submitted, by role. */
function roles(records: readonly JobRecord[]) {
  const fail = records.find((r) => r.state === 'FAILED' && !r.arrayJobId)!;
  const arr = records.filter((r) => r.arrayJobId && !r.pendingTasks && r.state !== 'PENDING');
  const held = records.filter((r) => r.state === 'PENDING');
  const running = records.find((r) => r.state === 'RUNNING')!;
  return { fail, arr, held, running };
}

describe('squeue --json (22.05)', () => {
  const recs = parseSqueueJson(fx('squeue-22.05.json'));
  const { fail, arr, held, running } = roles(recs);

  test('array tasks: own id, master id, index; exit codes from the wait status', () => {
    assert.equal(arr.length, 3);
    const master = arr[0]!.arrayJobId!;
    assert.deepEqual(arr.map((r) => [r.arrayTaskId, r.state, r.exit?.code]).sort(), [[0, 'COMPLETED', 0], [1, 'FAILED', 1], [2, 'FAILED', 2]]);
    assert.ok(arr.every((r) => masterId(r) === master));
    // The last task to start keeps the master's own id.
    assert.equal(arr.find((r) => r.arrayTaskId === 2)!.jobId, master);
  });

  test('a failed job: exit 3, name with a space, the --output pattern unexpanded', () => {
    assert.deepEqual(fail.exit, { code: 3 });
    assert.equal(fail.name, 'fail job');
    assert.equal(fail.reason, 'NonZeroExitCode');
    assert.equal(fail.stdout, `${fail.workDir}/f_%j_%x.out`);
    assert.match(fail.workDir!, /^\/home\/hpcuser\//);
    assert.equal(fail.user, 'hpcuser');
  });

  test('a held array not yet split: one record with the pending indexes and its reason', () => {
    assert.equal(held.length, 1);
    assert.equal(held[0]!.pendingTasks, '0-9%2');
    assert.equal(held[0]!.reason, 'JobHeldUser');
    assert.equal(held[0]!.stdout, undefined); // default slurm-%A_%a.out
    assert.equal(held[0]!.exit, undefined);
  });

  test('running: nodes and start time, no exit yet', () => {
    assert.equal(running.nodes, 'n1');
    assert.ok(running.startTime! > 1.7e12);
    assert.equal(running.exit, undefined);
    assert.equal(running.endTime, undefined);
  });

  test('controller down: exit 0 with an errors entry — must not read as "no jobs"', () => {
    assert.throws(() => parseSqueueJson(fx('squeue-controller-down-22.05.json')), (e: unknown) =>
      e instanceof SlurmQueryError && /Failed while looking for jobs/.test(e.message));
    assert.throws(() => parseSqueueJson('squeue: error: something'), SlurmQueryError);
  });

  test('23.02+ shapes: state arrays, {set, number} numbers, exit objects', () => {
    const r = recordFromJson({
      job_id: 5, array_job_id: { set: true, number: 4 }, array_task_id: { set: true, number: 1 }, job_state: ['TIMEOUT'],
      exit_code: { status: ['SIGNALED'], return_code: { set: true, number: 0 }, signal: { id: { set: true, number: 15 }, name: 'TERM' } },
      start_time: { set: true, number: 1700000000 }, end_time: { set: true, number: 1700000060 },
    })!;
    assert.deepEqual([r.jobId, r.arrayJobId, r.arrayTaskId, r.state], ['5', '4', 1, 'TIMEOUT']);
    assert.deepEqual(r.exit, { code: null, signal: 'SIGTERM' });
    assert.equal(r.endTime, 1700000060000);
    const plain = recordFromJson({ job_id: 9, array_job_id: { set: false, number: 0 }, array_task_id: { set: false, number: 0 }, job_state: ['RUNNING'] })!;
    assert.equal(plain.arrayJobId, undefined);
    assert.equal(plain.arrayTaskId, undefined);
  });
});

describe('squeue --format (-r -t all)', () => {
  const recs = parseSqueueFormat(fx('squeue-format-22.05.txt'));
  test('one line per task; pending tasks carry the master id as their own', () => {
    const held = recs.filter((r) => r.state === 'PENDING');
    assert.equal(held.length, 10);
    assert.ok(held.every((r) => r.jobId === r.arrayJobId && r.reason === 'JobHeldUser'));
    const plain = recs.filter((r) => !r.arrayJobId);
    assert.deepEqual(plain.map((r) => r.state).sort(), ['FAILED', 'RUNNING']);
    assert.ok(recs.every((r) => r.exit === undefined), 'the format string has no exit codes');
  });
});

describe('sacct -X -P', () => {
  const recs = parseSacct(fx('sacct-22.05.txt'));
  test('tasks as master_index, never-started tasks grouped, "CANCELLED by uid" reduced to the word', () => {
    const fail = recs.find((r) => r.name === 'fail job')!;
    assert.deepEqual([fail.state, fail.exit], ['FAILED', { code: 3 }]);
    const group = recs.find((r) => r.pendingTasks)!;
    assert.equal(group.pendingTasks, '0-9%2');
    assert.deepEqual(recs.filter((r) => r.arrayTaskId !== undefined).map((r) => r.exit?.code), [0, 1, 2]);
    assert.equal(parseSacct('7|7|CANCELLED by 1001|0:15|None|Unknown|Unknown|None assigned|/w|a|b')[0]!.state, 'CANCELLED');
    assert.equal(parseSacct('7|7|CANCELLED by 1001|0:15|None|Unknown|Unknown|None assigned|/w|a|b')[0]!.name, 'a|b');
  });
});

describe('scontrol show job', () => {
  test('-o: values with spaces, keys with / and :, StdOut already expanded', () => {
    const recs = parseScontrolJobs(fx('scontrol-job-oneline-22.05.txt'));
    const fail = recs.find((r) => r.name === 'fail job')!;
    assert.match(fail.stdout!, /\/f_\d+_fail job\.out$/);
    assert.deepEqual(fail.exit, { code: 3 });
    assert.equal(recs.filter((r) => r.arrayJobId).length, 3);
    const kv = parseKeyValues('JobId=1 JobName=a b AllocNode:Sid=x:1 CPUs/Task=2 TRES=cpu=1,mem=2 Power=');
    assert.deepEqual([...kv], [['JobId', '1'], ['JobName', 'a b'], ['AllocNode:Sid', 'x:1'], ['CPUs/Task', '2'], ['TRES', 'cpu=1,mem=2'], ['Power', '']]);
  });

  test('multi-line form (no -o) reads the same', () => {
    const [held] = parseScontrolJobs(fx('scontrol-job-multiline-22.05.txt'));
    assert.equal(held!.state, 'PENDING');
    assert.equal(held!.reason, 'JobHeldUser');
    assert.equal(held!.pendingTasks, '0-9%2');
  });
});

describe('states and codes', () => {
  const table: [string, string | undefined][] = [
    ['PENDING', 'queued'], ['REQUEUE_HOLD', 'queued'], ['CONFIGURING', 'queued'], ['RUNNING', 'running'], ['COMPLETING', 'running'],
    ['SUSPENDED', 'running'], ['COMPLETED', 'succeeded'], ['FAILED', 'failed'], ['OUT_OF_MEMORY', 'failed'], ['NODE_FAIL', 'failed'],
    ['PREEMPTED', 'failed'], ['BOOT_FAIL', 'failed'], ['DEADLINE', 'failed'], ['CANCELLED', 'cancelled'], ['CANCELLED by 0', 'cancelled'],
    ['TIMEOUT', 'timedOut'], ['SOMETHING_NEW', undefined],
  ];
  for (const [s, want] of table) test(s, () => assert.equal(runStateOf(s), want));
  test('state words', () => assert.equal(slurmStateWord('CANCELLED by 1001'), 'CANCELLED'));
  test('exit codes: wait status and code:signal pairs', () => {
    assert.deepEqual(exitFromWaitStatus(768), { code: 3 });
    assert.deepEqual(exitFromWaitStatus(9), { code: null, signal: 'SIGKILL' });
    assert.deepEqual(exitFromPair('0:15'), { code: null, signal: 'SIGTERM' });
    assert.deepEqual(exitFromPair('2:0'), { code: 2 });
    assert.equal(exitFromPair('x'), undefined);
  });
  test('array index expressions', () => {
    assert.deepEqual(expandArrayIndexes('0-3'), [0, 1, 2, 3]);
    assert.deepEqual(expandArrayIndexes('1,3,5-7%2'), [1, 3, 5, 6, 7]);
    assert.deepEqual(expandArrayIndexes('0-15:4'), [0, 4, 8, 12]);
    assert.deepEqual(expandArrayIndexes('[4-5]'), [4, 5]);
    assert.equal(expandArrayIndexes('0-999').length, 1000);
  });
});
