/**
 * How many workers, ranks, tasks or GPUs: the one number each target asks for, checked as the
 * person types (an input box does not accept a value its validator rejects).
 */
import { MAX_PROCESSES, MAX_TASKS } from '../../../runtimes/src/runSpec';

/** What a count is of, for the question and its messages. */
export interface CountLimits {
  /** Plural noun: "workers", "MPI ranks", "tasks", "GPUs". */
  readonly what: string;
  readonly max: number;
  /** Why the maximum, when it is not the runtimes' own limit ("this machine has 2 GPUs"). */
  readonly maxReason?: string;
}

export type CountKind = 'workers' | 'ranks' | 'tasks' | 'parallel' | 'gpus';

export function countLimits(kind: CountKind, gpusFound?: number): CountLimits {
  switch (kind) {
    case 'workers': return { what: 'workers', max: MAX_PROCESSES };
    case 'ranks': return { what: 'MPI ranks', max: MAX_PROCESSES };
    case 'tasks': return { what: 'tasks', max: MAX_TASKS };
    case 'parallel': return { what: 'tasks at once', max: MAX_PROCESSES };
    case 'gpus': return gpusFound
      ? { what: 'GPUs', max: gpusFound, maxReason: `this machine has ${gpusFound} GPU${gpusFound === 1 ? '' : 's'}` }
      : { what: 'GPUs', max: MAX_PROCESSES };
  }
}

/** A message when `text` is not an acceptable count, undefined when it is. */
export function validateCount(text: string, limits: CountLimits): string | undefined {
  const t = text.trim();
  if (t === '') return `Enter the number of ${limits.what} (1 to ${limits.max}).`;
  if (!/^[+-]?\d+$/.test(t)) return `"${t}" is not a whole number: enter the number of ${limits.what} (1 to ${limits.max}).`;
  const n = Number(t);
  if (n < 1) return `The number of ${limits.what} must be at least 1.`;
  if (n > limits.max) return `At most ${limits.max} ${limits.what}${limits.maxReason ? `: ${limits.maxReason}` : ' in one local run'}.`;
  return undefined;
}

/** The count of a validated answer. */
export function parseCount(text: string): number {
  return Number(text.trim());
}

/** The prefilled value the first time: the cores here, or every GPU (one simulated). */
export function defaultCount(kind: CountKind, cores: number, gpusFound?: number): number {
  switch (kind) {
    case 'workers': return cores;
    case 'ranks': return Math.max(2, cores);
    case 'tasks': return cores;
    case 'parallel': return cores;
    case 'gpus': return gpusFound || 1;
  }
}
