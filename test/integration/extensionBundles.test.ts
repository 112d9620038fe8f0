/**
 * What each of the client's bundles holds, read from the source maps of a fresh `node
 * esbuild.mjs`. out/extension.js is what every VS Code window loads at startup (activation
 * target < 50 ms, bench/extensionHost.ts): the language client, ssh2, the launchers, the Slurm
 * runtime and the linter's checks must stay in the bundles loaded when first needed
 * (extension/src/lazy/lazyBundle.ts). An import that pulls one of them back in fails here.
 *
 *   node --import tsx --test test/integration/extensionBundles.test.ts
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { before, test } from 'node:test';

const ROOT = path.resolve(__dirname, '..', '..');
const BUNDLES = ['extension', 'languageClient', 'run', 'slurm', 'ssh2', 'runWorker'] as const;

/** The repository paths of a bundle's inputs (its source map's `sources`). */
function inputsOf(bundle: (typeof BUNDLES)[number]): string[] {
  const map = JSON.parse(readFileSync(path.join(ROOT, 'out', `${bundle}.js.map`), 'utf8')) as { sources: string[] };
  return map.sources.map((s) => path.relative(ROOT, path.resolve(ROOT, 'out', s)));
}

function matching(inputs: readonly string[], pattern: RegExp): string[] {
  return inputs.filter((f) => pattern.test(f));
}

before(() => {
  const t0 = Date.now();
  const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  const stale = BUNDLES.filter((b) => { try { return statSync(path.join(ROOT, 'out', `${b}.js.map`)).mtimeMs < t0 - 2000; } catch { return true; } });
  assert.deepEqual(stale, [], `node esbuild.mjs did not (re)build every client bundle (exit ${build.status}):\n${build.stdout}\n${build.stderr}`);
});

test('out/extension.js holds what activation runs, and none of the parts loaded later', () => {
  const inputs = inputsOf('extension');
  assert.deepEqual(matching(inputs, /(^|\/)node_modules\//), [], 'no dependency: vscode-languageclient, the LSP protocol and ssh2 are bundles of their own');
  assert.deepEqual(matching(inputs, /^server\/src\/(rules|values|options|lint\.ts)/), [], 'none of the linter\'s checks');
  // (mpiLauncher.ts is an input for one small function, importsMpi4py, that the task definitions use.)
  assert.deepEqual(matching(inputs, /^runtimes\/src\/(localRun|poolLauncher|gpuLauncher|sbatchLocal|slurm\/(slurmCluster|slurmJob|batchSubmit|jobTracker)|request\/pythonJobOptions|transport\/(sshTransport|sshConnect|localTransport))/),
    [], 'no launcher, no Slurm runtime, no transport');
  assert.deepEqual(matching(inputs, /^extension\/src\/(run\/(runCommands|runFlow|runLauncher)|languageClient\.ts|clusters\/clusterProfileSync)/),
    [], 'neither the run commands nor the language client');
  assert.ok(inputs.includes('extension/src/extension.ts') && inputs.includes('extension/src/jobs/jobStore.ts'));
  const code = readFileSync(path.join(ROOT, 'out/extension.js'), 'utf8');
  assert.equal(code.match(/\brequire\("vscode"\)/g)?.length, 1, 'one require of the vscode API for the whole bundle');
});

test('the lazily loaded bundles hold what their loaders expect', () => {
  const has = (bundle: (typeof BUNDLES)[number], pattern: RegExp) =>
    assert.ok(inputsOf(bundle).some((f) => pattern.test(f)), `out/${bundle}.js holds ${pattern}`);
  has('languageClient', /(^|\/)node_modules\/vscode-languageclient\//);
  has('languageClient', /^extension\/src\/clusters\/clusterProfileSync\.ts$/);
  has('run', /^extension\/src\/run\/runCommands\.ts$/);
  has('run', /^runtimes\/src\/sbatchLocal\.ts$/);
  has('slurm', /^runtimes\/src\/slurm\/slurmCluster\.ts$/);
  has('ssh2', /(^|\/)node_modules\/ssh2\//);
  for (const bundle of ['run', 'slurm'] as const) {
    assert.deepEqual(matching(inputsOf(bundle), /(^|\/)node_modules\/(ssh2|vscode-languageclient)\//), [], `out/${bundle}.js leaves ssh2 and the language client to their bundles`);
  }
});

test('out/runWorker.js, where local runs live, holds the launchers and nothing of VS Code; out/run.js starts it', () => {
  const inputs = inputsOf('runWorker');
  assert.ok(inputs.includes('runtimes/src/runHost/worker.ts') && inputs.includes('runtimes/src/localRun.ts') && inputs.includes('runtimes/src/mpiLauncher.ts'));
  // (server/src/values: sbatch-local reads a script's directives with the linter's parsers.)
  assert.deepEqual(matching(inputs, /^extension\/|(^|\/)node_modules\//), [], 'no extension code, no dependency');
  assert.doesNotMatch(readFileSync(path.join(ROOT, 'out/runWorker.js'), 'utf8'), /\brequire\("vscode"\)/, 'a worker thread has no vscode API');
  assert.ok(inputsOf('run').includes('runtimes/src/runHost/runHost.ts') && inputsOf('run').includes('extension/src/run/localLaunch.ts'));
});

test('out/slurm.js and out/ssh2.js load in plain Node and export what lazySlurm.ts and ssh2Module.ts use', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const slurm = require(path.join(ROOT, 'out/slurm.js')) as Record<string, unknown>;
  for (const name of ['ClusterRegistry', 'SlurmCluster', 'SshTransport', 'slurmClusterFor']) assert.equal(typeof slurm[name], 'function', name);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ssh2 = require(path.join(ROOT, 'out/ssh2.js')) as { Client?: unknown; utils?: { parseKey?: unknown } };
  assert.equal(typeof ssh2.Client, 'function');
  assert.equal(typeof ssh2.utils?.parseKey, 'function');
});
