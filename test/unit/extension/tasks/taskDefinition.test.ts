/**
 * The `hpc` task type without VS Code: which tasks a file is offered, their labels, and the
 * RunRequest a tasks.json definition becomes — or the one sentence that says why it cannot run.
 *
 * Run: node --import tsx --test test/unit/extension/tasks/taskDefinition.test.ts
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { offeredDefinitions, requestFromDefinition, taskLabel, type TaskContext } from '../../../../extension/src/tasks/taskDefinition';
import { terminalLine, terminalNote } from '../../../../extension/src/terminal/terminalText';

const folder = mkdtempSync(path.join(os.tmpdir(), 'hpc-jobs-tasks-'));
after(() => rmSync(folder, { recursive: true, force: true }));
writeFileSync(path.join(folder, 'pool.py'), 'print("hi")\n');
writeFileSync(path.join(folder, 'ranks.py'), 'from mpi4py import MPI\nprint(MPI.COMM_WORLD.rank)\n');
writeFileSync(path.join(folder, 'job.slurm'), '#!/bin/bash\n#SBATCH --ntasks=2\nsrun hostname\n');
writeFileSync(path.join(folder, 'train.py'), '#!/usr/bin/env python3\n#SBATCH --ntasks=2\nprint(1)\n');

const ctx: TaskContext = { folder, clusters: ['hpc'], settings: { python: '/usr/bin/python3', mpirun: 'mpiexec', rankOutput: 'tags' } };

describe('offered tasks', () => {
  test('a Python file: a pool, MPI when it imports mpi4py, GPU when it uses CUDA, and each cluster', () => {
    assert.deepEqual(offeredDefinitions('pool.py', 'print(1)\n', []).map(taskLabel), ['pool: pool.py']);
    assert.deepEqual(offeredDefinitions('sub/ranks.py', 'from mpi4py import MPI\n', ['hpc']).map(taskLabel),
      ['pool: ranks.py', 'mpi (4 ranks): ranks.py', 'submit to hpc: ranks.py']);
    assert.deepEqual(offeredDefinitions('add.py', 'from numba import cuda\n', []).map((d) => d.backend), ['pool', 'gpu']);
    assert.equal(offeredDefinitions('sub/ranks.py', '', [])[0]!.file, 'sub/ranks.py');
  });

  test('a batch script runs here or on a cluster; a plain shell script is not offered', () => {
    assert.deepEqual(offeredDefinitions('job_MPI.slurm', '#!/bin/bash\n#SBATCH -n 4\n', ['a', 'b']).map(taskLabel),
      ['run locally: job_MPI.slurm', 'submit to a: job_MPI.slurm', 'submit to b: job_MPI.slurm']);
    assert.deepEqual(offeredDefinitions('run.sh', '#!/bin/bash\n#SBATCH -n 4\nsrun x\n', []).map(taskLabel), ['run locally: run.sh']);
    assert.deepEqual(offeredDefinitions('build.sh', '#!/bin/bash\nmake\n', []), []);
    assert.deepEqual(offeredDefinitions('notes.txt', 'x', ['hpc']), []);
  });
});

describe('a definition becomes a request', () => {
  test('pool with workers and args, relative to the folder, with the interpreter setting', () => {
    const r = requestFromDefinition({ type: 'hpc', backend: 'pool', file: 'pool.py', workers: 2, args: ['--n', '5'] }, ctx);
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.deepEqual(r.request, {
      target: 'local',
      spec: { backend: 'pool', cwd: folder, python: '/usr/bin/python3', program: path.join(folder, 'pool.py'), args: ['--n', '5'], workers: 2 },
    });
    assert.equal(r.label, 'pool (2 workers): pool.py');
  });

  test('mpi takes the launcher settings; ranks default to 4', () => {
    const r = requestFromDefinition({ type: 'hpc', backend: 'mpi', file: 'ranks.py' }, ctx);
    assert.ok(r.ok);
    assert.deepEqual(r.request, {
      target: 'local',
      spec: { backend: 'mpi', cwd: folder, python: '/usr/bin/python3', program: path.join(folder, 'ranks.py'), ranks: 4, mpirun: 'mpiexec', rankOutput: 'tags' },
    });
    assert.equal(r.label, 'mpi (4 ranks): ranks.py');
  });

  test('tasks, sbatch-local, gpu', () => {
    const t = requestFromDefinition({ type: 'hpc', backend: 'tasks', file: 'pool.py', tasks: 10, parallel: 2 }, ctx);
    assert.ok(t.ok && t.request.target === 'local' && t.request.spec.backend === 'tasks');
    assert.equal(t.request.spec.tasks, 10);
    assert.equal(t.request.spec.parallel, 2);
    const s = requestFromDefinition({ type: 'hpc', backend: 'sbatch-local', file: 'job.slurm' }, ctx);
    assert.ok(s.ok && s.request.target === 'local' && s.request.spec.backend === 'sbatch-local');
    assert.equal(s.request.spec.script, path.join(folder, 'job.slurm'));
    const g = requestFromDefinition({ type: 'hpc', backend: 'gpu', file: 'pool.py', gpus: 1 }, { ...ctx, settings: { cudaSim: true } });
    assert.ok(g.ok && g.request.target === 'local' && g.request.spec.backend === 'gpu');
    assert.equal(g.request.spec.cudaSim, true);
    assert.equal(g.request.spec.gpus, 1);
  });

  test('slurm: a Python file becomes a generated job, a batch script is submitted as it is', () => {
    const py = requestFromDefinition({ type: 'hpc', backend: 'slurm', file: 'ranks.py', cluster: 'hpc', ranks: 8, gpus: 1, args: ['x'] }, ctx);
    assert.ok(py.ok);
    assert.deepEqual(py.request, { target: 'slurm-python', cluster: 'hpc', program: path.join(folder, 'ranks.py'), job: { ntasks: 8, gpus: 1, args: ['x'] } });
    const script = requestFromDefinition({ type: 'hpc', backend: 'slurm', file: path.join(folder, 'job.slurm'), cluster: 'hpc' }, ctx);
    assert.ok(script.ok);
    assert.deepEqual(script.request, { target: 'slurm', cluster: 'hpc', script: path.join(folder, 'job.slurm') });
    assert.equal(script.label, 'submit to hpc: job.slurm');
  });

  test('slurm: a .py file with #! and #SBATCH lines is a batch script, submitted as it is (as the Run command decides)', () => {
    const train = requestFromDefinition({ type: 'hpc', backend: 'slurm', file: 'train.py', cluster: 'hpc' }, ctx);
    assert.ok(train.ok);
    assert.deepEqual(train.request, { target: 'slurm', cluster: 'hpc', script: path.join(folder, 'train.py') });
    const ranks = requestFromDefinition({ type: 'hpc', backend: 'slurm', file: 'train.py', cluster: 'hpc', ranks: 2 }, ctx);
    assert.deepEqual(ranks, { ok: false, message: '"ranks" does not apply to a batch script: its #SBATCH lines decide.' });
  });

  const invalid: [string, Record<string, unknown>, RegExp][] = [
    ['no backend', { type: 'hpc', file: 'pool.py' }, /"backend" must be one of pool, tasks, mpi, gpu, sbatch-local, slurm\.$/],
    ['an unknown backend', { type: 'hpc', backend: 'cloud', file: 'pool.py' }, /not "cloud"/],
    ['no file', { type: 'hpc', backend: 'pool' }, /"file" must name/],
    ['a missing file', { type: 'hpc', backend: 'pool', file: 'gone.py' }, /gone\.py is not a file/],
    ['a folder', { type: 'hpc', backend: 'pool', file: '.' }, /is not a file/],
    ['ranks: 0', { type: 'hpc', backend: 'mpi', file: 'ranks.py', ranks: 0 }, /^"ranks": the number of MPI ranks must be a whole number from 1 to 4096, not 0\.$/],
    ['ranks: 2.5', { type: 'hpc', backend: 'mpi', file: 'ranks.py', ranks: 2.5 }, /not 2\.5/],
    ['ranks as text', { type: 'hpc', backend: 'mpi', file: 'ranks.py', ranks: '4' }, /not "4"/],
    ['workers for mpi', { type: 'hpc', backend: 'mpi', file: 'ranks.py', workers: 2 }, /"workers" does not apply to the mpi backend \(it is for pool\)/],
    ['tasks without a count', { type: 'hpc', backend: 'tasks', file: 'pool.py' }, /needs "tasks"/],
    ['args not strings', { type: 'hpc', backend: 'pool', file: 'pool.py', args: [1] }, /"args" must be a list of strings/],
    ['a cluster for a local backend', { type: 'hpc', backend: 'pool', file: 'pool.py', cluster: 'hpc' }, /"cluster" is for the slurm backend/],
    ['slurm without a cluster', { type: 'hpc', backend: 'slurm', file: 'job.slurm' }, /needs "cluster".*\("hpc"\)/],
    ['an unknown cluster', { type: 'hpc', backend: 'slurm', file: 'job.slurm', cluster: 'other' }, /no cluster named "other"/],
    ['ranks for a batch script on a cluster', { type: 'hpc', backend: 'slurm', file: 'job.slurm', cluster: 'hpc', ranks: 2 }, /#SBATCH lines decide/],
  ];
  for (const [title, def, message] of invalid) {
    test(`refused: ${title}`, () => {
      const r = requestFromDefinition(def, ctx);
      assert.ok(!r.ok, 'refused');
      assert.match(r.message, message);
    });
  }

  test('no cluster configured: the message says how to add one', () => {
    const r = requestFromDefinition({ type: 'hpc', backend: 'slurm', file: 'job.slurm', cluster: 'hpc' }, { ...ctx, clusters: [] });
    assert.ok(!r.ok);
    assert.match(r.message, /none is configured: HPC Jobs: Add Cluster…/);
  });
});

describe('terminal text', () => {
  const line = (fields: object) => ({ stream: 'stdout' as const, text: 'hello', time: 0, ...fields });
  test('lines end in CRLF; ranks and tasks are tagged as the CLI tags them, coloured', () => {
    assert.equal(terminalLine(line({})), 'hello\r\n');
    assert.equal(terminalLine(line({ rank: 1 })), '\x1b[33m[rank 1] \x1b[0mhello\r\n');
    assert.equal(terminalLine(line({ task: 0, stream: 'stderr' })), '\x1b[36m[task 0 stderr] \x1b[0mhello\r\n');
    assert.equal(terminalLine(line({ stream: 'stderr' })), '\x1b[31m[stderr] \x1b[0mhello\r\n');
    assert.equal(terminalLine(line({ system: true })), '\x1b[2m[hpc-jobs] hello\x1b[0m\r\n');
  });

  test('a note of several lines is tagged line by line', () => {
    assert.equal(terminalNote('a\nb', 'error'), '\x1b[31m[hpc-jobs] a\x1b[0m\r\n\x1b[31m[hpc-jobs] b\x1b[0m\r\n');
  });
});
