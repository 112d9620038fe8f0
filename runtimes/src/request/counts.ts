/**
 * How many workers, ranks, tasks or GPUs a run may ask for, and the one sentence that says a
 * count is wrong — for the Run in Parallel input box, tasks.json, `hpc-jobs run` and the
 * runtimes themselves, so a person reads the same rule wherever they gave the number.
 */
import { MAX_PROCESSES, MAX_TASKS } from '../runSpec';

export type CountKind = 'workers' | 'ranks' | 'tasks' | 'parallel' | 'gpus' | 'arrayParallel';

/** What a count is of and its upper bound (none: only "at least 1", as sbatch's own counts). */
export interface CountLimit {
  /** Plural noun: "workers", "MPI ranks", "tasks at once". */
  readonly what: string;
  readonly max?: number;
  /** Why the maximum, when it is not the runtimes' own limit ("this machine has 2 GPUs"). */
  readonly why?: string;
}

const LIMITS: Readonly<Record<CountKind, CountLimit>> = {
  workers: { what: 'workers', max: MAX_PROCESSES },
  ranks: { what: 'MPI ranks', max: MAX_PROCESSES },
  tasks: { what: 'tasks', max: MAX_TASKS },
  parallel: { what: 'tasks at once', max: MAX_PROCESSES },
  gpus: { what: 'GPUs', max: MAX_PROCESSES },
  arrayParallel: { what: 'array tasks at once', max: MAX_PROCESSES },
};

/** The limit of a local run's count; GPUs no more than this machine has, when it has any. */
export function countLimit(kind: CountKind, gpusFound?: number): CountLimit {
  if (kind === 'gpus' && gpusFound) {
    return { what: 'GPUs', max: gpusFound, why: `this machine has ${gpusFound} GPU${gpusFound === 1 ? '' : 's'}` };
  }
  return LIMITS[kind];
}

/**
 * The one wording: `-n: the number of MPI ranks must be a whole number from 1 to 4096, not "two".`
 * `where` names the flag or field the value was given as; `shown` is the value as given (empty
 * when nothing was).
 */
function countMessage(limit: CountLimit, shown: string, where: string | undefined): string {
  const range = limit.max === undefined ? 'of at least 1' : `from 1 to ${limit.max}${limit.why ? ` (${limit.why})` : ''}`;
  return `${where ? `${where}: the` : 'The'} number of ${limit.what} must be a whole number ${range}${shown ? `, not ${shown}` : ''}.`;
}

function within(n: number, limit: CountLimit): boolean {
  return Number.isSafeInteger(n) && n >= 1 && (limit.max === undefined || n <= limit.max);
}

/** A count as typed (an input box, a command-line flag): the number, or the message. */
export function readCount(text: string, limit: CountLimit, where?: string): { count: number } | { problem: string } {
  const t = text.trim();
  // Integers only: Number() would take "0x10", "1e3" and "".
  const n = /^[+-]?\d+$/.test(t) ? Number(t) : NaN;
  if (within(n, limit)) return { count: n };
  // Shown as typed: a number bare ("+0", "99999999999999999999"), anything else quoted.
  return { problem: countMessage(limit, t === '' ? '' : Number.isNaN(n) ? JSON.stringify(t) : t, where) };
}

/** A count given as a value (tasks.json, a run spec): undefined when it is a number within the limit. */
export function countProblem(value: unknown, limit: CountLimit, where?: string): string | undefined {
  if (typeof value === 'number' && within(value, limit)) return undefined;
  let shown: string;
  try { shown = JSON.stringify(value) ?? String(value); } catch { shown = String(value); }
  return countMessage(limit, typeof value === 'number' ? String(value) : shown, where);
}
