import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultBackend } from '../../../cli/src/runCommand';
import { importsMpi4py } from '../../../runtimes/src/mpiLauncher';
import { shebangCommand } from '../../../runtimes/src/sbatchLocal';

describe('defaultBackend: what a file asks for', () => {
  const rows: Array<[string, string, string]> = [
    ['job.slurm', '#!/bin/bash\necho', 'sbatch-local'],
    ['job.sbatch', '', 'sbatch-local'],
    ['run.sh', '#!/bin/bash\n#SBATCH --ntasks=2\nsrun hostname\n', 'sbatch-local'],
    ['run.sh', '#!/bin/bash\necho hi\n', 'pool'],
    ['pi.py', 'from mpi4py import MPI\n', 'mpi'],
    ['pi.py', 'import os, mpi4py\n', 'mpi'],
    ['pi.py', '# uses mpi4py later\nimport multiprocessing\n', 'pool'],
  ];
  for (const [file, text, want] of rows) test(`${file}: ${JSON.stringify(text.slice(0, 30))}`, () => assert.equal(defaultBackend(file, text), want));
  test('importsMpi4py ignores mentions that are not imports', () => {
    assert.equal(importsMpi4py('print("install mpi4py")\n'), false);
    assert.equal(importsMpi4py('    from mpi4py.futures import MPIPoolExecutor\n'), true);
  });
});

describe('shebangCommand: Linux passes one argument after the interpreter', () => {
  const rows: Array<[string, string[] | undefined]> = [
    ['#!/bin/bash', ['/bin/bash']],
    ['#! /bin/bash -l', ['/bin/bash', '-l']],
    ['#!/usr/bin/env python3 -u', ['/usr/bin/env', 'python3 -u']],
    ['#!', undefined],
    ['echo', undefined],
  ];
  for (const [line, want] of rows) test(line, () => assert.deepEqual(shebangCommand(line), want));
});
