/**
 * `hpc-jobs run` end to end: the real CLI bundle (node esbuild.mjs) spawned as a process, its
 * streams, exit codes, Ctrl-C, and a clear message (with nothing left running) for bad input.
 *
 * Run: node --import tsx --test test/integration/runtimes/runCli.test.ts
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadPty } from '../../../runtimes/src/ptyLoader';
import { buildCliBundle, CLI } from '../cliBundle';
import { alive, has, program, pythonHas, ROOT, SYSTEM_PYTHON, TempDirs } from './runtimeHarness';

const dirs = new TempDirs();
let logDir = '';
after(() => dirs.clean());

before(() => {
  buildCliBundle();
  logDir = dirs.make();
});

interface CliRun { readonly code: number | null; readonly stdout: string; readonly stderr: string }

function hpcJobs(args: readonly string[], opts: { cwd?: string; env?: Record<string, string> } = {}): CliRun {
  const r = spawnSync(process.execPath, [CLI, 'run', '--log-dir', logDir, ...args], {
    cwd: opts.cwd ?? ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 120_000,
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const mpiReady = has('mpirun') && pythonHas(SYSTEM_PYTHON, 'mpi4py');

describe('hpc-jobs run: streams and exit codes', () => {
  test('MPI by default for a .py that imports mpi4py: tagged lines, exit 0', { skip: mpiReady ? false : 'no mpirun/mpi4py' }, () => {
    const r = hpcJobs(['-n', '4', '--python', SYSTEM_PYTHON, 'examples/pythonMPI.py', '--', '200000']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\[rank 0\] number of darts: 200000, ranks: 4, estimate: 3\.1/m);
    assert.match(r.stderr, /^\[hpc-jobs\] succeeded: all 4 ranks exited with 0$/m);
    assert.match(r.stderr, /^hpc-jobs run: log: .*output\.log$/m);
  });

  test('a failing rank: its exit code is the CLI\'s', { skip: mpiReady ? false : 'no mpirun/mpi4py' }, () => {
    const r = hpcJobs(['-n', '4', '--python', SYSTEM_PYTHON, program('mpi_fail.py')]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /^\[rank 2\] rank 2 gives up$/m);
    assert.match(r.stderr, /rank 2 exited with 3/);
  });

  test('tasks: the first failing task\'s code', () => {
    const r = hpcJobs(['--tasks', '4', '-n', '2', 'sh', '--', '-c', 'echo "task $HPC_TASK_ID"; exit $((HPC_TASK_ID == 2 ? 9 : 0))']);
    assert.equal(r.code, 9, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n').sort(), ['[task 0] task 0', '[task 1] task 1', '[task 2] task 2', '[task 3] task 3']);
  });

  test('a .slurm file runs as sbatch-local', () => {
    const ex = dirs.examples();
    const r = hpcJobs(['job_array.slurm'], { cwd: ex });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readdirSync(ex).filter((f) => /^array_\d+_\d\.out$/.test(f)).length, 4);
    assert.match(r.stderr, /array: 4 tasks/);
  });

  test('--time: a program that never ends is stopped, exit 124', () => {
    const t0 = Date.now();
    const r = hpcJobs(['--time', '1', program('stubborn.py')], { env: { HPC_JOBS_MINUTE_MS: '500' } });
    assert.equal(r.code, 124, r.stderr);
    assert.match(r.stderr, /reached its time limit/);
    assert.ok(Date.now() - t0 < 60_000);
  });

  test('10^6 lines come out complete', () => {
    const r = hpcJobs([program('flood.py')]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.equal(lines.length, 1_000_001);
    assert.equal(lines[999_999], 'line 999999');
  });

  test('invalid UTF-8 is shown as replacement characters', () => {
    const r = hpcJobs([program('odd_output.py')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^bad \ufffd\ufffd bytes$/m);
    assert.match(r.stdout, /^split € done$/m);
    assert.match(r.stderr, /^to stderr$/m);
  });

  test('a program that forks children and exits: they are ended too', () => {
    const r = hpcJobs([program('forker.py')]);
    assert.equal(r.code, 0, r.stderr);
    const pids = /^pids (.+)$/m.exec(r.stdout)![1]!.split(' ').map(Number);
    assert.deepEqual(pids.filter(alive), []);
    assert.match(r.stderr, /left 3 processes/);
  });

  test('colour on a terminal', { skip: loadPty().ok ? false : 'node-pty not loadable' }, async () => {
    const pty = loadPty();
    assert.ok(pty.ok);
    const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined && e[0] !== 'NO_COLOR'));
    const term = pty.pty.spawn(process.execPath, [CLI, 'run', '--log-dir', logDir, '--tasks', '2', 'sh', '--', '-c', 'echo hi'], { cwd: ROOT, env, cols: 100, rows: 20 });
    let out = '';
    term.onData((d) => { out += d; });
    const code = await new Promise<number>((resolve) => term.onExit((e) => resolve(e.exitCode)));
    assert.equal(code, 0, out);
    assert.match(out, /\x1b\[36m\[task 0\] \x1b\[0mhi/);
  });
});

describe('hpc-jobs run: Ctrl-C', () => {
  test('cancels the whole tree and exits 130', { timeout: 60_000 }, async () => {
    const child = spawn(process.execPath, [CLI, 'run', '--log-dir', logDir, program('forker.py'), '--', 'wait'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d; });
    const pids = await new Promise<number[]>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d;
        const m = /^pids (.+)$/m.exec(stdout);
        if (m) resolve(m[1]!.split(' ').map(Number));
      });
      child.once('exit', () => reject(new Error(`exited early: ${stderr}`)));
    });
    assert.ok(pids.every(alive));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    assert.equal(await exited, 130, stderr);
    assert.match(stderr, /Ctrl-C: cancelling/);
    assert.deepEqual(pids.filter(alive), []);
  });
});

describe('hpc-jobs run: bad input, a clear message, nothing left running', () => {
  const bad = dirs.make();
  writeFileSync(path.join(bad, 'typo.slurm'), '#!/bin/bash\n#SBATCH --tiem=5\necho hi\n');
  const rows: Array<[string, string[], number, RegExp]> = [
    ['-n 0', ['-n', '0', 'examples/distributed.py'], 2, /-n: the number of workers must be a whole number from 1 to 4096, not 0\.\n/],
    ['-n -1', ['-n', '-1', 'examples/distributed.py'], 2, /-n: the number of workers must be a whole number from 1 to 4096, not -1\.\n/],
    ['-n 5000', ['-n', '5000', 'examples/distributed.py'], 2, /-n: the number of workers must be a whole number from 1 to 4096, not 5000\.\n/],
    ['-n two', ['-n', 'two', 'examples/distributed.py'], 2, /-n: the number of workers must be a whole number from 1 to 4096, not "two"\.\n/],
    ['--tasks 0', ['--tasks', '0', 'sh'], 2, /--tasks: the number of tasks must be a whole number from 1 to 100000, not 0\.\n/],
    ['an unknown backend', ['--backend', 'cloud', 'x.py'], 2, /unknown backend 'cloud'/],
    ['no file', [], 2, /no FILE given/],
    ['a file that is not there', ['nope.py'], 125, /nope\.py: file not found/],
    ['a missing interpreter', ['--python', '/nonexistent/python3', 'examples/distributed.py'], 125, /Python interpreter "\/nonexistent\/python3" not found/],
    ['a missing mpirun', ['--backend', 'mpi', '--mpirun', '/nonexistent/mpirun', 'examples/pythonMPI.py'], 125, /MPI launcher "\/nonexistent\/mpirun" not found/],
    ['no GPU', ['--backend', 'gpu', 'examples/add-list-cudajit.py'], 125, /No NVIDIA GPU found/],
    ['--cuda-sim without the gpu backend', ['--cuda-sim', 'examples/distributed.py'], 2, /--cuda-sim is for the gpu backend/],
    ['a script with linter errors', [path.join(bad, 'typo.slurm')], 125, /typo\.slurm has 1 error that sbatch would refuse; not running it:\n {2}line 2:\d+: .*\[SBATCH020\]/],
  ];
  for (const [name, args, code, message] of rows) {
    test(name, () => {
      const r = hpcJobs(args);
      assert.equal(r.code, code, r.stderr);
      assert.match(r.stderr, message);
    });
  }
  test('a Python without mpi4py', { skip: has('mpirun') && !pythonHas('python3', 'mpi4py') ? false : 'python3 on PATH has mpi4py' }, () => {
    const r = hpcJobs(['examples/pythonMPI.py']);
    assert.equal(r.code, 125);
    assert.match(r.stderr, /cannot import mpi4py/);
    assert.match(r.stderr, /pip install mpi4py/);
  });
});
