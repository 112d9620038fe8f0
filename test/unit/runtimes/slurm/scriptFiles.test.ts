/**
 * Which local files a batch script takes along to the cluster (runtimes/src/slurm/scriptFiles.ts):
 * the words of its commands that name files in its folder, the modules its Python files import
 * from beside them, and never what the shell would expand, what a command writes, or what lies
 * outside the folder.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { candidatePaths, MAX_FILE_BYTES, pythonImports, scriptFiles, shellWords } from '../../../../runtimes/src/slurm/scriptFiles';

const dirs: string[] = [];
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'hpc-jobs-scriptfiles-'));
  dirs.push(root);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}

describe('shellWords', () => {
  test('quotes and escapes are removed; expansions, globs and written files are not candidates', () => {
    assert.deepEqual(shellWords(`python3 'my dir/a b.py' "x y.txt" c\\ d.txt`), ['python3', 'my dir/a b.py', 'x y.txt', 'c d.txt']);
    assert.deepEqual(shellWords('cat $HOME/x "$DATA/y" *.txt ~/z `cmd` \'$(literal).txt\''), ['cat', undefined, undefined, undefined, undefined, undefined, '$(literal).txt']);
    assert.deepEqual(shellWords('./solver < in.txt > out.txt 2>>err.log; echo done # out.py'), ['./solver', 'in.txt', undefined, '2', undefined, 'echo', 'done']);
    assert.deepEqual(shellWords('a|b&&c'), ['a', 'b', 'c']);
  });
});

describe('candidatePaths and pythonImports', () => {
  test('the seed\'s MPI batch script names its program', () => {
    const script = readFileSync(path.join(__dirname, '../../../../examples/job_MPI.slurm'), 'utf8');
    assert.ok(candidatePaths(script).includes('pythonMPI.py'), candidatePaths(script).join(' '));
    assert.ok(!candidatePaths(script).some((c) => c.startsWith('#') || c.includes('SBATCH')));
  });

  test('--opt=value gives its value; absolute paths and options alone are not candidates', () => {
    assert.deepEqual(candidatePaths('srun ./app --config=conf.yaml -n 4 /etc/hosts --flag\n'), ['srun', './app', 'conf.yaml', '4']);
  });

  test('top-level modules from import lines; relative imports are not', () => {
    assert.deepEqual(pythonImports('import os, helpers as h\nfrom util.sub import x\nfrom . import y\n  import deep.er\nx = "import nope"\n').sort(),
      ['deep', 'helpers', 'os', 'util']);
  });
});

describe('scriptFiles', () => {
  test('the program, its sibling modules (transitively) and packages, inputs and executables; not outputs, outside files or expansions', async () => {
    const root = tree({
      'job.slurm': [
        '#!/bin/bash', '#SBATCH --ntasks=2', '#SBATCH --output=out.log',
        'module load python', 'cd "$SLURM_SUBMIT_DIR"',
        'srun python3 main.py --params=input/params.txt "data set/cfg.json" > result.txt',
        './tools/run.sh ../outside.txt "$HOME/x.txt" *.py',
      ].join('\n'),
      'main.py': 'import helpers, notapkg\nimport numpy\nfrom mypkg.sub import h\nprint(helpers.f())\n',
      'mypkg/__init__.py': '',
      'mypkg/sub/__init__.py': 'from .inner import h\n',
      'mypkg/sub/inner.py': 'def h(): return 2\n',
      'mypkg/__pycache__/x.cpython-311.pyc': '',
      'mypkg/README.md': 'not Python\n',
      'notapkg/mod.py': '',
      'helpers.py': 'from util import g\ndef f(): return g()\n',
      'util.py': 'def g(): return 1\n',
      'unused.py': 'print(1)\n',
      'input/params.txt': 'n=1\n',
      'data set/cfg.json': '{}\n',
      'tools/run.sh': 'echo run\n',
      'result.txt': 'old output\n',
      'out.log': '',
    });
    const found = await scriptFiles(readFileSync(path.join(root, 'job.slurm'), 'utf8'), path.join(root, 'job.slurm'));
    assert.deepEqual(found.files.map((f) => f.rel).sort(), ['data set/cfg.json', 'helpers.py', 'input/params.txt', 'main.py',
      'mypkg/__init__.py', 'mypkg/sub/__init__.py', 'mypkg/sub/inner.py', 'tools/run.sh', 'util.py']);
    assert.deepEqual(found.skipped, []);
    assert.equal(found.files.find((f) => f.rel === 'main.py')?.abs, path.join(root, 'main.py'));
  });

  test('permission bits are kept; a link to a file outside the folder is not sent, one inside is', async () => {
    const root = tree({ 'job.sh': './run.sh key.txt inner.txt\n', 'run.sh': 'echo\n', 'real.txt': 'x\n' });
    chmodSync(path.join(root, 'run.sh'), 0o750);
    const outside = tree({ 'id_rsa': 'secret\n' });
    symlinkSync(path.join(outside, 'id_rsa'), path.join(root, 'key.txt'));
    symlinkSync('real.txt', path.join(root, 'inner.txt'));
    const found = await scriptFiles(readFileSync(path.join(root, 'job.sh'), 'utf8'), path.join(root, 'job.sh'));
    assert.deepEqual(found.files.map((f) => [f.rel, f.mode]), [['run.sh', 0o750], ['inner.txt', 0o644]]);
    assert.deepEqual(found.skipped, [{ rel: 'key.txt', reason: 'a link to a file outside the script\'s folder' }]);
  });

  test('a big file is left behind and said why; a Python job takes its sibling modules', async () => {
    const root = tree({ 'job.sh': 'python3 prog.py big.h5\n', 'prog.py': 'import helpers\n', 'helpers.py': '', 'big.h5': '' });
    truncateSync(path.join(root, 'big.h5'), MAX_FILE_BYTES + 4 * 1024 * 1024);
    const found = await scriptFiles(readFileSync(path.join(root, 'job.sh'), 'utf8'), path.join(root, 'job.sh'));
    assert.deepEqual(found.files.map((f) => f.rel), ['prog.py', 'helpers.py']);
    assert.deepEqual(found.skipped, [{ rel: 'big.h5', reason: '20 MB: over 16 MB' }]);
    // submitPython: the program goes up anyway; only what it imports from beside it is found.
    const py = await scriptFiles('', path.join(root, 'prog.py'), [path.join(root, 'prog.py')]);
    assert.deepEqual(py.files.map((f) => f.rel), ['helpers.py']);
  });
});
