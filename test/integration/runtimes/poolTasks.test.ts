/**
 * The tasks and pool backends with real processes: the environment an array task sees, the
 * concurrency limit, failures per task, and the clear errors before anything starts.
 *
 * Run: node --import tsx --test test/integration/runtimes/poolTasks.test.ts
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { LaunchError, resolvePython } from '../../../runtimes/src/index';
import { collect, processesOfRun, program, TempDirs } from './runtimeHarness';

const dirs = new TempDirs();
after(() => dirs.clean());

function envOf(lines: readonly { task?: number; text: string; system?: boolean }[], task: number): Record<string, string> {
  return Object.fromEntries(lines.filter((l) => l.task === task && !l.system).map((l) => l.text.split('=') as [string, string]));
}

describe('tasks backend', () => {
  test('each task sees the environment of an array task', async () => {
    const run = await dirs.launch({ backend: 'tasks', program: program('env_dump.sh'), tasks: 4, firstTask: 10, parallel: 2 });
    const lines = collect(run);
    const result = await run.result;
    assert.equal(result.state, 'succeeded', result.summary);
    assert.deepEqual(result.exits.map((e) => e.task), [10, 11, 12, 13]);
    const t12 = envOf(lines, 12);
    assert.equal(t12.HPC_TASK_ID, '12');
    assert.equal(t12.SLURM_ARRAY_TASK_ID, '12');
    assert.equal(t12.HPC_TASK_COUNT, '4');
    assert.equal(t12.SLURM_ARRAY_TASK_COUNT, '4');
    assert.equal(t12.SLURM_ARRAY_TASK_MIN, '10');
    assert.equal(t12.SLURM_ARRAY_TASK_MAX, '13');
    assert.match(t12.SLURM_ARRAY_JOB_ID!, /^\d+$/);
    assert.equal(envOf(lines, 10).SLURM_ARRAY_JOB_ID, t12.SLURM_ARRAY_JOB_ID);
    assert.equal(t12.PYTHONUNBUFFERED, '1');
  });

  test('at most P at once', async () => {
    const probe = dirs.make();
    const run = await dirs.launch({ backend: 'tasks', program: program('concurrency_probe.sh'), tasks: 8, parallel: 3, env: { PROBE_DIR: probe } });
    const lines = collect(run);
    assert.equal((await run.result).state, 'succeeded');
    const counts = lines.filter((l) => !l.system).map((l) => Number(/^running (\d+)$/.exec(l.text)![1]));
    assert.equal(counts.length, 8);
    assert.ok(Math.max(...counts) <= 3, `saw ${Math.max(...counts)} at once`);
    assert.ok(Math.max(...counts) >= 2, 'tasks did run in parallel');
  });

  test('failing tasks are named with their codes; the exit status is the first failure', async () => {
    const run = await dirs.launch({ backend: 'tasks', program: 'sh', args: ['-c', 'exit $(( HPC_TASK_ID % 3 == 1 ? 5 : 0 ))'], tasks: 6, parallel: 2 });
    const result = await run.result;
    assert.equal(result.state, 'failed');
    assert.equal(result.summary, 'task 1 exited with 5, task 4 exited with 5; 4 others succeeded');
    assert.deepEqual(processesOfRun(run.id), []);
  });
});

describe('clear errors, nothing started', () => {
  const rows: Array<[string, Parameters<TempDirs['launch']>[0], RegExp]> = [
    ['a missing interpreter', { backend: 'pool', program: 'examples/distributed.py', python: '/nonexistent/python3' }, /Python interpreter "\/nonexistent\/python3" not found/],
    ['a file that is not there', { backend: 'pool', program: 'no-such-file.py' }, /File not found: .*no-such-file\.py/],
    ['a command that is not on PATH', { backend: 'tasks', program: 'no-such-command-xyz', tasks: 2 }, /Command not found: no-such-command-xyz/],
    ['0 workers', { backend: 'pool', program: 'examples/distributed.py', workers: 0 }, /^The number of workers must be a whole number from 1 to 4096, not 0\.$/],
    ['-3 tasks at once', { backend: 'tasks', program: 'true', tasks: 2, parallel: -3 }, /^The number of tasks at once must be a whole number from 1 to 4096, not -3\.$/],
    ['an absurd number of workers', { backend: 'pool', program: 'examples/distributed.py', workers: 100_000 }, /^The number of workers must be a whole number from 1 to 4096, not 100000\.$/],
    ['an absurd number of tasks', { backend: 'tasks', program: 'true', tasks: 10_000_000 }, /^The number of tasks must be a whole number from 1 to 100000, not 10000000\.$/],
  ];
  for (const [name, spec, message] of rows) {
    test(name, async () => {
      await assert.rejects(dirs.launch(spec), (e: unknown) => e instanceof LaunchError && message.test(e.message));
    });
  }
  test('resolvePython reports the executable and the version', async () => {
    const py = await resolvePython('/usr/bin/python3');
    assert.equal(py.executable, '/usr/bin/python3');
    assert.match(py.version, /^3\.\d+\.\d+$/);
  });
});
