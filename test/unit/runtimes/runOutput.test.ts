/**
 * RunOutput: every line reaches the log in the tagged format, batches stay within their cap,
 * the tail keeps the last lines, a batch below the cap still arrives on time, and a log that
 * falls behind pauses the sources until it drains. A real RunLog on a temporary folder.
 *
 * Run: node --import tsx --test test/unit/runtimes/runOutput.test.ts
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { RunLog } from '../../../runtimes/src/runLog';
import { RunOutput, type OutputOptions } from '../../../runtimes/src/runOutput';
import type { OutputLine, OutputSource } from '../../../runtimes/src/runtime';

const dir = mkdtempSync(path.join(os.tmpdir(), 'hpc-jobs-output-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let runs = 0;

function output(options?: OutputOptions): { out: RunOutput; log: RunLog; batches: OutputLine[][] } {
  const log = new RunLog(dir, `run-${++runs}`);
  const batches: OutputLine[][] = [];
  return { out: new RunOutput(log, (lines) => batches.push([...lines]), options), log, batches };
}

const rank2: OutputSource = { stream: 'stdout', rank: 2 };
const rank2err: OutputSource = { stream: 'stderr', rank: 2 };
const task7: OutputSource = { stream: 'stdout', task: 7 };
const plain: OutputSource = { stream: 'stdout' };
const plainErr: OutputSource = { stream: 'stderr' };

describe('RunOutput', () => {
  test('the log holds every line, tagged by who printed it, in the order pushed', async () => {
    const { out, log, batches } = output();
    out.pushLines(rank2, ['a', '', 'b']);
    out.push(rank2err, 'oops');
    out.pushLines(task7, ['t1', 't2']);
    out.pushLines(plain, ['p1', 'p2']);
    out.push(plainErr, 'e');
    out.system('note');
    out.pushLines(rank2, []);
    out.flush();
    await log.close();
    assert.equal(readFileSync(log.outputPath, 'utf8'),
      '[rank 2] a\n[rank 2] \n[rank 2] b\n[rank 2 stderr] oops\n[task 7] t1\n[task 7] t2\np1\np2\n[stderr] e\n[hpc-jobs] note\n');
    const lines = batches.flat();
    assert.deepEqual(lines.map((l) => l.text), ['a', '', 'b', 'oops', 't1', 't2', 'p1', 'p2', 'e', 'note']);
    assert.deepEqual(lines[3], { stream: 'stderr', rank: 2, task: undefined, system: undefined, text: 'oops', time: lines[3]!.time });
    assert.equal(lines[9]!.system, true);
    assert.equal(out.lineCount, 10);
  });

  test('batches never exceed the cap, whatever the groups they came in', async () => {
    const { out, log, batches } = output({ maxBatch: 2000 });
    let n = 0;
    const group = (size: number) => Array.from({ length: size }, () => `line ${n++}`);
    for (let i = 0; i < 5; i++) out.pushLines(rank2, group(1000));
    out.pushLines(rank2, group(4500));
    out.flush();
    await log.close();
    assert.ok(batches.every((b) => b.length <= 2000), batches.map((b) => b.length).join(' '));
    assert.deepEqual(batches.flat().map((l) => l.text), Array.from({ length: 9500 }, (_, i) => `line ${i}`));
    const logged = readFileSync(log.outputPath, 'utf8').split('\n');
    assert.equal(logged.length, 9501);
    assert.equal(logged[9499], '[rank 2] line 9499');
  });

  test('the tail keeps the last lines, in order', () => {
    const { out } = output({ tailLines: 10 });
    for (let g = 0; g < 4; g++) out.pushLines(task7, Array.from({ length: 7 }, (_, i) => `l${g * 7 + i}`));
    assert.deepEqual(out.tail().map((l) => l.text), ['l18', 'l19', 'l20', 'l21', 'l22', 'l23', 'l24', 'l25', 'l26', 'l27']);
    out.pushLines(task7, Array.from({ length: 25 }, (_, i) => `m${i}`));
    assert.deepEqual(out.tail().map((l) => l.text), Array.from({ length: 10 }, (_, i) => `m${i + 15}`));
    out.clearTail();
    assert.deepEqual(out.tail(), []);
    const none = output({ tailLines: 0 }).out;
    none.pushLines(task7, ['x', 'y']);
    assert.deepEqual(none.tail(), []);
  });

  test('a batch below the cap is delivered without a flush, by its timer', async () => {
    const delivered = new Promise<readonly OutputLine[]>((resolve) => {
      new RunOutput(new RunLog(dir, `run-${++runs}`), resolve, { flushMs: 20 }).push(plain, 'soon');
    });
    assert.deepEqual((await delivered).map((l) => l.text), ['soon']);
  });

  test('a log that falls behind pauses the sources until it has drained', async () => {
    const { out, log } = output();
    const events: string[] = [];
    let resumed!: () => void;
    const resumedNow = new Promise<void>((resolve) => { resumed = resolve; });
    out.addSource({ pause: () => events.push('pause'), resume: () => { events.push('resume'); resumed(); } });
    // More than the log's 256 KB high-water mark in one turn.
    out.pushLines(plain, Array.from({ length: 1000 }, () => 'x'.repeat(400)));
    out.flush();
    assert.deepEqual(events, ['pause']);
    const late = { pause: () => events.push('late pause'), resume: () => events.push('late resume') };
    out.addSource(late);
    await resumedNow;
    assert.deepEqual(events, ['pause', 'late pause', 'resume', 'late resume']);
    await log.close();
    assert.equal(readFileSync(log.outputPath, 'utf8').length, 401 * 1000);
  });

  test('lines are bytes: the log gets them as they are, listeners their UTF-8 text', async () => {
    const { out, log, batches } = output();
    const bytes = (...b: number[]) => Buffer.from(b).toString('latin1');
    out.pushLines(plain, [bytes(0x63, 0x61, 0x66, 0xe9), bytes(0xe2, 0x82, 0xac, 0x0d), bytes(0x00, 0xff)]);
    out.push(rank2, bytes(0xc3, 0xa9));
    out.system('a note \u2026 of ours');
    out.flush();
    await log.close();
    assert.deepEqual(readFileSync(log.outputPath), Buffer.concat([
      Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a, 0xe2, 0x82, 0xac, 0x0d, 0x0a, 0x00, 0xff, 0x0a]),
      Buffer.from('[rank 2] \u00e9\n[hpc-jobs] a note \u2026 of ours\n'),
    ]));
    assert.deepEqual(batches.flat().map((l) => l.text), ['caf\ufffd', '\u20ac', '\u0000\ufffd', '\u00e9', 'a note \u2026 of ours']);
  });

  test('a line cut at the cap goes on in the log where it stopped, unless another source came between', async () => {
    const { out, log, batches } = output();
    out.pushLines(rank2, ['a', 'long-'], true);
    out.pushLines(rank2, ['line-'], true);
    out.pushLines(rank2, ['end', 'b']);
    out.pushLines(plain, ['cut-'], true);
    out.push(rank2err, 'between');
    out.pushLines(plain, ['rest']);
    out.flush();
    await log.close();
    assert.equal(readFileSync(log.outputPath, 'utf8'), '[rank 2] a\n[rank 2] long-line-end\n[rank 2] b\ncut-\n[rank 2 stderr] between\nrest\n');
    assert.deepEqual(batches.flat().map((l) => l.text), ['a', 'long-', 'line-', 'end', 'b', 'cut-', 'between', 'rest']);
  });
});
