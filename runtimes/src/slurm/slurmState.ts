/**
 * Slurm job states onto the runtimes' RunState. The Slurm word is kept alongside (people know
 * "OUT_OF_MEMORY", "NODE_FAIL"); this only decides which bucket the UI sorts it into.
 * Names from squeue(1) "JOB STATE CODES"; sacct prints "CANCELLED by <uid>".
 */
import type { RunState } from '../runtime';

const QUEUED = new Set(['PENDING', 'CONFIGURING', 'REQUEUED', 'REQUEUE_FED', 'REQUEUE_HOLD', 'RESV_DEL_HOLD', 'SPECIAL_EXIT']);
const RUNNING = new Set(['RUNNING', 'COMPLETING', 'SIGNALING', 'STAGE_OUT', 'RESIZING', 'SUSPENDED', 'STOPPED', 'UPDATE_DB', 'POWER_UP_NODE']);
const FAILED = new Set(['FAILED', 'NODE_FAIL', 'OUT_OF_MEMORY', 'BOOT_FAIL', 'DEADLINE', 'PREEMPTED', 'REVOKED', 'LAUNCH_FAILED']);

/** The state word alone: `CANCELLED by 0` → `CANCELLED`, `["RUNNING","COMPLETING"]` handled by the JSON reader. */
export function slurmStateWord(text: string): string {
  return text.trim().split(/[\s+]/)[0]!.toUpperCase();
}

/** undefined for a word this table does not know (the caller keeps the previous state). */
export function runStateOf(slurmState: string): RunState | undefined {
  const s = slurmStateWord(slurmState);
  if (QUEUED.has(s)) return 'queued';
  if (RUNNING.has(s)) return 'running';
  if (s === 'COMPLETED') return 'succeeded';
  if (s === 'CANCELLED') return 'cancelled';
  if (s === 'TIMEOUT') return 'timedOut';
  if (FAILED.has(s)) return 'failed';
  return undefined;
}

export function isFinalSlurmState(slurmState: string): boolean {
  const r = runStateOf(slurmState);
  return r === 'succeeded' || r === 'failed' || r === 'cancelled' || r === 'timedOut';
}
