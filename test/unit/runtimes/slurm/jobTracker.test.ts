/** The tracker and job handle against a scripted runner: no cluster, the real parsing and state logic. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { JobTracker } from '../../../../runtimes/src/slurm/jobTracker';
import { SlurmJob, type JobContext } from '../../../../runtimes/src/slurm/slurmJob';
import type { SlurmRunner } from '../../../../runtimes/src/slurm/slurmRunner';
import type { ExecResult, Transport } from '../../../../runtimes/src/transport/transport';

type Answer = (line: string) => ExecResult;

function runner(answer: Answer): SlurmRunner & { calls: string[] } {
  const calls: string[] = [];
  const run = async (argv: readonly unknown[]): Promise<ExecResult> => {
    const line = argv.map((w) => (typeof w === 'string' ? w : JSON.stringify(w))).join(' ');
    calls.push(line);
    return answer(line);
  };
  return Object.assign(run, { clusterName: 'fake', calls });
}

const ok = (stdout: string): ExecResult => ({ stdout, stderr: '', code: 0 });

function squeueJson(jobs: object[]): string {
  return JSON.stringify({ meta: {}, errors: [], jobs });
}

const job = (id: number, state: string, extra: object = {}): object =>
  ({ job_id: id, array_job_id: 0, array_task_id: null, array_task_string: '', job_state: state, state_reason: 'None', exit_code: 0, ...extra });

/** A transport whose files never exist (tails stay quiet). */
const noFiles = { stat: async () => undefined } as unknown as Transport;

function context(tracker: JobTracker, run: SlurmRunner): JobContext {
  return { clusterName: 'fake', transport: noFiles, tracker, run, tail: false, requestRefresh: () => { void tracker.refresh(); } };
}

describe('JobTracker', () => {
  test('ONE squeue per refresh for every tracked job; other users\' jobs are ignored', async () => {
    const others = Array.from({ length: 50 }, (_, i) => job(9000 + i, 'RUNNING'));
    const run = runner((l) => (l.startsWith('squeue --json') ? ok(squeueJson([...others, ...Array.from({ length: 200 }, (_, i) => job(100 + i, 'PENDING', { state_reason: 'Priority' }))])) : ok('')));
    const tracker = new JobTracker(run);
    const seen = new Map<string, number>();
    for (let i = 0; i < 200; i++) tracker.track(String(100 + i), (s) => seen.set(String(100 + i), s.records.length));
    await tracker.refresh();
    assert.equal(run.calls.length, 1);
    assert.equal(seen.size, 200);
    assert.ok([...seen.values()].every((n) => n === 1));
  });

  test('format mode: one squeue -j id,id,... call; finished jobs get exit codes from one sacct call', async () => {
    const run = runner((l) => {
      if (l.startsWith('squeue')) return ok('5|5|N/A|FAILED|NonZeroExitCode|n1\n6|6|N/A|RUNNING|None|n2\n');
      if (l.startsWith('sacct')) return ok('5|5|FAILED|3:0|None|2026-01-01T00:00:00|2026-01-01T00:00:01|n1|/w|x\n');
      return ok('');
    });
    const tracker = new JobTracker(run, { squeueMode: 'format' });
    const got = new Map<string, unknown>();
    tracker.track('5', (s) => got.set('5', s.records[0]!.exit));
    tracker.track('6', (s) => got.set('6', s.records[0]!.state));
    await tracker.refresh();
    assert.deepEqual(run.calls.map((c) => c.split(' ')[0]), ['squeue', 'sacct']);
    assert.match(run.calls[0]!, /--jobs=5,6/);
    assert.deepEqual(got.get('5'), { code: 3 });
    assert.equal(got.get('6'), 'RUNNING');
  });

  test('jobs squeue forgot: sacct; accounting off: scontrol; unknown everywhere: gone', async () => {
    const run = runner((l) => {
      if (l.startsWith('squeue')) return ok(squeueJson([]));
      if (l.startsWith('sacct')) return { stdout: '', stderr: 'sacct: error: Slurm accounting storage is disabled\n', code: 1 };
      if (l.includes('scontrol show job -o 7')) return ok('JobId=7 JobName=x JobState=COMPLETED Reason=None ExitCode=0:0 WorkDir=/w StdOut=/w/o StdErr=/w/o\n');
      return { stdout: '', stderr: 'slurm_load_jobs error: Invalid job id specified\n', code: 1 };
    });
    const tracker = new JobTracker(run);
    const got = new Map<string, string>();
    tracker.track('7', (s) => got.set('7', `${s.source}:${s.records[0]?.state}`));
    tracker.track('8', (s) => got.set('8', s.source));
    await tracker.refresh();
    assert.equal(got.get('7'), 'scontrol:COMPLETED');
    assert.equal(got.get('8'), 'gone');
    await tracker.refresh();
    assert.equal(run.calls.filter((c) => c.startsWith('sacct')).length, 1, 'sacct is not asked again once it said accounting is off');
  });

  test('a dead controller is an error event, never "every job finished"', async () => {
    const down = JSON.stringify({ errors: [{ description: 'Failed while looking for jobs', error: 'Unspecified error', source: 'slurm_load_jobs' }], jobs: [] });
    const run = runner(() => ok(down));
    const tracker = new JobTracker(run);
    const errors: string[] = [];
    tracker.onDidError((e) => errors.push(e.message));
    let delivered = 0;
    tracker.track('1', () => delivered++);
    await tracker.refresh();
    assert.equal(delivered, 0);
    assert.equal(run.calls.length, 1, 'no sacct/scontrol fallback when squeue itself failed');
    assert.match(errors[0]!, /controller of cluster "fake" does not answer/);
  });

  test('auto mode switches to the format string when --json answers with too many jobs', async () => {
    const run = runner((l) => (l.startsWith('squeue --json') ? ok(squeueJson(Array.from({ length: 20 }, (_, i) => job(i + 1, 'RUNNING')))) : ok('1|1|N/A|RUNNING|None|n1\n')));
    const tracker = new JobTracker(run, { jsonRecordLimit: 10 });
    tracker.track('1', () => undefined);
    await tracker.refresh();
    assert.equal(tracker.squeueMode, 'format');
    await tracker.refresh();
    assert.match(run.calls[1]!, /^squeue --noheader --array --states=all --jobs=1 /);
  });
});

