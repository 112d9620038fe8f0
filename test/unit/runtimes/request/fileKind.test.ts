/**
 * One classification of files for every front end, proven on their real entry points over one
 * corpus (every script and program in the repository's examples and fixtures, and the cases the
 * copies used to decide differently): what `hpc-jobs run FILE` and `hpc-jobs submit FILE` start
 * (their argument readers, as the CLI calls them), the targets the editor's Run in Parallel pick
 * offers (runTargets), and the tasks tasks.json offers and resolves.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { readRunArgs } from '../../../../cli/src/runCommand';
import { readSubmitArgs } from '../../../../cli/src/submitCommand';
import { fileKindOf, targetChoices, type Detected } from '../../../../extension/src/run/runTargets';
import { offeredDefinitions, requestFromDefinition } from '../../../../extension/src/tasks/taskDefinition';
import { fileKind } from '../../../../runtimes/src/request/fileKind';

const ROOT = path.resolve(__dirname, '../../../..');
const FOLDERS = ['examples', 'test/fixtures/rules', 'test/fixtures/sbatch-corpus', 'test/fixtures/real-scripts', 'test/fixtures/programs', 'test/cluster/jobs', 'test/vscode/workspace'];

/** The files the copies used to disagree on, and their neighbours. */
const CASES: Record<string, string> = {
  'train.py': '#!/usr/bin/env python3\n#SBATCH --ntasks=2\nprint(1)\n',
  'noshebang.sh': '#SBATCH --ntasks=2\nsrun hostname\n',
  'nearmiss.sh': '#!/bin/bash\n# SBATCH --ntasks=2\n#SBATCH--time=5\nsrun hostname\n',
  'prose.py': '#!/usr/bin/env python3\n# SBATCH settings are in job.slurm\nprint(1)\n',
  'noshebang.py': '#SBATCH --ntasks=2\nprint(1)\n',
  'ranks.py': 'from mpi4py import MPI\nprint(MPI.COMM_WORLD.rank)\n',
  'job': '#!/bin/bash\n#SBATCH -n 2\nsrun x\n',
  'plain.sh': '#!/bin/bash\necho hi\n',
  'empty.slurm': '#!/bin/bash\necho no directives\n',
  'UPPER.PY': 'print(1)\n',
  'notes.txt': '#SBATCH --ntasks=2\n',
};
const cases = mkdtempSync(path.join(os.tmpdir(), 'hpc-jobs-kinds-'));
after(() => rmSync(cases, { recursive: true, force: true }));
for (const [name, text] of Object.entries(CASES)) writeFileSync(path.join(cases, name), text);

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? files(p) : /\.(json|md|txt|csv)$/.test(n) ? [] : [p];
  });
}

const DETECTED: Detected = {
  cores: 4,
  mpi: { state: 'found', value: { name: 'Open MPI 4.1.4', path: '/usr/bin/mpirun' } },
  gpus: { state: 'found', value: [{ index: 0, name: 'GPU' }] },
  clusters: [{ name: 'hpc', status: 'connected' }],
};

/** What each front end makes of one file. */
function verdicts(file: string) {
  const text = readFileSync(file, 'utf8');
  const targets = targetChoices(fileKindOf(file, text), DETECTED, { useSimulator: 'ask', tasks: { count: 4, parallel: 2 } }).map((c) => c.target.kind);
  const run = readRunArgs([file]);
  assert.ok('request' in run, `hpc-jobs run ${file}: ${JSON.stringify(run)}`);
  const submit = readSubmitArgs(['--cluster', 'hpc', file]);
  assert.ok('request' in submit, `hpc-jobs submit ${file}`);
  const relative = path.relative(ROOT, file);
  const offered = offeredDefinitions(relative, text, ['hpc']);
  const slurmTask = offered.find((d) => d.backend === 'slurm');
  const resolved = slurmTask && requestFromDefinition({ ...slurmTask, file }, { folder: ROOT, clusters: ['hpc'], settings: {} });
  return {
    kind: fileKindOf(file, text),
    editor: targets,
    run: run.request.spec.backend,
    submit: submit.request.target,
    tasks: offered.map((d) => d.backend),
    taskSubmit: resolved?.ok ? resolved.request.target : undefined,
  };
}

