/** The CLI as users run it: `bin/hpc-jobs.js` over the esbuild bundle, rebuilt once per test file. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const CLI = path.join(ROOT, 'bin', 'hpc-jobs.js');
const BUNDLE = path.join(ROOT, 'out', 'cli.js');

/** Runs esbuild.mjs and fails unless out/cli.js was (re)built: the other bundles may be mid-edit. */
export function buildCliBundle(): void {
  const t0 = Date.now();
  const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  let built = false;
  try { built = statSync(BUNDLE).mtimeMs >= t0 - 2000; } catch { /* missing */ }
  assert.ok(built, `node esbuild.mjs did not (re)build out/cli.js (exit ${build.status}):\n${build.stdout}\n${build.stderr}`);
}
