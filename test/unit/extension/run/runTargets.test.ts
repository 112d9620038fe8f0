import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { clusterStatusWords } from '../../../../extension/src/clusters/clusterStatus';
import { parseMpiVersion } from '../../../../runtimes/src/mpiVersion';
import {
  directiveBlockLine, fileKindOf, gpuSummary, mpiDisplayName, mpiMissingReason, targetChoices,
  type ChoiceOptions, type Detected, type TargetChoice,
} from '../../../../extension/src/run/runTargets';

const options: ChoiceOptions = { useSimulator: 'ask', tasks: { count: 10, parallel: 2 } };
const found: Detected = {
  cores: 8,
  mpi: { state: 'found', value: { name: 'Open MPI 4.1.4', path: '/usr/bin/mpirun' } },
  gpus: { state: 'found', value: [{ index: 0, name: 'NVIDIA A100' }, { index: 1, name: 'NVIDIA A100' }] },
  clusters: [{ name: 'hpc', status: 'connected' }, { name: 'lab', status: 'notConnected' }],
};
const shown = (choices: TargetChoice[]) => choices.map((c) => `${c.label}${c.description ? ` — ${c.description}` : ''}${c.disabled ? ' (disabled)' : ''}`);

describe('fileKindOf: which targets a file gets', () => {
  const rows: Array<[string, string, string]> = [
    ['pi.py', 'print(1)\n', 'python'],
    ['job.slurm', 'echo hi\n', 'batch'],
    ['job.SBATCH', '', 'batch'],
    ['run.sh', '#!/bin/bash\n#SBATCH --ntasks=2\nsrun hostname\n', 'batch'],
    // A directive sbatch would not read is still meant as one (the language server serves it too).
    ['late.sh', '#!/bin/bash\nmodule load x\n#SBATCH --ntasks=2\n', 'batch'],
    ['work.sh', '#!/bin/bash\necho "task $SLURM_ARRAY_TASK_ID"\n', 'shell'],
    ['notes.txt', '#SBATCH --ntasks=2\n', 'other'],
  ];
  for (const [file, text, kind] of rows) test(`${file} → ${kind}`, () => assert.equal(fileKindOf(file, text), kind));
});

describe('directiveBlockLine: where the CodeLens goes', () => {
  test('the first #SBATCH line', () => assert.equal(directiveBlockLine('#!/bin/bash\n# comment\n#SBATCH -n 2\n#SBATCH -t 5\necho\n'), 2));
  test('no directive: none', () => assert.equal(directiveBlockLine('#!/bin/bash\necho hi\n'), undefined));
});

