/**
 * `sbatch --test-only`: the scheduler's estimate of when a script would start, and where,
 * without submitting it. sbatch prints it on stderr:
 *   sbatch: Job 13 to start at 2026-12-07T09:31:57 using 2 processors on nodes n1 in partition debug
 * The estimate assumes every running job uses its whole time limit and ignores jobs submitted
 * later with a higher priority, so it is often pessimistic and sometimes optimistic.
 */
import { waitDuration } from '../../../server/src/durationWords';
import { parseSlurmTime } from './jobRecord';

export interface StartEstimate {
  /** ms since the epoch. */
  readonly start: number;
  readonly processors: number;
  readonly nodes: string;
  readonly partition: string;
}

const LINE = /Job \d+ to start at (\S+) using (\d+) processors on nodes (\S+) in partition (\S+)/;

export function parseTestOnly(stderr: string): StartEstimate | undefined {
  const m = LINE.exec(stderr);
  const start = parseSlurmTime(m?.[1]);
  if (!m || start === undefined) return undefined;
  return { start, processors: Number(m[2]), nodes: m[3]!, partition: m[4]! };
}

/** "in 4 min (09:35) on n1, partition debug, 2 CPUs". */
export function describeEstimate(e: StartEstimate, now: number): string {
  const wait = Math.max(0, e.start - now);
  const d = new Date(e.start);
  const clock = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  const when = wait < 60_000 ? `now (${clock})` : `in ${waitWords(wait)} (${wait >= 86_400_000 ? d.toISOString().slice(0, 10) + ' ' : ''}${clock})`;
  return `${when} on ${e.nodes}, partition ${e.partition}, ${e.processors} CPU${e.processors === 1 ? '' : 's'}`;
}

/** A pending job's expected start from now: "in 12 min", or "soon" once it is due. */
export function startsIn(expectedStart: number, now: number): string {
  return expectedStart - now < 60_000 ? 'soon' : `in ${waitWords(expectedStart - now)}`;
}

/** "4 min", "2 h 10 min", "3 d 4 h". */
export function waitWords(ms: number): string {
  return waitDuration(ms / 1000);
}
