/**
 * .pre-commit-hooks.yaml with Debian's `pre-commit`: a scratch repository whose
 * .pre-commit-config.yaml names a local git repository holding this checkout's hooks file (as a
 * user's names ours by URL). `pre-commit install`, then real `git commit`s: a bad batch script is
 * refused with our message, a good one and a plain shell script pass. The hook runs the `hpc-jobs`
 * on PATH (`language: system`): here a shim over the built bin/hpc-jobs.js.
 * Skips where pre-commit is not installed, unless CI=true (.ci/run installs it).
 *
 * Run: node --import tsx --test test/integration/preCommit.test.ts
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildCliBundle, CLI, ROOT } from './cliBundle';
import { has, needs } from './runtimes/runtimeHarness';

let dir = '';
let hooks = '';
let work = '';
let env: NodeJS.ProcessEnv = {};

function run(cmd: string, args: readonly string[], cwd: string) {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw r.error;
  return { code: r.status, out: r.stdout + r.stderr };
}
function ok(cmd: string, args: readonly string[], cwd: string): string {
  const r = run(cmd, args, cwd);
  assert.equal(r.code, 0, `${cmd} ${args.join(' ')}:\n${r.out}`);
  return r.out;
}

describe('pre-commit: the hpc-jobs-lint hook', needs(has('pre-commit', ['--version']), 'pre-commit'), () => {
  before(() => {
    buildCliBundle();
    dir = mkdtempSync(path.join(os.tmpdir(), 'hpc-jobs-pre-commit-'));
    const bin = path.join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'hpc-jobs'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} "$@"\n`);
    chmodSync(path.join(bin, 'hpc-jobs'), 0o755);
    env = {
      ...process.env, PATH: `${bin}:${process.env['PATH']}`, HOME: dir, PRE_COMMIT_HOME: path.join(dir, 'cache'), NO_COLOR: '1',
      GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.org', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.org',
      GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1',
    };

    // The hook repository: this checkout's hooks file, committed.
    hooks = path.join(dir, 'hooks-repo');
    mkdirSync(hooks);
    copyFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), path.join(hooks, '.pre-commit-hooks.yaml'));
    ok('git', ['init', '-q'], hooks);
    ok('git', ['add', '.pre-commit-hooks.yaml'], hooks);
    ok('git', ['commit', '-qm', 'hooks'], hooks);
    const rev = ok('git', ['rev-parse', 'HEAD'], hooks).trim();

    work = path.join(dir, 'work');
    mkdirSync(work);
    ok('git', ['init', '-q'], work);
    writeFileSync(path.join(work, '.pre-commit-config.yaml'), `repos:\n  - repo: ${hooks}\n    rev: ${rev}\n    hooks:\n      - id: hpc-jobs-lint\n`);
    ok('git', ['add', '.pre-commit-config.yaml'], work);
    ok('pre-commit', ['install'], work);
  });
  after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  const commit = (file: string, text: string) => {
    writeFileSync(path.join(work, file), text);
    ok('git', ['add', file], work);
    return run('git', ['commit', '-m', `add ${file}`], work);
  };

  test('a commit with a bad batch script is refused, with our message', () => {
    const r = commit('job.slurm', '#!/bin/bash\n#SBATCH --tiem=00:10:00\nsrun hostname\n');
    assert.notEqual(r.code, 0, r.out);
    assert.match(r.out, /Slurm batch scripts \(hpc-jobs lint\)\.+Failed/);
    assert.match(r.out, /job\.slurm:2:9: error: sbatch stops with "unrecognized option '--tiem'"\. Did you mean --time, --mem\? \[SBATCH020\]/);
    // Nothing was committed.
    assert.notEqual(run('git', ['rev-parse', '--verify', 'HEAD'], work).code, 0);
  });

  test('the fixed script commits; so does a shell script without #SBATCH lines', () => {
    const fixed = commit('job.slurm', '#!/bin/bash\n#SBATCH --time=00:10:00\nsrun hostname\n');
    assert.equal(fixed.code, 0, fixed.out);
    assert.match(fixed.out, /Slurm batch scripts \(hpc-jobs lint\)\.+Passed/);
    // No shebang: as a batch script this is SBATCH001; as a plain shell script it is none of our business.
    const plain = commit('build.sh', 'make all\n');
    assert.equal(plain.code, 0, plain.out);
    // A shell script with directives is checked.
    const batch = commit('submit.sh', '#!/bin/bash\n#SBATCH --ntasks=0\nsrun x\n');
    assert.notEqual(batch.code, 0, batch.out);
    assert.match(batch.out, /submit\.sh:2:\d+: error: .*\[SBATCH\d{3}\]/);
  });
});
