/**
 * The two backends for work on this machine without MPI:
 *  - `pool`: one Python program that starts its own multiprocessing.Pool, told how big to make
 *    it through HPC_JOBS_WORKERS (and SLURM_CPUS_PER_TASK, which pool code written for Slurm reads);
 *  - `tasks`: the same program once per task id, at most P at once, with the environment an
 *    array job's task would see, so code written for `sbatch --array` runs unchanged.
 */
import * as path from 'node:path';
import { LocalRun } from './localRun';
import type { UnitPlan } from './runPlan';
import { availableCores, baseEnv, checkCount, nextLocalJobId, resolveProgram } from './programCommand';
import { defaultLogDir, newRunId } from './runLog';
import type { PoolSpec, TasksSpec } from './runSpec';

export async function launchPool(spec: PoolSpec): Promise<LocalRun> {
  const cwd = path.resolve(spec.cwd ?? process.cwd());
  const workers = checkCount(spec.workers, 'workers') ?? availableCores();
  const prog = await resolveProgram(spec.program, spec.args ?? [], cwd, spec.python);
  const env = { ...baseEnv(spec.env), HPC_JOBS_WORKERS: String(workers), SLURM_CPUS_PER_TASK: String(workers) };
  const tty = spec.tty === true ? { cols: 120, rows: 40 } : spec.tty || undefined;
  const notes = [`${prog.python ? `Python ${prog.python.version} (${prog.python.executable})` : prog.command}: ` +
    `HPC_JOBS_WORKERS=${workers}${workers > availableCores() ? ` (more than the ${availableCores()} cores here)` : ''}`];
  const unit: UnitPlan = {
    command: { command: prog.command, args: prog.args, cwd, env, ...(tty ? { tty } : {}) },
    ...(spec.timeLimitMs !== undefined ? { timeLimitMs: spec.timeLimitMs } : {}),
  };
  return new LocalRun({
    backend: 'pool', spec, units: [unit], maxParallel: 1, notes,
    ...(spec.logDir ? { logDir: spec.logDir } : {}),
    ...(spec.killGraceMs !== undefined ? { killGraceMs: spec.killGraceMs } : {}),
  }).start();
}

export async function launchTasks(spec: TasksSpec): Promise<LocalRun> {
  const cwd = path.resolve(spec.cwd ?? process.cwd());
  const tasks = checkCount(spec.tasks, 'tasks')!;
  const parallel = checkCount(spec.parallel, 'parallel') ?? availableCores();
  const first = spec.firstTask ?? 0;
  if (!Number.isInteger(first) || first < 0) throw new RangeError(`firstTask must be a whole number >= 0, not ${first}`);
  const prog = await resolveProgram(spec.program, spec.args ?? [], cwd, spec.python);
  const logDir = spec.logDir ?? defaultLogDir();
  const runId = newRunId('tasks');
  const jobId = nextLocalJobId(logDir);
  const common = {
    ...baseEnv(spec.env),
    SLURM_ARRAY_JOB_ID: String(jobId),
    SLURM_ARRAY_TASK_COUNT: String(tasks),
    SLURM_ARRAY_TASK_MIN: String(first),
    SLURM_ARRAY_TASK_MAX: String(first + tasks - 1),
    SLURM_ARRAY_TASK_STEP: '1',
    HPC_TASK_COUNT: String(tasks),
  };
  const command = { command: prog.command, args: prog.args, cwd, env: common };
  const units: UnitPlan[] = [];
  for (let i = 0; i < tasks; i++) {
    const id = String(first + i);
    units.push({
      task: first + i,
      command,
      env: { SLURM_ARRAY_TASK_ID: id, HPC_TASK_ID: id },
      ...(spec.timeLimitMs !== undefined ? { timeLimitMs: spec.timeLimitMs } : {}),
    });
  }
  return new LocalRun({
    backend: 'tasks', spec, units, maxParallel: Math.min(parallel, tasks), logDir, runId,
    notes: [`${tasks} task${tasks === 1 ? '' : 's'} (ids ${first}–${first + tasks - 1}), at most ${Math.min(parallel, tasks)} at once`],
    ...(spec.killGraceMs !== undefined ? { killGraceMs: spec.killGraceMs } : {}),
  }).start();
}
