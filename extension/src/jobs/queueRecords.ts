/**
 * A queue listing (`squeue`, one call per cluster) turned into job entries: the user's jobs
 * that this window did not submit, and other users' jobs for the "all users" view. Array jobs
 * come as several records (tasks that started, plus one for the tasks still pending together);
 * they are folded into one entry with a unit per task, the way SlurmJob folds them.
 */
import type { RunState, UnitExit } from '../../../runtimes/src/runtime';
import { expandArrayIndexes, masterId, runStateOf, slurmStateWord, slurmSummary, type JobRecord, type SlurmTask } from '../../../runtimes/src/slurm/index';
import { isFinal, slurmKey, type JobEntry, type JobUnit } from './jobEntry';

/** What a listing says about one submission: the fields of its entry. */
export type QueueFields = Pick<JobEntry, 'state' | 'slurmState'> & Partial<Pick<JobEntry,
  'reason' | 'units' | 'startedAt' | 'endedAt' | 'user' | 'partition' | 'nodes' | 'timeLimitMs' | 'summary' | 'exits' | 'expectedStart'>> & {
  readonly name?: string;
  readonly submittedAt?: number;
};

/** Records grouped by the id of their submission (an array's master id), in listing order. */
export function groupByJob(records: readonly JobRecord[]): Map<string, JobRecord[]> {
  const out = new Map<string, JobRecord[]>();
  for (const r of records) {
    const id = masterId(r);
    const list = out.get(id);
    if (list) list.push(r); else out.set(id, [r]);
  }
  return out;
}

const FINAL_ORDER: readonly RunState[] = ['failed', 'timedOut', 'cancelled'];

/** One submission's records folded into entry fields. */
export function fieldsFromRecords(id: string, records: readonly JobRecord[]): QueueFields {
  const isArray = records.some((r) => r.arrayJobId !== undefined);
  const tasks: SlurmTask[] = [];
  for (const r of records) {
    const state = runStateOf(r.state) ?? 'queued';
    const common = {
      jobId: r.jobId, slurmState: slurmStateWord(r.state), state,
      ...(r.reason ? { reason: r.reason } : {}),
      ...(r.exit && isFinal(state) ? { exit: r.exit } : {}),
    };
    if (r.pendingTasks) {
      for (const i of expandArrayIndexes(r.pendingTasks)) tasks.push({ task: i, ...common });
      continue;
    }
    tasks.push({
      ...(r.arrayTaskId !== undefined ? { task: r.arrayTaskId } : {}),
      ...common,
      ...(r.nodes ? { nodes: r.nodes } : {}),
      // A pending job's start_time is Slurm's estimate, not a start.
      ...(r.startTime && state !== 'queued' ? { startTime: r.startTime } : {}),
      ...(r.endTime ? { endTime: r.endTime } : {}),
    });
  }
  tasks.sort((a, b) => (a.task ?? 0) - (b.task ?? 0));
  const allFinal = tasks.length > 0 && tasks.every((t) => isFinal(t.state));
  const state: RunState = allFinal
    ? FINAL_ORDER.find((s) => tasks.some((t) => t.state === s)) ?? 'succeeded'
    : tasks.some((t) => t.state === 'running' || (t.state !== 'queued' && t.startTime)) ? 'running' : 'queued';
  const first = records[0];
  const starts = tasks.map((t) => t.startTime).filter((t): t is number => t !== undefined);
  const ends = tasks.map((t) => t.endTime).filter((t): t is number => t !== undefined);
  const submits = records.map((r) => r.submitTime).filter((t): t is number => t !== undefined);
  const limit = records.find((r) => r.timeLimitMinutes)?.timeLimitMinutes;
  const expected = earliest(records.filter((r) => r.state === 'PENDING').map((r) => r.expectedStart));
  const reason = isArray ? tasks.find((t) => t.state === 'queued' && t.reason)?.reason : tasks[0]?.reason;
  const units: JobUnit[] = isArray ? tasks.map((t) => ({
    index: t.task!, kind: 'task', state: t.state, slurmState: t.slurmState, jobId: t.jobId,
    ...(t.reason ? { reason: t.reason } : {}),
    ...(t.exit ? { exit: { task: t.task!, code: t.exit.code, ...(t.exit.signal ? { signal: t.exit.signal } : {}) } } : {}),
  })) : [];
  const exits: UnitExit[] = allFinal ? tasks.filter((t) => t.exit).map((t) => ({
    ...(t.task !== undefined ? { task: t.task } : {}), code: t.exit!.code,
    ...(t.exit!.signal ? { signal: t.exit!.signal } : {}), ...(t.state === 'timedOut' ? { timedOut: true } : {}),
  })) : [];
  return {
    state,
    slurmState: isArray ? arrayStateWords(tasks) : tasks[0]?.slurmState ?? 'UNKNOWN',
    ...(reason ? { reason } : {}),
    ...(units.length ? { units } : {}),
    ...(starts.length ? { startedAt: Math.min(...starts) } : {}),
    ...(allFinal && ends.length ? { endedAt: Math.max(...ends) } : {}),
    ...(first?.name ? { name: first.name } : {}),
    ...(first?.user ? { user: first.user } : {}),
    ...(first?.partition ? { partition: first.partition } : {}),
    ...(!isArray && first?.nodes ? { nodes: first.nodes } : {}),
    ...(limit ? { timeLimitMs: limit * 60_000 } : {}),
    ...(state === 'queued' && expected ? { expectedStart: expected } : {}),
    ...(submits.length ? { submittedAt: Math.min(...submits) } : {}),
    ...(allFinal ? { summary: slurmSummary(id, tasks, isArray), exits } : {}),
  };
}

/** "3 RUNNING, 997 PENDING", as SlurmJob words an array. */
function arrayStateWords(tasks: readonly SlurmTask[]): string {
  const counts = new Map<string, number>();
  for (const t of tasks) counts.set(t.slurmState, (counts.get(t.slurmState) ?? 0) + 1);
  return [...counts].map(([s, n]) => `${n} ${s}`).join(', ');
}

/** A new entry for a job seen in the queue (not submitted from this window: no request, no file). */
export function entryFromQueue(cluster: string, id: string, fields: QueueFields, now: number): JobEntry {
  const { name, submittedAt, ...rest } = fields;
  return {
    key: slurmKey(cluster, id), backend: 'slurm', cluster, id,
    name: name ?? `job ${id}`, submittedAt: submittedAt ?? now, ...rest,
  };
}

/** The fields that follow the job's progress: not its name or its place in the list (submittedAt). */
export function progressFields(fields: QueueFields): Partial<JobEntry> {
  return Object.fromEntries(Object.entries(fields).filter(([k]) => k !== 'name' && k !== 'submittedAt')) as Partial<JobEntry>;
}

/** True when applying `fields` would change the entry (so unchanged jobs fire no tree event). */
export function changes(entry: JobEntry, fields: Partial<JobEntry>): boolean {
  for (const [k, v] of Object.entries(fields)) {
    const old = (entry as unknown as Record<string, unknown>)[k];
    if (old === v) continue;
    if (typeof v !== 'object' || v === null || JSON.stringify(old) !== JSON.stringify(v)) return true;
  }
  return false;
}

/** The earliest of some times, or undefined. */
export function earliest(times: readonly (number | undefined)[]): number | undefined {
  const known = times.filter((t): t is number => t !== undefined);
  return known.length ? Math.min(...known) : undefined;
}