describe('targetChoices: the pick, from what was detected', () => {
  test('a Python file: pool with the cores, tasks, MPI by name and version, GPUs, a terminal, every cluster', () => {
    assert.deepEqual(shown(targetChoices('python', found, options)), [
      'Worker pool — 8 cores',
      'Task array — 10 copies, 2 at once',
      'MPI — Open MPI 4.1.4',
      'GPU — 2 × NVIDIA A100',
      'Terminal — one process you can type into',
      'Slurm: hpc — connected',
      'Slurm: lab — not connected',
    ]);
    assert.deepEqual(targetChoices('python', found, options).at(-1)!.target, { kind: 'slurm-python', cluster: 'lab' });
  });

  test('no MPI: shown, disabled, with the reason and the fix', () => {
    const d: Detected = { ...found, mpi: { state: 'missing', reason: mpiMissingReason(undefined) } };
    const mpi = targetChoices('python', d, options).find((c) => c.label === 'MPI')!;
    assert.equal(mpi.disabled, true);
    assert.equal(mpi.description, 'mpirun not found — install Open MPI or set hpcJobs.mpi.launcher');
    assert.match(mpiMissingReason('/opt/mpi/bin/mpirun'), /"\/opt\/mpi\/bin\/mpirun" not found — check hpcJobs\.mpi\.launcher/);
  });

  test('no GPU: the simulator is offered unless the setting says never', () => {
    const d: Detected = { ...found, gpus: { state: 'missing', reason: 'nvidia-smi not found on PATH' } };
    const gpu = (o: ChoiceOptions) => targetChoices('python', d, o).find((c) => c.label === 'GPU')!;
    assert.equal(gpu(options).description, 'none found (simulator available)');
    assert.equal(gpu(options).disabled, undefined);
    assert.equal(gpu({ ...options, useSimulator: 'never' }).disabled, true);
  });

  test('slow detections show "detecting…" and stay choosable (the answer is awaited on choice)', () => {
    const d: Detected = { ...found, mpi: { state: 'pending' }, gpus: { state: 'pending' } };
    const c = targetChoices('python', d, options);
    assert.deepEqual(shown(c).slice(2, 4), ['MPI — detecting…', 'GPU — detecting…']);
    assert.ok(c.every((x) => !x.disabled));
  });

  test('a batch script: run here or submit to each cluster', () => {
    const c = targetChoices('batch', found, options);
    assert.deepEqual(shown(c), ['Run batch script locally — here, as Slurm would run it', 'Slurm: hpc — connected', 'Slurm: lab — not connected']);
    assert.deepEqual(c.map((x) => x.target.kind), ['sbatch-local', 'slurm-script', 'slurm-script']);
  });

  test('no cluster configured: one disabled row that says how to add one', () => {
    const c = targetChoices('batch', { ...found, clusters: [] }, options);
    assert.equal(c.length, 2);
    assert.equal(c[1]!.disabled, true);
    assert.match(c[1]!.description!, /Add Cluster/);
  });

  test('a plain shell script: a task array or a terminal; anything else: nothing', () => {
    assert.deepEqual(shown(targetChoices('shell', found, { ...options, tasks: { count: 1, parallel: 1 } })), [
      'Task array — 1 copy, 1 at once',
      'Terminal — one process you can type into',
    ]);
    assert.deepEqual(targetChoices('other', found, options), []);
  });

  test('the terminal: always choosable, with the terminal codicon; never for a batch script', () => {
    const nothing: Detected = { cores: 1, mpi: { state: 'missing', reason: 'x' }, gpus: { state: 'missing', reason: 'y' }, clusters: [] };
    for (const kind of ['python', 'shell'] as const) {
      const terminal = targetChoices(kind, nothing, { ...options, useSimulator: 'never' }).find((c) => c.target.kind === 'terminal');
      assert.ok(terminal, kind);
      assert.equal(terminal.icon, 'terminal');
      assert.equal(terminal.disabled, undefined);
      assert.match(terminal.detail ?? '', /reads input/);
    }
    assert.ok(!targetChoices('batch', found, options).some((c) => c.target.kind === 'terminal'));
  });

  test('each cluster state in the words the Jobs view uses', () => {
    const states = ['notConnected', 'connecting', 'connected', 'reconnecting', 'closed', 'failed'] as const;
    const c = targetChoices('batch', { ...found, clusters: states.map((status) => ({ name: status, status })) }, options);
    assert.deepEqual(c.slice(1).map((x) => x.description), states.map(clusterStatusWords));
    assert.equal(clusterStatusWords('closed'), 'disconnected');
  });

  test('a failed cluster says why', () => {
    const c = targetChoices('batch', { ...found, clusters: [{ name: 'hpc', status: 'failed', error: 'connection refused' }] }, options);
    assert.equal(c[1]!.description, 'failed: connection refused');
  });
});

describe('names of what was found', () => {
  test('MPI launchers', () => {
    assert.equal(mpiDisplayName({ path: '/usr/bin/mpirun', mpi: parseMpiVersion('mpirun (Open MPI) 4.1.4') }), 'Open MPI 4.1.4');
    assert.equal(mpiDisplayName({ path: '/usr/bin/mpiexec', mpi: parseMpiVersion('HYDRA build details:\n    Version: 4.0.2\n') }), 'MPICH 4.0.2');
    assert.equal(mpiDisplayName({ path: '/opt/x/mpiexec', mpi: parseMpiVersion('who knows') }), 'mpiexec');
  });
  test('GPUs', () => {
    assert.equal(gpuSummary([{ index: 0, name: 'NVIDIA A100' }]), '1 × NVIDIA A100');
    assert.equal(gpuSummary([{ index: 0, name: 'A' }, { index: 1, name: 'B' }]), '2 GPUs: A, B');
  });
});
