/**
 * The CLI meets broken input with one clear line and the documented exit status, never a stack
 * trace (issue 11, items 10 and 11): malformed or unreadable clusters files, a log folder that
 * cannot be made, `lint - -`, a reader that leaves (`lint | head`), and escape sequences in a
 * hostile script or file name, which are shown escaped instead of driving the terminal.
 * The real CLI bundle (bin/hpc-jobs.js) as a child process.
 *
 * Run: node --import tsx --test test/integration/cliMessages.test.ts
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildCliBundle, CLI } from './cliBundle';

let dir = '';
before(() => {
  buildCliBundle();
  dir = mkdtempSync(path.join(os.tmpdir(), 'hpc-jobs-messages-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function hpcJobs(args: readonly string[], env: Record<string, string> = {}, input = '') {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: dir, encoding: 'utf8', input, timeout: 60_000, env: { ...process.env, NO_COLOR: '1', ...env },
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const STACK = /^\s+at .+\(?.*:\d+:\d+\)?$/m;

describe('clusters file', () => {
  const cases: [string, string | undefined, RegExp][] = [
    ['trailing comma', '{"clusters": {"a": {"ssh": "x@y",}}}', /trailing comma\.json: not valid JSON at line 1, column 34 \(/],
    ['null', 'null', /null\.json: expected \{"clusters": \{"NAME": \{\.\.\.\}\}\}\./],
    ['a number for ssh', '{"clusters": {"a": {"ssh": 5}}}', /cluster "a": "ssh" must be a non-empty string, not 5\./],
    ['a string for env', '{"clusters": {"a": {"ssh": "h", "env": "SLURM_CONF=/x"}}}', /cluster "a": "env" must be an object of strings/],
    ['an unknown squeue mode', '{"clusters": {"a": {"ssh": "h", "squeue": "xml"}}}', /"squeue" must be "auto", "json" or "format", not "xml"\./],
    ['a folder', undefined, /cannot read the clusters file .*a folder\.json \(named by \$HPC_JOBS_CONFIG\): it is a folder, not a file\./],
    ['missing', undefined, /cannot read the clusters file .*missing\.json \(named by \$HPC_JOBS_CONFIG\): there is no such file\./],
  ];
  for (const [what, text, message] of cases) {
    test(`${what}: one line naming the file and the problem, exit 2, nothing contacted`, () => {
      const file = path.join(dir, `${what}.json`);
      if (text !== undefined) writeFileSync(file, text);
      else if (what === 'a folder') mkdirSync(file, { recursive: true });
      const r = hpcJobs(['jobs', '--cluster', 'a'], { HPC_JOBS_CONFIG: file });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /^hpc-jobs jobs: /);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, STACK);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    });
  }

  test('a byte-order mark is accepted: the file is read (the cluster is then on this machine)', () => {
    const file = path.join(dir, 'bom.json');
    writeFileSync(file, '\ufeff{"clusters": {"a": {"env": {"SLURM_CONF": "/nonexistent/slurm.conf"}}}}');
    const r = hpcJobs(['jobs', '--cluster', 'a'], { HPC_JOBS_CONFIG: file });
    assert.doesNotMatch(r.stderr, /not valid JSON|bom\.json/);
    assert.doesNotMatch(r.stderr, STACK);
  });
});

describe('run', () => {
  for (const logDir of ['/proc/hpc-jobs-nope', '/etc/passwd/runs']) {
    test(`a log folder that cannot be made (${logDir}): the reason, exit 125 as the help says`, () => {
      const r = hpcJobs(['run', '--log-dir', logDir, 'sh', '--', '-c', 'echo ran']);
      assert.equal(r.code, 125, r.stderr);
      assert.match(r.stderr, new RegExp(`^hpc-jobs run: Cannot create the log folder ${logDir}`, 'm'));
      assert.doesNotMatch(r.stdout, /ran/);
      assert.doesNotMatch(r.stderr, STACK);
    });
  }
});

describe('run --backend mpi with a Python that lacks mpi4py', () => {
  const mpirun = spawnSync('sh', ['-c', 'command -v mpirun'], { encoding: 'utf8' }).stdout.trim();
  const systemHas = spawnSync('/usr/bin/python3', ['-c', 'import mpi4py'], { encoding: 'utf8' }).status === 0;
  const skip = !mpirun ? 'no mpirun on PATH' : !systemHas ? '/usr/bin/python3 cannot import mpi4py' : false;
  test('the hint names the option that chooses the Python that has it (--python), exit 125', { skip }, () => {
    // A venv without the system's packages: a Python with no mpi4py, whatever this machine has.
    const venv = path.join(dir, 'venv-no-mpi4py');
    assert.equal(spawnSync('/usr/bin/python3', ['-m', 'venv', '--without-pip', venv]).status, 0);
    const prog = path.join(dir, 'uses_mpi.py');
    writeFileSync(prog, 'from mpi4py import MPI\nprint(MPI.COMM_WORLD.Get_rank())\n');
    const r = hpcJobs(['run', '--backend', 'mpi', '-n', '2', '--python', path.join(venv, 'bin', 'python3'), prog]);
    assert.equal(r.code, 125, r.stderr);
    assert.match(r.stderr, /cannot import mpi4py/);
    assert.match(r.stderr, /^ {2}Run again with --python \/usr\/bin\/python3\.$/m);
    assert.doesNotMatch(r.stderr, STACK);
  });
});

describe('run of a special file', () => {
  test('/dev/zero and a FIFO: "not a regular file", exit 125, at once (no read of gigabytes, no wait for a writer)', () => {
    const fifo = path.join(dir, 'fifo.py');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    for (const file of ['/dev/zero', fifo]) {
      const r = hpcJobs(['run', file]);
      assert.equal(r.code, 125, r.stderr);
      assert.match(r.stderr, new RegExp(`^hpc-jobs run: ${file.replace(/[.]/g, '\\.')}: is not a regular file`, 'm'));
    }
  });
});

describe('submit', () => {
  test('a FILE that is not there, or a folder: one line, exit 2 as the help says, nothing contacted', () => {
    mkdirSync(path.join(dir, 'a-folder'), { recursive: true });
    // A cluster that cannot resolve: reaching it would fail with exit 1 and other words.
    const config = path.join(dir, 'unreachable.json');
    writeFileSync(config, '{"clusters": {"far": {"ssh": "nobody@host.invalid"}}}');
    for (const [file, what] of [['nothere.slurm', 'no such file'], ['nothere.py', 'no such file'], ['a-folder', 'not a file']] as const) {
      const r = hpcJobs(['submit', '--cluster', 'far', file], { HPC_JOBS_CONFIG: config });
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr, `hpc-jobs submit: ${file}: ${what}\n`);
      assert.equal(r.stdout, '');
    }
  });
});

describe('lint', () => {
  test('"lint - -": standard input can be read once; usage error, not a bogus empty-script error', () => {
    const r = hpcJobs(['lint', '-', '-'], {}, '#!/bin/bash\n#SBATCH --time=1\n');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^hpc-jobs lint: standard input \(-\) can be read only once\.$/m);
    assert.doesNotMatch(r.stdout + r.stderr, /empty/);
  });

  test('"lint | head -1": the reader leaving is no crash (no EPIPE trace), the status is lint\'s', () => {
    const bad = path.join(dir, 'bad.sh');
    writeFileSync(bad, '#!/bin/bash\n#SBATCH --tiem=1\n');
    const files = Array.from({ length: 4000 }, () => 'bad.sh').join(' ');
    const r = spawnSync('bash', ['-c', `set -o pipefail; node ${JSON.stringify(CLI)} lint ${files} 2>lint.err | head -1; echo "status $?"; cat lint.err`],
      { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    assert.match(r.stdout, /^bad\.sh:2:9: error: .*\[SBATCH020\]\nstatus 1\n$/);
  });

  test('escape sequences in a script and its file name are shown escaped, never sent to the terminal', () => {
    const name = 'evil\x1b[2J.sh';
    writeFileSync(path.join(dir, name), '#!/bin/bash\n#SBATCH --job-name=x \x1b[2J\x1b[31mHIDDEN\x07\n');
    const r = hpcJobs(['lint', name]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^evil\\u001b\[2J\.sh:2:22: error: sbatch stops with "Invalid directive found in batch script: \\u001b\[2J\\u001b\[31mHIDDEN\\u0007"/);
    assert.doesNotMatch(r.stdout, /[\x00-\x08\x0b-\x1f\x7f]/);
  });
});
