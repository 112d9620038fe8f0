/**
 * How many workers, ranks, tasks or GPUs: the one number each target asks for, checked as the
 * person types (an input box does not accept a value its validator rejects).
 */
import { countLimit, readCount, type CountKind as RequestCountKind, type CountLimit } from '../../../runtimes/src/request/counts';

/** What a count is of, for the question and its messages (runtimes/src/request/counts.ts). */
export type CountLimits = CountLimit;

/** The counts the Run in Parallel flow asks for. */
export type CountKind = Exclude<RequestCountKind, 'arrayParallel'>;

export function countLimits(kind: CountKind, gpusFound?: number): CountLimits {
  return countLimit(kind, gpusFound);
}

/** A message when `text` is not an acceptable count, undefined when it is. */
export function validateCount(text: string, limits: CountLimits): string | undefined {
  const read = readCount(text, limits);
  return 'problem' in read ? read.problem : undefined;
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
