/**
 * `hpc-jobs lsp --stdio` in LSP clients no one here wrote: Debian's headless Neovim (its built-in
 * client, test/fixtures/editors/neovim-lsp.lua) and Emacs in batch mode with eglot
 * (emacs-eglot.el). Each opens a batch script, shows our diagnostics (with the Slurm release
 * given in its settings, so workspace/configuration works), a hover, and applies a quick fix
 * picked from its code-action menu; the server then lints the edited text again.
 * Skips where the editor is not installed, unless CI=true (.ci/run installs them).
 *
 * Run: node --import tsx --test test/integration/lspEditors.test.ts
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { lintText } from '../../server/src/lint';
import { buildCliBundle, CLI, ROOT } from './cliBundle';
import { has, needs } from './runtimes/runtimeHarness';

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'editors');
// Line 2: an unknown option with quick fixes; line 4: an option Slurm 22.05 does not have.
const SCRIPT = [
  '#!/bin/bash',
  '#SBATCH --job-name=demo',
  '#SBATCH --tiem=00:10:00',
  '#SBATCH --ntasks=4',
  '#SBATCH --tres-bind=gres/gpu:closest',
  'srun hostname',
  '',
].join('\n');
const FIXED = SCRIPT.replace('--tiem', '--time');
const VERSION = '22.05';

interface Seen {
  readonly steps: readonly string[];
  readonly error?: string;
  readonly diagnostics?: readonly { line: number; col: number; message: string }[];
  readonly hover?: string;
  readonly offered?: readonly string[];
  readonly lines?: readonly string[];
  readonly after?: readonly { line: number; message: string }[];
}

let dir = '';
before(() => {
  buildCliBundle();
  dir = mkdtempSync(path.join(os.tmpdir(), 'hpc-jobs-editors-'));
});
after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

/** Runs an editor on a fresh copy of SCRIPT; returns what its script wrote. */
function runEditor(name: string, command: string, args: (script: string) => string[], setup?: (folder: string) => void): Seen {
  const folder = mkdtempSync(path.join(dir, `${name}-`));
  setup?.(folder);
  const script = path.join(folder, 'job.slurm');
  writeFileSync(script, SCRIPT);
  const out = path.join(folder, 'seen.json');
  const r = spawnSync(command, args(script), {
    cwd: folder, encoding: 'utf8', timeout: 90_000,
    env: {
      ...process.env, SCRIPT: script, OUT: out, NODE: process.execPath, HPC_JOBS_CLI: CLI, SLURM_VERSION: VERSION,
      DIAGNOSTICS: String(lintText(SCRIPT, { slurmVersion: VERSION }).length), HOVER_LINE: '3', HOVER_COL: '12', ACTION_LINE: '2', ACTION: 'Change to --time',
      HOME: folder, XDG_CONFIG_HOME: path.join(folder, 'config'), XDG_STATE_HOME: path.join(folder, 'state'), XDG_DATA_HOME: path.join(folder, 'data'),
    },
  });
  let text = '';
  try { text = readFileSync(out, 'utf8'); } catch { /* reported below */ }
  assert.ok(text, `${name} wrote nothing (exit ${r.status}, signal ${r.signal}):\n${r.stdout}\n${r.stderr}`);
  return JSON.parse(text) as Seen;
}

/** What every client must have seen: the engine's own findings, before and after the fix. */
function assertSeen(seen: Seen): void {
  assert.equal(seen.error, undefined, seen.error);
  const byLine = <T extends { line: number }>(a: readonly T[] | undefined) => [...(a ?? [])].sort((x, y) => x.line - y.line);
  seen = { ...seen, diagnostics: byLine(seen.diagnostics), after: byLine(seen.after) };
  const expected = lintText(SCRIPT, { slurmVersion: VERSION });
  // The release came through workspace/configuration: without it line 4 is fine.
  assert.ok(expected.some((d) => d.range.start.line === 4) && !lintText(SCRIPT).some((d) => d.range.start.line === 4));
  assert.deepEqual(seen.diagnostics?.map((d) => [d.line, d.col]), expected.map((d) => [d.range.start.line, d.range.start.character]));
  for (const [i, d] of expected.entries()) assert.ok(seen.diagnostics![i]!.message.includes(d.message), `${seen.diagnostics![i]!.message} ≠ ${d.message}`);
  assert.match(seen.hover ?? '', /--ntasks/);
  assert.deepEqual(seen.offered, ['Change to --time', 'Change to --mem']);
  assert.equal(seen.lines?.filter((l) => l !== '').join('\n'), FIXED.trimEnd());
  const afterFix = lintText(FIXED, { slurmVersion: VERSION });
  assert.ok(afterFix.length > 0, 'the fixed script still has its 22.05 finding, so an empty list cannot pass');
  assert.deepEqual(seen.after?.map((d) => d.line), afterFix.map((d) => d.range.start.line));
}

describe('hpc-jobs lsp --stdio in Neovim (headless, built-in LSP client)', needs(has('nvim', ['--version']), 'nvim'), () => {
  test('diagnostics, hover, a quick fix applied from the code-action menu, diagnostics again', () => {
    const seen = runEditor('neovim', 'nvim', () => ['--headless', '--clean', '-u', path.join(FIXTURES, 'neovim-lsp.lua')]);
    assert.deepEqual(seen.steps, ['diagnostics: ok', 'code action applied: ok', 'diagnostics after the edit: ok'], JSON.stringify(seen));
    assertSeen(seen);
  });
});

const emacsHasEglot = has('emacs', ['--batch', '--eval', "(require 'eglot)"]);
describe('hpc-jobs lsp --stdio in Emacs (batch) with eglot', needs(emacsHasEglot, 'emacs with eglot'), () => {
  test('diagnostics in Flymake, hover, a quick fix applied from eglot-code-actions, diagnostics again', () => {
    // project.el needs a project to start eglot in: a git repository.
    const seen = runEditor('emacs', 'emacs', () => ['--batch', '-l', path.join(FIXTURES, 'emacs-eglot.el')],
      (folder) => { spawnSync('git', ['init', '-q', folder]); });
    assert.deepEqual(seen.steps, ['connected: ok', 'diagnostics: ok', 'code action applied: ok', 'diagnostics after the edit: ok'], JSON.stringify(seen));
    assertSeen(seen);
  });
});
