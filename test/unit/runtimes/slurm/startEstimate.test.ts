/** `sbatch --test-only` and `squeue %S`: when a job is expected to start. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { parseSlurmTime } from '../../../../runtimes/src/slurm/jobRecord';
import { sacctSince, sbatchTestOnly, scontrolHoldRelease } from '../../../../runtimes/src/slurm/slurmCommands';
import { parseSqueueFormat } from '../../../../runtimes/src/slurm/squeueFormat';
import { recordFromJson } from '../../../../runtimes/src/slurm/squeueJson';
import { describeEstimate, parseTestOnly, waitWords } from '../../../../runtimes/src/slurm/startEstimate';
import { shellCommand } from '../../../../runtimes/src/transport/shellQuote';

describe('start estimates', () => {
  test('sbatch --test-only, as 22.05 prints it on stderr', () => {
    const e = parseTestOnly('sbatch: Job 13 to start at 2026-12-07T09:31:57 using 2 processors on nodes n1 in partition debug\n');
    assert.deepEqual(e, { start: parseSlurmTime('2026-12-07T09:31:57'), processors: 2, nodes: 'n1', partition: 'debug' });
    assert.equal(parseTestOnly('allocation failure: Node count specification invalid\n'), undefined);
    assert.equal(describeEstimate(e!, e!.start - 4 * 60_000), 'in 4 min (09:31) on n1, partition debug, 2 CPUs');
    assert.equal(describeEstimate(e!, e!.start), 'now (09:31) on n1, partition debug, 2 CPUs');
  });

  test('waits in words', () => {
    assert.deepEqual([waitWords(60_000), waitWords(130 * 60_000), waitWords(120 * 60_000), waitWords(76 * 3600_000)], ['1 min', '2 h 10 min', '2 h', '3 d 4 h']);
  });

  test('squeue %S: the estimate of a pending job, the start of a running one (recorded on the 22.05 test cluster)', () => {
    const recs = parseSqueueFormat(readFileSync(path.join(__dirname, 'fixtures', 'squeue-format-start-22.05.txt'), 'utf8'));
    const waiting = recs.find((r) => r.reason === 'Resources')!;
    const running = recs.find((r) => r.state === 'RUNNING')!;
    assert.ok(waiting.expectedStart && !waiting.startTime);
    assert.ok(running.startTime && !running.expectedStart);
    assert.ok(waiting.expectedStart > running.startTime!);
    // N/A: the scheduler has not worked one out (held, dependency).
    assert.ok(recs.filter((r) => r.reason === 'Dependency' || r.reason === 'JobHeldUser').every((r) => r.expectedStart === undefined));
    // Six fields (before %S was asked for) still read.
    assert.equal(parseSqueueFormat('5|5|N/A|PENDING|Priority|\n')[0]!.reason, 'Priority');
  });

  test('squeue --json: a pending job\'s start_time is an estimate, not a start', () => {
    const r = recordFromJson({ job_id: 5, job_state: 'PENDING', start_time: 1_800_000_000 })!;
    assert.deepEqual([r.expectedStart, r.startTime], [1_800_000_000_000, undefined]);
  });

  test('commands: hold/release take job and task ids only; sacct spans are checked', () => {
    assert.deepEqual(scontrolHoldRelease('hold', '12_[1-3]'), ['scontrol', 'hold', '12_[1-3]']);
    assert.throws(() => scontrolHoldRelease('release', '12; rm -rf ~'), /Not a Slurm job or task id/);
    assert.throws(() => sacctSince('2020-01-01; id'), /Not a sacct start time/);
    assert.match(shellCommand(sacctSince('now-2days')), /--starttime=now-2days/);
    assert.deepEqual(sbatchTestOnly(['--partition=debug']), ['sbatch', '--test-only', '--partition=debug']);
  });
});