describe('fileKind: one classification for the editor, tasks.json and the CLI', () => {
  const corpus = [...FOLDERS.flatMap((f) => files(path.join(ROOT, f))), ...Object.keys(CASES).map((n) => path.join(cases, n))];

  test('over the corpus, the CLI runs and submits each file as the editor and tasks.json offer it', () => {
    assert.ok(corpus.length > 100, `${corpus.length} files`);
    const disagree: string[] = [];
    for (const f of corpus) {
      const v = verdicts(f);
      const batch = v.editor.includes('sbatch-local');
      const problems = [
        // A batch script runs here as Slurm would, everywhere; nothing else does.
        (v.run === 'sbatch-local') !== batch && 'run',
        v.tasks.includes('sbatch-local') !== batch && 'tasks',
        // A Python program or batch script: the CLI's default is a target the pick offers.
        (v.kind === 'python' || v.kind === 'batch') && !(v.editor as string[]).includes(v.run) && 'run target',
        // Where the editor offers a cluster, the CLI and tasks.json submit the file the same way.
        v.editor.includes('slurm-script') && (v.submit !== 'slurm' || v.taskSubmit !== 'slurm') && 'submit',
        v.editor.includes('slurm-python') && (v.submit !== 'slurm-python' || v.taskSubmit !== 'slurm-python') && 'submit',
      ].filter(Boolean);
      if (problems.length) disagree.push(`${path.relative(ROOT, f)}: ${problems.join(', ')} ${JSON.stringify(v)}`);
    }
    assert.deepEqual(disagree, []);
  });

  test('the cases the copies used to decide differently, through every front end', () => {
    const at = (name: string) => verdicts(path.join(cases, name));
    // sbatch runs a Python script with a shebang and reads its directives.
    assert.deepEqual(at('train.py'), {
      kind: 'batch', editor: ['sbatch-local', 'slurm-script'], run: 'sbatch-local', submit: 'slurm', tasks: ['sbatch-local', 'slurm'], taskSubmit: 'slurm',
    });
    // Meant as a batch script (the linter says the shebang is missing).
    assert.deepEqual(at('noshebang.sh'), {
      kind: 'batch', editor: ['sbatch-local', 'slurm-script'], run: 'sbatch-local', submit: 'slurm', tasks: ['sbatch-local', 'slurm'], taskSubmit: 'slurm',
    });
    // Without a shebang, sbatch would refuse it: a Python program, run through a generated script.
    assert.deepEqual(at('noshebang.py'), {
      kind: 'python', editor: ['pool', 'tasks', 'mpi', 'gpu', 'terminal', 'slurm-python'], run: 'pool', submit: 'slurm-python', tasks: ['pool', 'slurm'], taskSubmit: 'slurm-python',
    });
    assert.equal(at('prose.py').kind, 'python', 'prose in a Python comment is not a directive');
    assert.equal(at('ranks.py').run, 'mpi');
    assert.equal(at('nearmiss.sh').kind, 'batch', 'a shell script\'s near-miss directives are meant as directives');
    assert.equal(at('job').run, 'sbatch-local', 'no extension, but a shebang and directives');
    assert.deepEqual([at('plain.sh').kind, at('plain.sh').editor], ['shell', ['tasks', 'terminal']]);
    assert.equal(at('empty.slurm').run, 'sbatch-local');
    assert.equal(at('UPPER.PY').submit, 'slurm-python');
  });

  test('fileKind itself', () => {
    assert.equal(fileKind('job', '#!/bin/bash\n#SBATCH -n 2\nsrun x\n'), 'batch');
    assert.equal(fileKind('work.sh', '#!/bin/bash\necho hi\n'), 'shell');
    assert.equal(fileKind('notes.txt', '#SBATCH --ntasks=2\n'), 'other');
  });
});
