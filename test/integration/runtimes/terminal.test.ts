/**
 * Runs in a pseudo-terminal through node-pty (for programs that need a TTY), and the fallback
 * to pipes, said in the output, when node-pty cannot be loaded.
 *
 * Run: node --import tsx --test test/integration/runtimes/terminal.test.ts
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { loadPty } from '../../../runtimes/src/index';
import { collect, processesOfRun, program, TempDirs, waitForLine } from './runtimeHarness';

const dirs = new TempDirs();
after(() => dirs.clean());

describe('terminal runs (node-pty)', () => {
  test('node-pty loads here', () => {
    const pty = loadPty('node-pty');
    assert.ok(pty.ok, pty.ok ? '' : pty.reason);
  });

  test('the program sees a terminal', async () => {
    const run = await dirs.launch({ backend: 'pool', program: program('tty_check.py'), tty: true });
    const lines = collect(run);
    const result = await run.result;
    assert.equal(result.state, 'succeeded', result.summary);
    assert.ok(lines.some((l) => l.text === 'isatty True'), lines.map((l) => l.text).join('\n'));
  });

  test('cancel ends a terminal run and its children', async () => {
    const run = await dirs.launch({ backend: 'pool', program: program('forker.py'), args: ['wait'], tty: true });
    const m = await waitForLine(run, /^pids (.+)$/);
    await run.cancel();
    assert.equal((await run.result).state, 'cancelled');
    assert.deepEqual(processesOfRun(run.id), []);
    assert.ok(m[1]!.split(' ').length === 3);
  });

  test('without node-pty: pipes, and a line that says why', async () => {
    process.env.HPC_JOBS_NODE_PTY_MODULE = 'node-pty-that-is-not-installed';
    try {
      const run = await dirs.launch({ backend: 'pool', program: program('tty_check.py'), tty: true });
      const lines = collect(run);
      assert.equal((await run.result).state, 'succeeded');
      assert.ok(lines.some((l) => l.text === 'isatty False'));
      assert.ok(lines.some((l) => l.system && /node-pty could not be loaded .* Running with pipes instead/.test(l.text)));
    } finally {
      delete process.env.HPC_JOBS_NODE_PTY_MODULE;
    }
  });
});
