/**
 * A Slurm job's units (the job, or its array tasks) as Slurm's records describe them: each
 * record folded into the task it is about, and what the tasks together say. Plain data.
 */
import type { RunState } from '../runtime';
import { expandArrayIndexes, type JobExit, type JobRecord } from './jobRecord';
import { outputPathsOf, type OutputPaths } from './outputPaths';
import { runStateOf } from './slurmState';

/** One unit: the whole job, or one array task. */
export interface SlurmTask {
  /** Array index; undefined for a job that is not an array. */
  readonly task?: number;
  /** The task's own job id (array tasks get their own once they start). */
  readonly jobId: string;
  readonly slurmState: string;
  readonly state: RunState;
  readonly reason?: string;
  readonly exit?: JobExit;
  readonly nodes?: string;
  readonly startTime?: number;
  readonly endTime?: number;
  /** While pending: when the scheduler expects it to start. */
  readonly expectedStart?: number;
  readonly paths?: OutputPaths;
}

/** Slurm's word for a plain job; counts per state for an array ("3 RUNNING, 997 PENDING"). */
export function describeTasks(tasks: readonly SlurmTask[], isArray: boolean): { state: string; reason?: string } {
  if (tasks.length === 0) return { state: 'SUBMITTED' };
  if (!isArray) return { state: tasks[0]!.slurmState, ...(tasks[0]!.reason ? { reason: tasks[0]!.reason } : {}) };
  const counts = new Map<string, number>();
  for (const t of tasks) counts.set(t.slurmState, (counts.get(t.slurmState) ?? 0) + 1);
  const state = [...counts].map(([s, n]) => `${n} ${s}`).join(', ');
  const pendingReason = tasks.find((t) => t.state === 'queued' && t.reason)?.reason;
  return { state, ...(pendingReason ? { reason: pendingReason } : {}) };
}

/** Folds one record into the task it is about (a pending array record: each index it lists). */
export function absorbRecord(tasksByKey: Map<string, SlurmTask>, r: JobRecord): void {
  const state = runStateOf(r.state);
  const paths = outputPathsOf(r);
  if (r.pendingTasks) {
    for (const i of expandArrayIndexes(r.pendingTasks)) {
      const prev = tasksByKey.get(String(i));
      if (prev && prev.state !== 'queued') continue;
      tasksByKey.set(String(i), {
        task: i, jobId: r.jobId, slurmState: r.state, state: state ?? 'queued', ...(r.reason ? { reason: r.reason } : {}),
        ...(r.expectedStart ? { expectedStart: r.expectedStart } : {}),
        ...(r.exit && state && state !== 'queued' && state !== 'running' ? { exit: r.exit } : {}),
      });
    }
    return;
  }
  const key = r.arrayTaskId !== undefined ? String(r.arrayTaskId) : 'job';
  const prev = tasksByKey.get(key);
  const t: SlurmTask = {
    ...(r.arrayTaskId !== undefined ? { task: r.arrayTaskId } : {}),
    jobId: r.jobId,
    slurmState: r.state,
    state: state ?? prev?.state ?? 'queued',
    ...(r.reason ? { reason: r.reason } : {}),
    ...(r.exit ?? prev?.exit ? { exit: (r.exit ?? prev?.exit)! } : {}),
    ...(r.nodes ?? prev?.nodes ? { nodes: (r.nodes ?? prev?.nodes)! } : {}),
    ...(r.startTime ?? prev?.startTime ? { startTime: (r.startTime ?? prev?.startTime)! } : {}),
    ...(r.endTime ? { endTime: r.endTime } : {}),
    ...(r.expectedStart ? { expectedStart: r.expectedStart } : {}),
    ...(paths ?? prev?.paths ? { paths: (paths ?? prev?.paths)! } : {}),
  };
  tasksByKey.set(key, t);
}

/**
 * A pending array task that `scancel ID_N` removed is not split off as a CANCELLED record:
 * it just leaves the pending index list, and squeue never lists it again. A queued unit that
 * squeue no longer mentions while it still lists the job is therefore a task cancelled
 * before it started.
 */
export function dropVanished(tasksByKey: Map<string, SlurmTask>, records: readonly JobRecord[]): void {
  const listed = new Set<string>();
  for (const r of records) {
    if (r.pendingTasks) for (const i of expandArrayIndexes(r.pendingTasks)) listed.add(String(i));
    else listed.add(r.arrayTaskId !== undefined ? String(r.arrayTaskId) : 'job');
  }
  for (const [k, t] of tasksByKey) {
    if (t.state === 'queued' && !listed.has(k)) {
      tasksByKey.set(k, { ...t, slurmState: 'CANCELLED', state: 'cancelled', reason: 'removed from the queue before it started' });
    }
  }
}

/** How the whole job ended, once every task has: a cancel asked for wins, then failure, time limit, cancel. */
export function finalState(tasks: readonly SlurmTask[], cancelRequested: boolean): RunState {
  if (cancelRequested && tasks.some((t) => t.state === 'cancelled')) return 'cancelled';
  if (tasks.some((t) => t.state === 'failed')) return 'failed';
  if (tasks.some((t) => t.state === 'timedOut')) return 'timedOut';
  if (tasks.some((t) => t.state === 'cancelled')) return 'cancelled';
  return 'succeeded';
}
