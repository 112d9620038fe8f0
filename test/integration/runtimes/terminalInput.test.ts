/**
 * A terminal run's raw side (for the editor's terminal adapter): output as the pty gives it,
 * before a line is complete; keys typed reaching the program; the window size it is told.
 *
 * Run: node --import tsx --test test/integration/runtimes/terminalInput.test.ts
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import type { LocalRun } from '../../../runtimes/src/index';
import { collect, TempDirs } from './runtimeHarness';

const dirs = new TempDirs();
const scripts = mkdtempSync(path.join(os.tmpdir(), 'hpc-jobs-tty-'));
after(async () => { await dirs.clean(); rmSync(scripts, { recursive: true, force: true }); });

function script(name: string, text: string): string {
  const file = path.join(scripts, name);
  writeFileSync(file, text);
  return file;
}

/** Everything the run's pty wrote so far, and a way to wait for more. */
function rawOutput(run: LocalRun): { text(): string; until(re: RegExp): Promise<string> } {
  let text = '';
  const waiters: { re: RegExp; resolve: (s: string) => void }[] = [];
  run.onDidTerminalData((d) => {
    text += d;
    for (const w of [...waiters]) if (w.re.test(text)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(text); }
  });
  return {
    text: () => text,
    until: (re) => (re.test(text) ? Promise.resolve(text) : new Promise((resolve) => waiters.push({ re, resolve }))),
  };
}

describe('terminal runs: raw output, input, size', () => {
  test('a prompt without a newline arrives raw; input reaches the program; lines still come once', async () => {
    const prog = script('ask.py', 'name = input("name? ")\nprint(f"hello {name}", flush=True)\n');
    const run = await dirs.launch({ backend: 'pool', program: prog, tty: { cols: 80, rows: 24 } });
    const raw = rawOutput(run);
    const lines = collect(run);
    await raw.until(/name\? $/);
    assert.equal(run.viaPty, true);
    // A terminal opened now, after the prompt was printed, still gets it: no line holds it yet.
    assert.match(run.terminalTail(), /name\? $/);
    run.write('world\r');
    const result = await run.result;
    assert.equal(result.state, 'succeeded', result.summary);
    assert.match(raw.text(), /hello world\r\n/);
    assert.deepEqual(lines.filter((l) => !l.system).map((l) => l.text), ['name? world', 'hello world']);
  });

  test('resize reaches the program (SIGWINCH, new size)', async () => {
    const prog = script('size.py', [
      'import os, signal, sys',
      'signal.signal(signal.SIGWINCH, lambda *a: print("size", *os.get_terminal_size(), flush=True))',
      'print("size", *os.get_terminal_size(), flush=True)',
      'sys.stdin.readline()',
    ].join('\n') + '\n');
    const run = await dirs.launch({ backend: 'pool', program: prog, tty: { cols: 80, rows: 24 } });
    const raw = rawOutput(run);
    await raw.until(/size 80 24/);
    run.resize(132, 40);
    await raw.until(/size 132 40/);
    run.write('\r');
    assert.equal((await run.result).state, 'succeeded');
  });

  test('a pipes run has no terminal side', async () => {
    const run = await dirs.launch({ backend: 'pool', program: script('plain.py', 'print("plain")\n') });
    const raw = rawOutput(run);
    assert.equal((await run.result).state, 'succeeded');
    assert.equal(run.viaPty, false);
    assert.equal(raw.text(), '');
  });
});
