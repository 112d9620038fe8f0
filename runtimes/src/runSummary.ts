/** A run's final state and the one sentence that says which ranks/tasks failed, and how. */
import { constants } from 'node:os';
import type { RunState, UnitExit } from './runtime';

export interface SummaryInput {
  readonly exits: readonly UnitExit[];
  readonly cancelled: boolean;
  /** Units that never started (cancelled before their turn). */
  readonly notStarted: number;
  /** What a unit without rank or task is called: "mpirun", "the program". */
  readonly launcherName?: string;
  /** e.g. "1 min", for "reached its time limit (1 min)". */
  readonly timeLimit?: string;
}

export function unitName(e: { readonly rank?: number; readonly task?: number }, launcherName = 'the program'): string {
  return e.rank !== undefined ? `rank ${e.rank}` : e.task !== undefined ? `task ${e.task}` : launcherName;
}

export function failed(e: UnitExit): boolean {
  return e.timedOut === true || e.code !== 0;
}

export function finalState(input: SummaryInput): RunState {
  if (input.cancelled) return 'cancelled';
  if (input.exits.some((e) => e.timedOut)) return 'timedOut';
  return input.exits.some(failed) || input.exits.length === 0 ? 'failed' : 'succeeded';
}

function how(e: UnitExit, timeLimit?: string): string {
  if (e.timedOut) return `reached its time limit${timeLimit ? ` (${timeLimit})` : ''} and was stopped`;
  if (e.code === null) return `was killed by ${e.signal ?? 'a signal'}`;
  return `exited with ${e.code}`;
}

function noun(exits: readonly UnitExit[], n: number): string {
  const kind = exits.some((e) => e.rank !== undefined) ? 'rank' : exits.some((e) => e.task !== undefined) ? 'task' : 'process';
  return `${n} ${kind}${n === 1 ? '' : kind === 'process' ? 'es' : 's'}`;
}

const LISTED = 4;

/** "rank 2 exited with 3; 3 others succeeded", "task 0 reached its time limit (1 min) and was stopped". */
export function summarize(input: SummaryInput): string {
  const { exits } = input;
  // A unit's own failure (an exit code) before those ended from outside (a signal).
  const bad = exits.filter(failed).sort((a, b) => Number(a.code === null) - Number(b.code === null));
  const good = exits.length - bad.length;
  const parts: string[] = [];
  if (input.cancelled) {
    const stopped = bad.length;
    parts.push('cancelled');
    if (stopped) parts.push(`${noun(exits.filter(failed), stopped)} stopped`);
    if (good) parts.push(`${noun(exits.filter((e) => !failed(e)), good)} had already succeeded`);
    if (input.notStarted) parts.push(`${input.notStarted} never started`);
    return parts.length === 1 ? 'cancelled' : `${parts[0]}: ${parts.slice(1).join(', ')}`;
  }
  if (exits.length === 0) return 'nothing ran';
  if (bad.length === 0) {
    if (exits.length === 1) return `${exits[0]!.rank === undefined && exits[0]!.task === undefined ? '' : unitName(exits[0]!) + ' '}exited with 0`;
    return `all ${noun(exits, exits.length)} exited with 0`;
  }
  const listed = bad.slice(0, LISTED).map((e) => `${unitName(e, input.launcherName)} ${how(e, input.timeLimit)}`);
  let text = listed.join(', ');
  if (bad.length > LISTED) text += ` and ${bad.length - LISTED} more failed`;
  if (good > 0) text += `; ${good} other${good === 1 ? '' : 's'} succeeded`;
  return text;
}

/** Exit status for a shell: 0, the first failing unit's code, 128+signal, 124 timeout, 130 cancel. */
export function exitCodeOf(state: RunState, exits: readonly UnitExit[]): number {
  if (state === 'succeeded') return 0;
  if (state === 'cancelled') return 130;
  if (state === 'timedOut') return 124;
  // A unit's own exit code first: the others were often only ended because of it.
  const bad = exits.find((e) => !e.timedOut && e.code !== null && e.code !== 0) ?? exits.find((e) => !e.timedOut && e.code !== 0);
  if (!bad) return 1;
  if (bad.code !== null) return bad.code;
  return 128 + (signalNumber(bad.signal) ?? 0) || 1;
}

function signalNumber(name: string | undefined): number | undefined {
  return name ? (constants.signals as Record<string, number | undefined>)[name] : undefined;
}
