/**
 * RankFileReader: per-rank files read while they grow, including files created after it
 * started and writes larger than one read; `finish` reads what was written last.
 * Real files in a temporary folder; waits for the data, never for a fixed time.
 *
 * Run: node --import tsx --test test/unit/runtimes/rankOutputFiles.test.ts
 */
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { RankFileReader } from '../../../runtimes/src/rankOutputFiles';

const dir = mkdtempSync(path.join(os.tmpdir(), 'hpc-jobs-ranks-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('RankFileReader', () => {
  test('reads each rank\'s stdout and stderr as they grow, and the rest on finish', async () => {
    const got = new Map<string, string>();
    let waiting: { key: string; want: string; resolve: () => void } | undefined;
    const reader = new RankFileReader(dir, 2, (rank, stream, data) => {
      const key = `${rank}${stream}`;
      got.set(key, (got.get(key) ?? '') + data.toString('latin1'));
      if (waiting && got.get(waiting.key) === waiting.want) waiting.resolve();
    });
    const arrives = (key: string, want: string) => new Promise<void>((resolve) => {
      if (got.get(key) === want) resolve(); else waiting = { key, want, resolve };
    });

    writeFileSync(path.join(dir, '0.out'), 'first\n');
    await arrives('0stdout', 'first\n');
    appendFileSync(path.join(dir, '0.out'), 'second\n');
    await arrives('0stdout', 'first\nsecond\n');
    // Larger than one read (64 KB), in a file that did not exist when the reader started.
    const big = 'x'.repeat(200 * 1024) + '\n';
    writeFileSync(path.join(dir, '1.err'), big);
    await arrives('1stderr', big);
    // Written just before the ranks end: finish reads it.
    appendFileSync(path.join(dir, '0.out'), 'last');
    writeFileSync(path.join(dir, '1.out'), 'one\n');
    await reader.finish();
    assert.equal(got.get('0stdout'), 'first\nsecond\nlast');
    assert.equal(got.get('1stdout'), 'one\n');
    assert.equal(got.get('1stderr'), big);
    assert.equal(got.has('0stderr'), false);
  });
});