describe('SlurmJob: states, array tasks, result', () => {
  test('a plain job: queued with its reason, running, then FAILED with its exit code', async () => {
    let state = job(11, 'PENDING', { state_reason: 'Priority' });
    const run = runner(() => ok(squeueJson([state])));
    const tracker = new JobTracker(run);
    const j = new SlurmJob('11', context(tracker, run));
    const messages: string[] = [];
    j.onDidChangeState((e) => messages.push(`${e.state}:${e.message}`));
    await tracker.refresh();
    assert.equal(j.state, 'queued');
    assert.equal(j.reason, 'Priority');
    state = job(11, 'RUNNING', { nodes: 'n1', start_time: 1700000000 });
    await tracker.refresh();
    state = job(11, 'FAILED', { exit_code: 3 << 8, state_reason: 'NonZeroExitCode', start_time: 1700000000, end_time: 1700000005 });
    await tracker.refresh();
    const r = await j.result;
    assert.equal(r.state, 'failed');
    assert.deepEqual(r.exits, [{ code: 3 }]);
    assert.equal(r.summary, 'job 11 FAILED with exit code 3');
    assert.equal(r.startedAt, 1700000000000);
    assert.deepEqual(messages.map((m) => m.split(':')[0]), ['queued', 'running', 'failed']);
    assert.equal(messages[0], 'queued:PENDING (Priority)');
  });

  test('an array: pending indexes become units, split tasks replace them, mixed ends', async () => {
    let jobs: object[] = [job(20, 'PENDING', { array_job_id: 20, array_task_string: '0-3', state_reason: 'JobHeldUser' })];
    const run = runner(() => ok(squeueJson(jobs)));
    const tracker = new JobTracker(run);
    const j = new SlurmJob('20', context(tracker, run));
    await tracker.refresh();
    assert.deepEqual(j.tasks.map((t) => [t.task, t.slurmState]), [[0, 'PENDING'], [1, 'PENDING'], [2, 'PENDING'], [3, 'PENDING']]);
    assert.equal(j.slurmState, '4 PENDING');
    jobs = [
      job(21, 'RUNNING', { array_job_id: 20, array_task_id: 0, start_time: 1 }),
      job(20, 'PENDING', { array_job_id: 20, array_task_string: '1-3', state_reason: 'Resources' }),
    ];
    await tracker.refresh();
    assert.equal(j.state, 'running');
    assert.equal(j.slurmState, '1 RUNNING, 3 PENDING');
    jobs = [
      job(21, 'COMPLETED', { array_job_id: 20, array_task_id: 0, start_time: 1, end_time: 2 }),
      job(22, 'TIMEOUT', { array_job_id: 20, array_task_id: 1, exit_code: 15, start_time: 1, end_time: 2 }),
      job(23, 'OUT_OF_MEMORY', { array_job_id: 20, array_task_id: 2, exit_code: 9, start_time: 1, end_time: 2 }),
      job(20, 'CANCELLED', { array_job_id: 20, array_task_id: 3, start_time: 0, end_time: 2 }),
    ];
    await tracker.refresh();
    const r = await j.result;
    assert.equal(r.state, 'failed');
    assert.deepEqual(r.exits.map((e) => [e.task, e.code, e.signal, e.timedOut]), [
      [0, 0, undefined, undefined], [1, null, 'SIGTERM', true], [2, null, 'SIGKILL', undefined]]);
    assert.match(r.summary, /task 1 TIMEOUT.*task 2 OUT_OF_MEMORY \(SIGKILL\)/);
    assert.match(r.summary, /1 task cancelled before starting; 1 other COMPLETED/);
  });

  test('a pending task scancel removed (it only leaves the index list) ends as CANCELLED', async () => {
    let jobs: object[] = [job(40, 'PENDING', { array_job_id: 40, array_task_string: '0-2', state_reason: 'JobHeldUser' })];
    const run = runner(() => ok(squeueJson(jobs)));
    const tracker = new JobTracker(run);
    const j = new SlurmJob('40', context(tracker, run));
    await tracker.refresh();
    jobs = [job(40, 'PENDING', { array_job_id: 40, array_task_string: '0,2', state_reason: 'JobHeldUser' })];
    await tracker.refresh();
    assert.deepEqual(j.tasks.map((t) => [t.task, t.slurmState]), [[0, 'PENDING'], [1, 'CANCELLED'], [2, 'PENDING']]);
    assert.equal(j.state, 'queued');
    j.dispose();
  });

  test('forgotten before any answer: failed with the reason, not a hang', async () => {
    const run = runner((l) => (l.startsWith('squeue') ? ok(squeueJson([])) : l.startsWith('sacct') ? ok('') : { stdout: '', stderr: 'Invalid job id specified', code: 1 }));
    const tracker = new JobTracker(run);
    const j = new SlurmJob('30', context(tracker, run));
    await tracker.refresh();
    const r = await j.result;
    assert.equal(r.state, 'failed');
    assert.match(r.summary, /does not know job 30/);
  });
});
