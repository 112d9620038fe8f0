/**
 * Output from real processes: a flood of 10^6 lines arrives complete, in few batches, with
 * bounded memory; odd bytes (invalid UTF-8, split characters, CRLF, no final newline) neither
 * crash nor get lost; the log keeps the bytes a program wrote (binary, Latin-1), only what is
 * shown is decoded.
 *
 * Run: node --import tsx --test test/integration/runtimes/output.test.ts
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import * as path from 'node:path';
import { collect, has, logLines, needs, program, pythonHas, SYSTEM_PYTHON, TempDirs } from './runtimeHarness';

const dirs = new TempDirs();
after(() => dirs.clean());

describe('a program that floods 10^6 lines', () => {
  test('every line reaches the log, in far fewer events, with bounded memory', { timeout: 120_000 }, async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    let peakHeap = heapBefore;
    let events = 0;
    let delivered = 0;
    const run = await dirs.launch({ backend: 'pool', program: program('flood.py'), args: ['1000000'] });
    run.onDidOutput((batch) => {
      events++;
      delivered += batch.length;
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    });
    const result = await run.result;
    assert.equal(result.state, 'succeeded', result.summary);

    // (readline would take longer than the run itself: read the 12 MB at once, after measuring)
    let n = 0;
    let inOrder = true;
    for (const line of readFileSync(run.logPath, 'utf8').split('\n')) {
      if (line === '' || line.startsWith('[hpc-jobs]')) continue;
      if (line !== `line ${n}`) inOrder = false;
      n++;
    }
    assert.equal(n, 1_000_000, 'lines in output.log');
    assert.ok(inOrder, 'lines in order');
    assert.ok(delivered >= 1_000_000, `delivered ${delivered}`);
    assert.ok(events < 2_000, `${events} events for ${delivered} lines`);
    // Keeping the lines would take well over 100 MB of heap; the runtime keeps a capped tail.
    assert.ok(peakHeap - heapBefore < 64 * 1024 * 1024, `heap grew by ${((peakHeap - heapBefore) / 1048576).toFixed(1)} MB`);
    assert.equal(run.tail!().length, 1000);
    assert.equal(run.tail!().at(-1)!.text.startsWith('succeeded'), true);
    const record = JSON.parse(readFileSync(run.logPath.replace(/output\.log$/, 'run.json'), 'utf8'));
    assert.equal(record.state, 'succeeded');
    assert.deepEqual(record.result.exits, [{ code: 0 }]);
    assert.equal(record.spec.backend, 'pool');
  });
});

describe('odd output', needs(pythonHas('python3', 'os'), 'python3'), () => {
  test('invalid UTF-8, a character split across writes, CRLF, stderr, no final newline', async () => {
    const run = await dirs.launch({ backend: 'pool', program: program('odd_output.py') });
    const lines = collect(run);
    const result = await run.result;
    assert.equal(result.state, 'succeeded');
    const mine = lines.filter((l) => !l.system).map((l) => `${l.stream}:${l.text}`);
    assert.deepEqual(mine.filter((l) => l.startsWith('stdout:')), [
      'stdout:bad \ufffd\ufffd bytes',
      'stdout:split € done',
      'stdout:crlf line',
      'stdout:part one, part two',
      'stdout:no newline at the end',
    ]);
    assert.deepEqual(mine.filter((l) => l.startsWith('stderr:')), ['stderr:to stderr']);
    assert.ok(logLines(run).includes('[stderr] to stderr'));
    assert.ok(logLines(run).includes('split € done'));
  });
});

describe('bytes that are not UTF-8 text', needs(pythonHas('python3', 'os'), 'python3'), () => {
  /** The log's lines (split on \n, as bytes) that start with `prefix`, without it. */
  const logged = (log: Buffer, prefix: string): string[] =>
    log.toString('latin1').split('\n').filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length));

  test('the log holds the bytes written, split anywhere; what is shown is their UTF-8 text', { timeout: 60_000 }, async () => {
    const record = path.join(dirs.make(), 'written');
    const run = await dirs.launch({ backend: 'pool', program: program('bytes_output.py'), args: [record] });
    const lines = collect(run);
    const result = await run.result;
    assert.equal(result.state, 'succeeded', result.summary);
    const written = readFileSync(record);
    const log = readFileSync(run.logPath);
    // A single process's stdout is not tagged: the log is [hpc-jobs] lines, then the bytes.
    const at = log.indexOf(written);
    assert.ok(at > 0, `the ${written.length} bytes written are in the ${log.length}-byte log, unchanged`);
    assert.ok(log.subarray(0, at).toString('latin1').split('\n').slice(0, -1).every((l) => l.startsWith('[hpc-jobs] ')), 'only notes before');
    assert.match(log.subarray(at + written.length).toString('latin1'), /^\[hpc-jobs\] succeeded[^\n]*\n$/, 'only the summary after');

    const shown = lines.filter((l) => !l.system).map((l) => l.text);
    assert.equal(shown[0], 'latin-1: caf\ufffd na\ufffdve');
    assert.equal(shown[1], 'utf-8 split: caf\u00e9 \u20ac \u{1f600} ok');
    assert.equal(shown[2], 'invalid split: \ufffdx \ufffd\ufffd \ufffd');
    assert.equal(shown[3], 'crlf');
    // Lines over the 64 KiB cap are shown in pieces, never cut inside a character.
    const euros = shown.filter((t) => t.startsWith('\u20ac'));
    assert.equal(euros.join(''), '\u20ac'.repeat(30_000));
    assert.ok(euros.length > 1);
    assert.equal(shown.at(-1), 'end');
  });

  test('mpi: each rank\'s bytes under its [rank N] tag', { ...needs(has('mpirun'), 'mpirun'), timeout: 120_000 }, async () => {
    const record = path.join(dirs.make(), 'written-');
    const run = await dirs.launch({ backend: 'mpi', program: program('bytes_output.py'), args: [record, '--short'], ranks: 2, python: SYSTEM_PYTHON });
    const result = await run.result;
    assert.equal(result.state, 'succeeded', result.summary);
    const log = readFileSync(run.logPath);
    for (const rank of [0, 1]) {
      const written = readFileSync(record + rank).toString('latin1');
      assert.equal(logged(log, `[rank ${rank}] `).join('\n') + '\n', written, `rank ${rank}`);
    }
  });
});

describe('runs with the examples', needs(pythonHas(SYSTEM_PYTHON, 'multiprocessing'), SYSTEM_PYTHON), () => {
  test('pool: distributed.py sizes its pool from HPC_JOBS_WORKERS', async () => {
    const run = await dirs.launch({ backend: 'pool', program: 'examples/distributed.py', args: ['200000'], workers: 3, cwd: '.', python: SYSTEM_PYTHON });
    const lines = collect(run);
    const result = await run.result;
    assert.equal(result.state, 'succeeded', result.summary);
    const text = lines.map((l) => l.text).join('\n');
    assert.match(text, /^workers: 3 \(from HPC_JOBS_WORKERS\)$/m);
    assert.match(text, /^pi estimate: 3\.1\d+ \(200000 samples, 3 workers/m);
    assert.match(text, /Python 3\.\d+\.\d+ \(\/usr\/bin\/python3\): HPC_JOBS_WORKERS=3 \(more than the \d+ cores here\)|HPC_JOBS_WORKERS=3$/m);
  });
});
