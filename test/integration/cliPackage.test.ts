/**
 * The CLI as an npm package (scripts/pack-cli.mjs): the tarball holds the launcher and one
 * bundle, declares no dependency, and installs with `npm install -g --offline` and an empty npm
 * cache into a fresh prefix (so nothing can come from a registry). The installed `hpc-jobs` then
 * runs `--version`, `lint`, `run`, `lsp` and `mcp` from outside the repository.
 *
 * Run: node --import tsx --test test/integration/cliPackage.test.ts
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ROOT } from './cliBundle';

const { version, engines } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string; engines: { node: string } };

let dir = '';
let tarball = '';
let prefix = '';
let work = '';

function sh(cmd: string, args: readonly string[], opts: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(cmd, args, { cwd: opts.cwd ?? work, input: opts.input, encoding: 'utf8', timeout: 180_000, env: opts.env ?? process.env });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm package of the CLI, installed offline into a fresh prefix', () => {
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hpc-jobs-package-'));
    const packed = sh(process.execPath, [path.join(ROOT, 'scripts', 'pack-cli.mjs'), '--out-dir', dir], { cwd: ROOT });
    assert.equal(packed.code, 0, packed.stderr);
    tarball = path.join(dir, `hpc-jobs-${version}.tgz`);
    prefix = path.join(dir, 'prefix');
    work = path.join(dir, 'work');
    mkdirSync(work);
    // No registry: --offline and an empty cache.
    const env = { ...process.env, npm_config_registry: 'http://127.0.0.1:9/' };
    const install = sh('npm', ['install', '-g', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, '--cache', path.join(dir, 'npm-cache'), tarball], { env });
    assert.equal(install.code, 0, `${install.stdout}\n${install.stderr}`);
  });
  after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  const hpcJobs = (args: readonly string[], input?: string) =>
    sh(path.join(prefix, 'bin', 'hpc-jobs'), args, { input, env: { ...process.env, HPC_JOBS_LOG_DIR: path.join(dir, 'logs'), NO_COLOR: '1' } });

  test('the tarball: the launcher, the bundles, README/LICENSE/CHANGELOG; bin, files, engines; no dependencies', () => {
    const list = sh('tar', ['tzf', tarball]).stdout.trim().split('\n').sort();
    assert.deepEqual(list, ['package/CHANGELOG.md', 'package/LICENSE', 'package/README.md', 'package/bin/hpc-jobs.js', 'package/out/cli.js', 'package/out/mcp.js', 'package/package.json']);
    const pkg = JSON.parse(sh('tar', ['xzOf', tarball, 'package/package.json']).stdout) as Record<string, unknown>;
    assert.equal(pkg['name'], 'hpc-jobs');
    assert.equal(pkg['version'], version);
    assert.deepEqual(pkg['bin'], { 'hpc-jobs': 'bin/hpc-jobs.js' });
    assert.deepEqual(pkg['engines'], { node: engines.node });
    assert.ok(Array.isArray(pkg['files']));
    for (const key of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies', 'scripts', 'private']) assert.equal(pkg[key], undefined, key);
  });

  test('--version is the package\'s', () => {
    const r = hpcJobs(['--version']);
    assert.deepEqual([r.code, r.stdout], [0, `hpc-jobs ${version}\n`]);
  });

  test('lint: a bad script exits 1 with the message; stdin works', () => {
    writeFileSync(path.join(work, 'job.slurm'), '#!/bin/bash\n#SBATCH --tiem=10\nsrun hostname\n');
    const r = hpcJobs(['lint', 'job.slurm']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^job\.slurm:2:9: error: sbatch stops with "unrecognized option '--tiem'"\. Did you mean --time, --mem\? \[SBATCH020\]$/m);
    assert.equal(hpcJobs(['lint', '-'], '#!/bin/bash\n#SBATCH --time=10\nsrun hostname\n').code, 0);
  });

  test('run: tasks on this machine, without node-pty', () => {
    writeFileSync(path.join(work, 'work.sh'), 'echo "hello from $$"\n');
    const r = hpcJobs(['run', '--tasks', '3', '-n', '2', 'work.sh']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.split('\n').filter((l) => /^\[task \d\] hello from \d+$/.test(l)).length, 3, r.stdout);
    assert.match(r.stderr, /succeeded: all 3 tasks exited with 0/);
  });

  test('lsp: usage errors are clear (exit 2); --help works', () => {
    const none = hpcJobs(['lsp']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /give one channel: --stdio/);
    assert.equal(hpcJobs(['lsp', '--stdio', '--what']).code, 2);
    assert.match(hpcJobs(['lsp', '--help']).stdout, /hpc-jobs lsp --stdio/);
  });

  test('without node-pty, a terminal feature says so (alloc in a terminal, on a cluster of this machine)', () => {
    const clusters = path.join(dir, 'clusters.json');
    writeFileSync(clusters, JSON.stringify({ clusters: { here: {} } }));
    // In a terminal (util-linux's script gives it one): alloc then needs a PTY for salloc. With input
    // from a pipe it runs salloc without one, and node-pty is not needed at all.
    const q = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
    const command = [path.join(prefix, 'bin', 'hpc-jobs'), 'alloc', '--cluster', 'here', '--', '-N1', '-t', '1'].map(q).join(' ');
    const r = sh('script', ['-qec', command, '/dev/null'], { env: { ...process.env, HPC_JOBS_CONFIG: clusters } });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /hpc-jobs alloc: node-pty could not be loaded \(Cannot find module 'node-pty'\)/);
  });

  test('mcp: its own bundle (out/mcp.js) loads from the package', () => {
    const r = hpcJobs(['mcp', '--help']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /lint_batch_script/);
  });
});
