/**
 * How finished jobs went, from sacct with steps — recorded on the 22.05 test cluster
 * (JobAcctGatherFrequency=task=2, OverMemoryKill, no cgroups): a job holding ~200 MB with one
 * busy process on 2 CPUs, two ranks of ~100 MB each, a job killed past --mem=300M, a TIMEOUT, and
 * an array of 3 tasks of 40/80/120 MB.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import {
  arrayText, outcomeBadge, outcomeText, parseOutcomes, parseSacctDuration, parseSacctSize, summarizeArray,
} from '../../../../runtimes/src/slurm/jobOutcome';
import { sacctOutcomes } from '../../../../runtimes/src/slurm/slurmCommands';
import { effReport } from '../../../../cli/src/effCommand';

const MiB = 1024 ** 2;
const outcomes = parseOutcomes(readFileSync(path.join(__dirname, 'fixtures', 'sacct-outcomes-22.05.txt'), 'utf8'));
const byName = (name: string) => outcomes.filter((o) => o.name === name);

describe('job outcomes from sacct', () => {
  test('sizes and durations as sacct writes them', () => {
    assert.deepEqual(['166996K', '164.50M', '2G', '0', '', 'junk'].map(parseSacctSize), [166996 * 1024, Math.round(164.5 * MiB), 2 * 1024 ** 3, 0, undefined, undefined]);
    assert.deepEqual(['00:03.158', '01:02:03', '1-02:03:04', '12:00', 'x'].map(parseSacctDuration), [3.158, 3723, 93784, 720, undefined]);
  });

  test('one allocation per job or task; steps fold into it', () => {
    assert.deepEqual(outcomes.map((o) => o.id).length, 7);
    assert.ok(outcomes.every((o) => o.finished && o.notes.length === 0), JSON.stringify(outcomes.map((o) => o.notes)));
  });

  test('a busy job: CPU efficiency is CPU time over elapsed × cores; peak memory against the allocation', () => {
    const [busy] = byName('busy job');
    assert.equal(busy!.state, 'COMPLETED');
    assert.equal(busy!.cpuEfficiency!.toFixed(3), (9.706 / (21 * 2)).toFixed(3));
    assert.deepEqual([busy!.peakMemBytes, busy!.allocMemBytes, busy!.elapsedS, busy!.timeLimitS], [Math.round(214.5 * MiB), 1024 ** 3, 21, 120]);
    // A fifth of a GiB used of 1 GiB asked: waste worth a warning colour.
    assert.deepEqual(outcomeBadge(busy!), { text: 'CPU 23% · mem 0.2/1 GiB · 21s/2m', warning: 'waste' });
  });

  test('ranks in one step: their memory adds up (TRESUsageInTot), not the largest rank alone (MaxRSS)', () => {
    const [ranks] = byName('ranks');
    assert.equal(ranks!.peakMemBytes, 231580 * 1024);
  });

  test('killed past --mem without cgroups (FAILED 0:9, batch step CANCELLED by 0) reads as out of memory', () => {
    const [oom] = byName('oom');
    assert.deepEqual([oom!.state, oom!.outOfMemory, oom!.exit], ['FAILED', true, { code: null, signal: 'SIGKILL' }]);
    assert.equal(outcomeBadge(oom!).warning, 'limit');
    assert.match(outcomeText(oom!), /^State: FAILED \(out of memory, signal SIGKILL\)$/m);
    // A job that died of SIGKILL well under its memory is not called out of memory.
    const other = parseOutcomes('9|FAILED|0:9|6|2|00:00.003|1|||billing=1,cpu=1,mem=300M,node=1|1|x\n9.batch|CANCELLED by 0|0:9|6||00:00.003|1|10M|mem=10M|cpu=1,mem=300M,node=1|1|batch\n')[0]!;
    assert.equal(other.outOfMemory, false);
  });

  test('the State line says "signal N" once for a signal with no name, and no exit for a job still running', () => {
    // Recorded: a job whose script ran `kill -53 $$` (FAILED 0:53); a job running (0:0 until it ends).
    const [rt, running] = parseOutcomes('4525|FAILED|0:53|0|1|00:00:00|1|||billing=1,cpu=1,mem=256M,node=1|1|nofolder.sh\n'
      + '5010|RUNNING|0:0|13|3|00:00:00|4|||billing=4,cpu=4,mem=100M,node=1|1|wt8-filler\n');
    assert.match(outcomeText(rt!), /^State: FAILED \(signal 53\)$/m);
    assert.match(outcomeText(running!), /^State: RUNNING$/m);
  });

  test('a job cancelled while pending never ran: one note saying so, not "ran for less than a second"', () => {
    // Recorded: hpc-jobs cancel of a pending job (no allocation, no step).
    const [o] = parseOutcomes('5012|CANCELLED by 1001|0:0|0|2|00:00:00|2||||1|hello\n');
    assert.deepEqual(o!.notes, ['it never started (cancelled while pending): no figures']);
    // Cancelled a few seconds into its run: the figures it has.
    const [ran] = parseOutcomes('5026|CANCELLED by 1001|0:0|5|2|00:00.005|1|||billing=1,cpu=1,mem=256M,node=1|1|nap\n'
      + '5026.batch|CANCELLED|0:15|5||00:00.005|1|4364K|cpu=00:00:00,mem=4364K|cpu=1,mem=256M,node=1|1|batch\n');
    assert.deepEqual(ran!.notes, []);
  });

  test('TIMEOUT: time used against the limit, flagged as a hit limit', () => {
    const [slow] = byName('slow');
    assert.deepEqual([slow!.state, slow!.timedOut, slow!.elapsedS, slow!.timeLimitS], ['TIMEOUT', true, 72, 60]);
    assert.equal(outcomeBadge(slow!).warning, 'limit');
  });

  test('an array: per task and min / median / max', () => {
    const tasks = byName('arr');
    assert.deepEqual(tasks.map((t) => t.arrayTaskId), [0, 1, 2]);
    const s = summarizeArray(tasks);
    assert.deepEqual([s.tasks, s.states, s.peakMemBytes], [3, { COMPLETED: 3 }, { min: 55928 * 1024, median: 96912 * 1024, max: 137660 * 1024 }]);
    const text = arrayText('492', tasks);
    assert.match(text, /^Array job 492: 3 tasks \(3 COMPLETED\)\nCPU Efficiency: min /);
    assert.match(text, /^Memory Utilized: min 55 MiB, median 95 MiB, max 134 MiB$/m);
    assert.match(text, /^ {2}492_2 +COMPLETED +CPU \d+% · mem 134\/200 MiB · 6s\/1m$/m);
  });

  test('an array\'s task rows are columns: a FAILED task and a two-digit index line up with the rest', () => {
    const row = (task: number, state: string, exit: string) =>
      `5027_${task}|${state}|${exit}|2|1|00:00.010|1|||billing=1,cpu=1,mem=50M,node=1|1|arr\n`
      + `5027_${task}.batch|${state}|${exit}|2||00:00.010|1|4300K|cpu=00:00:00,mem=4300K|cpu=1,mem=50M,node=1|1|batch\n`;
    const text = arrayText('5027', parseOutcomes(row(9, 'COMPLETED', '0:0') + row(10, 'FAILED', '5:0') + row(11, 'COMPLETED', '0:0')));
    const rows = text.split('\n').filter((l) => l.startsWith('  5027_'));
    assert.equal(rows.length, 3);
    // Each row's badge starts in the same column.
    assert.deepEqual(new Set(rows.map((l) => l.indexOf('CPU'))).size, 1, rows.join('\n'));
    assert.match(rows[0]!, /^ {2}5027_9 {3}COMPLETED {2}CPU/);
    assert.match(rows[1]!, /^ {2}5027_10 {2}FAILED {5}CPU/);
  });

  test('eff: a job, an array summarised, a task, and what accounting does not know', () => {
    const r = effReport(['488', '492', '492_1', '999'], outcomes);
    assert.deepEqual(r.missing, ['999']);
    assert.match(r.text, /^Job ID: 488\nName: busy job\nState: COMPLETED \(exit code 0\)\nNodes: 1\nCores: 2\nCPU Utilized: 10s\nCPU Efficiency: 23\.1% of 42s core-walltime\nJob Wall-clock time: 21s of 2m asked \(17\.5%\)\nMemory Utilized: 215 MiB\nMemory Efficiency: 20\.9% of 1 GiB$/m);
    assert.match(r.text, /^Array job 492: 3 tasks/m);
    assert.match(r.text, /^Job ID: 492_1$/m);
  });

  test('figures that cannot be known say why: still running, too short to sample', () => {
    const [running] = parseOutcomes('7|RUNNING|0:0|30|10|00:00:00|4|||cpu=4,mem=1G,node=1|1|train\n');
    assert.deepEqual([running!.finished, running!.cpuEfficiency, running!.notes], [false, undefined, ['running: the figures come when it ends']]);
    const [blink] = parseOutcomes('8|COMPLETED|0:0|0|10|00:00:00|1|||cpu=1,mem=1G,node=1|1|blink\n');
    assert.match(blink!.notes.join(' '), /less than a second/);
    assert.match(blink!.notes.join(' '), /no memory figures/);
    // Garbage in a field: no figure, no crash.
    const [garbage] = parseOutcomes('9|COMPLETED|0:0|abc|x|??|y|||cpu=1,mem=lots,node=1|1|g\n9.batch|COMPLETED|0:0|1||1|1|huge|mem=huge|x|1|batch\n');
    assert.deepEqual([garbage!.cpuEfficiency, garbage!.peakMemBytes, garbage!.allocMemBytes], [undefined, undefined, undefined]);
  });

  test('the command takes job and task ids only', () => {
    assert.match(sacctOutcomes(['12', '13_4']).join(' '), /^sacct -P -n --jobs=12,13_4 --format=JobID,State,/);
    assert.throws(() => sacctOutcomes(['12;id']), /Not a Slurm job id/);
    assert.throws(() => sacctOutcomes([]), /Not a Slurm job id/);
  });
});
