/**
 * `hpc-jobs run | slow-reader` (issue 11, item 6): when nobody reads the CLI's standard output,
 * the program is held back (its writes block) instead of its output piling up in the CLI's
 * memory (1 GB in 25 s before). The real CLI bundle, a real program, a pipe nobody reads until
 * the run has stopped moving; then everything arrives, in full.
 *
 * Run: node --import tsx --test test/integration/runtimes/runBackPressure.test.ts
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { buildCliBundle, CLI } from '../cliBundle';
import { TempDirs } from './runtimeHarness';

const dirs = new TempDirs();
after(() => dirs.clean());
before(() => buildCliBundle());

const LINES = 3_000_000; // ~300 MB of output
const rssMb = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

test('a reader that does not read: the CLI stays small, the program waits; then every line arrives', { timeout: 300_000 }, async () => {
  const logDir = dirs.make();
  const program = `import sys\nline = "x" * 99 + "\\n"\nw = sys.stdout.write\nfor i in range(${LINES}): w(line)\n`;
  const child = spawn(process.execPath, [CLI, 'run', '--log-dir', logDir, 'python3', '--', '-c', program], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pause();
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));

  // Wait until the run's log stops growing: the program is blocked on its write.
  const logOf = (): string | undefined => {
    const runs = readdirSync(logDir).filter((d) => d.startsWith('pool-'));
    return runs.length ? path.join(logDir, runs[0]!, 'output.log') : undefined;
  };
  let last = -1;
  for (let still = 0; still < 3;) {
    await new Promise((r) => setTimeout(r, 500));
    const log = logOf();
    const size = log ? statSync(log).size : 0;
    still = size === last && size > 0 ? still + 1 : 0;
    last = size;
    assert.equal(child.exitCode, null, `the run ended while nobody read its output: ${stderr}`);
  }
  assert.ok(last < LINES * 100 / 2, `the program wrote ${last} bytes though nobody read them`);
  assert.ok(rssMb(child.pid!) < 200, `the CLI holds ${Math.round(rssMb(child.pid!))} MB`);

  // Now read: all of it arrives, and the run ends well.
  let bytes = 0;
  child.stdout.on('data', (d: Buffer) => { bytes += d.length; });
  child.stdout.resume();
  assert.equal(await exited, 0, stderr);
  assert.equal(bytes, LINES * 100);
});
