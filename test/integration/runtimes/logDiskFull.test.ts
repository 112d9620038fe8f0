/**
 * A full disk under the log folder (issue 11, item 7), on a real 1 MB tmpfs: the run says the log
 * is incomplete instead of "succeeded" alone, keeps streaming every line to the terminal, and
 * run.json gets its final state instead of staying "running". Needs root (mount).
 *
 * Run: node --import tsx --test test/integration/runtimes/logDiskFull.test.ts
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildCliBundle, CLI } from '../cliBundle';
import { REQUIRE_ALL, TempDirs } from './runtimeHarness';

const dirs = new TempDirs();
const root = process.getuid?.() === 0;
let mounted = '';

describe('log folder on a full disk', { skip: root || REQUIRE_ALL ? false : 'needs root to mount a tmpfs' }, () => {
  before(() => {
    buildCliBundle();
    mounted = dirs.make('hpc-jobs-tmpfs-');
    const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mounted], { encoding: 'utf8' });
    assert.equal(m.status, 0, `mount: ${m.stderr}`);
  });
  after(async () => {
    if (mounted) spawnSync('umount', [mounted]);
    await dirs.clean();
  });

  test('3 MB of output into a 1 MB log: said, every line still on stdout, run.json final', () => {
    const lines = 30_000;
    const r = spawnSync(process.execPath, [CLI, 'run', '--log-dir', mounted, 'python3', '--', '-c',
      `for i in range(${lines}): print("%05d" % i + "x" * 94)`], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    const out = r.stdout.split('\n').filter(Boolean);
    assert.equal(out.length, lines, 'every line reached the terminal');
    assert.equal(out[lines - 1], `${String(lines - 1).padStart(5, '0')}${'x'.repeat(94)}`);
    assert.match(r.stderr, /cannot write the log .*output\.log \(ENOSPC[^)]*\): the output from here on is not in it, only here/);
    assert.match(r.stderr, /succeeded.*; the log .*output\.log is incomplete \(ENOSPC/);
    const run = readdirSync(mounted).find((d) => d.startsWith('pool-'))!;
    const record = JSON.parse(readFileSync(path.join(mounted, run, 'run.json'), 'utf8')) as { state: string; result?: { logError?: string } };
    assert.equal(record.state, 'succeeded');
    assert.match(record.result?.logError ?? '', /ENOSPC/);
  });
});
