/**
 * Output from real processes: a flood of 10^6 lines arrives complete, in few batches, with
 * bounded memory; odd bytes (invalid UTF-8, split characters, CRLF, no final newline) neither
 * crash nor get lost.
 *
 * Run: node --import tsx --test test/integration/runtimes/output.test.ts
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { collect, logLines, needs, program, pythonHas, SYSTEM_PYTHON, TempDirs } from './runtimeHarness';

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
