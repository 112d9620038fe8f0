/**
 * One classification of files for every front end: the editor's Run in Parallel and tasks.json
 * (fileKindOf) and the CLI's default backend agree on which files are batch scripts, over every
 * script and program in the repository's examples and fixtures.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { defaultBackend } from '../../../cli/src/runCommand';
import { fileKindOf } from '../../../extension/src/run/runTargets';
import { fileKind } from '../../../runtimes/src/request/fileKind';

const ROOT = path.resolve(__dirname, '../../..');
const FOLDERS = ['examples', 'test/fixtures/rules', 'test/fixtures/sbatch-corpus', 'test/fixtures/real-scripts', 'test/fixtures/programs', 'test/cluster/jobs', 'test/vscode/workspace'];

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? files(p) : /\.(json|md|txt|csv)$/.test(n) ? [] : [p];
  });
}

describe('fileKind: one classification for the editor, tasks.json and the CLI', () => {
  const corpus = FOLDERS.flatMap((f) => files(path.join(ROOT, f)));

  test('the editor and the CLI agree on every file of the corpus', () => {
    assert.ok(corpus.length > 100, `${corpus.length} files`);
    const disagree = corpus.filter((f) => {
      const text = readFileSync(f, 'utf8');
      return (fileKindOf(path.basename(f), text) === 'batch') !== (defaultBackend(path.basename(f), text) === 'sbatch-local');
    });
    assert.deepEqual(disagree.map((f) => path.relative(ROOT, f)), []);
  });

  test('the cases the two copies used to decide differently', () => {
    const py = '#!/usr/bin/env python3\n#SBATCH --ntasks=2\nprint(1)\n';
    assert.equal(fileKind('train.py', py), 'batch', 'sbatch runs a Python script with a shebang and reads its directives');
    assert.equal(defaultBackend('train.py', py), 'sbatch-local');
    const noShebang = '#SBATCH --ntasks=2\nsrun hostname\n';
    assert.equal(fileKind('job.sh', noShebang), 'batch', 'meant as a batch script (the linter says the shebang is missing)');
    assert.equal(defaultBackend('job.sh', noShebang), 'sbatch-local');
    assert.equal(fileKind('job', '#!/bin/bash\n#SBATCH -n 2\nsrun x\n'), 'batch', 'no extension, but a shebang and directives');
  });

  test('prose in a Python file is not a directive; a plain program stays a program', () => {
    assert.equal(fileKind('pi.py', '#!/usr/bin/env python3\n# SBATCH settings are in job.slurm\nprint(1)\n'), 'python');
    assert.equal(fileKind('pi.py', 'from mpi4py import MPI\n'), 'python');
    assert.equal(defaultBackend('pi.py', 'from mpi4py import MPI\n'), 'mpi');
    assert.equal(fileKind('work.sh', '#!/bin/bash\necho hi\n'), 'shell');
    assert.equal(fileKind('notes.txt', '#SBATCH --ntasks=2\n'), 'other');
  });
});
