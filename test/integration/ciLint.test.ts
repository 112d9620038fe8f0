/**
 * scripts/ci-lint.sh, what action.yml runs, in a scratch git repository: which files it finds,
 * the annotations and SARIF it writes, its exit status; and action.yml hands it the inputs it reads.
 *
 * Run: node --import tsx --test test/integration/ciLint.test.ts
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildCliBundle, CLI, ROOT } from './cliBundle';

const SCRIPT = path.join(ROOT, 'scripts', 'ci-lint.sh');
const BAD = '#!/bin/bash\n#SBATCH --tiem=10\nsrun hostname\n';
const WARN = '#!/bin/bash\n#SBATCH --time=5\n#SBATCH --time=10\nsrun hostname\n';
const GOOD = '#!/bin/bash\n#SBATCH --time=10\nsrun hostname\n';

let repo = '';
before(() => {
  buildCliBundle();
  repo = mkdtempSync(path.join(os.tmpdir(), 'hpc-jobs-ci-lint-'));
  const files: Record<string, string> = {
    'jobs/a job, #1.slurm': BAD,
    'jobs/deep/ok.sbatch': GOOD,
    'run.sh': WARN,
    'plain.sh': 'echo not a batch script --tiem\n',
    'notes.txt': BAD,
  };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(repo, name)), { recursive: true });
    writeFileSync(path.join(repo, name), text);
  }
  git('init', '-q');
  git('add', '--', ...Object.keys(files));
  writeFileSync(path.join(repo, 'untracked.slurm'), BAD); // not in git: not linted
});
after(() => { if (repo) rmSync(repo, { recursive: true, force: true }); });

function git(...args: string[]): void {
  const r = spawnSync('git', args, { cwd: repo, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

function ciLint(env: Record<string, string> = {}) {
  const r = spawnSync('bash', [SCRIPT], {
    cwd: repo, encoding: 'utf8', timeout: 60_000,
    env: { ...process.env, HPC_JOBS: `${process.execPath} ${CLI}`, NO_COLOR: '1', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('scripts/ci-lint.sh (the action\'s step)', () => {
  test('finds tracked batch scripts (by name, or shell scripts with #SBATCH), annotates, writes SARIF, exits 1 on errors', () => {
    const r = ciLint();
    assert.equal(r.code, 1, r.stderr);
    const annotated = r.stdout.trimEnd().split('\n').map((l) => /^::(\w+) file=([^,]*),/.exec(l)?.slice(1, 3).join(' '));
    assert.deepEqual(annotated, ['error jobs/a job%2C #1.slurm', 'warning run.sh']);
    assert.match(r.stderr, /3 file\(s\) linted; exit 1/);
    const sarif = JSON.parse(readFileSync(path.join(repo, 'hpc-jobs.sarif'), 'utf8')) as { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    assert.deepEqual(sarif.runs[0]!.results.map((x) => [x.ruleId, x.locations[0]!.physicalLocation.artifactLocation.uri]),
      [['SBATCH020', 'jobs/a%20job%2C%20%231.slurm'], ['SBATCH103', 'run.sh']]);
  });

  test('FILES (globs), STRICT, SLURM_VERSION, FORMAT=text, SARIF_FILE empty', () => {
    const clean = ciLint({ FILES: 'jobs/**/*.sbatch', SARIF_FILE: '' });
    assert.deepEqual([clean.code, clean.stdout], [0, '']);
    assert.equal(ciLint({ FILES: 'run.sh', SARIF_FILE: '' }).code, 0);
    assert.equal(ciLint({ FILES: 'run.sh', SARIF_FILE: '', STRICT: 'true' }).code, 1);
    const text = ciLint({ FILES: 'run.sh', FORMAT: 'text', SARIF_FILE: 'out.sarif' });
    assert.match(text.stdout, /^run\.sh:2:\d+: warning: .*\[SBATCH103\]$/m);
    assert.ok(JSON.parse(readFileSync(path.join(repo, 'out.sarif'), 'utf8')));
    writeFileSync(path.join(repo, 'new.sh'), '#!/bin/bash\n#SBATCH --tres-bind=gres/gpu:closest\nsrun x\n');
    assert.equal(ciLint({ FILES: 'new.sh', SARIF_FILE: '' }).code, 0);
    assert.equal(ciLint({ FILES: 'new.sh', SARIF_FILE: '', SLURM_VERSION: '22.05' }).code, 1);
  });

  test('bad input: a glob that matches nothing, an unknown format, a bad release (exit 2, a message)', () => {
    const none = ciLint({ FILES: 'nothing/*.slurm' });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no file matches FILES='nothing\/\*\.slurm'/);
    const format = ciLint({ FORMAT: 'xml' });
    assert.equal(format.code, 2);
    assert.match(format.stderr, /FORMAT must be github or text/);
    const release = ciLint({ FILES: 'run.sh', SLURM_VERSION: 'latest', SARIF_FILE: '' });
    assert.equal(release.code, 2);
    assert.match(release.stderr, /'latest' is not a Slurm release/);
  });
});

describe('action.yml', () => {
  const action = readFileSync(path.join(ROOT, 'action.yml'), 'utf8');
  test('a composite action whose lint step runs scripts/ci-lint.sh with the variables it reads', () => {
    assert.match(action, /^runs:\n {2}using: composite$/m);
    assert.match(action, /run: '"\$GITHUB_ACTION_PATH\/scripts\/ci-lint\.sh"'/);
    accessSync(SCRIPT, constants.X_OK);
    const given = [...action.matchAll(/^ {8}([A-Z_]+): \$\{\{ inputs\.([a-z-]+) \}\}$/gm)].map((m) => m[1]);
    const read = [...readFileSync(SCRIPT, 'utf8').matchAll(/\$\{(FILES|SLURM_VERSION|STRICT|SARIF_FILE|FORMAT)\b/g)].map((m) => m[1]);
    for (const v of given) assert.ok(read.includes(v), `${v} is given but ci-lint.sh does not read it`);
    assert.deepEqual(new Set(given), new Set(['FILES', 'SLURM_VERSION', 'STRICT', 'SARIF_FILE']));
    // Every input the lint step uses is declared.
    const declared = new Set([...action.matchAll(/^ {2}([a-z-]+):\n {4}description:/gm)].map((m) => m[1]));
    for (const m of action.matchAll(/inputs\.([a-z-]+)/g)) assert.ok(declared.has(m[1]), `inputs.${m[1]} is not declared`);
  });
});
