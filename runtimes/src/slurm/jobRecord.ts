/**
 * One job as squeue, sacct or scontrol describes it, in one shape. An array job appears as
 * several records: one per task that has started (its own job id, `arrayTaskId` set) and one
 * for the tasks still pending together (`pendingTasks` = "4-999%2").
 */
import { constants } from 'node:os';
import { arrayIndexes } from '../outputPattern';

export interface JobExit {
  /** null when the job was ended by `signal`. */
  readonly code: number | null;
  readonly signal?: string;
}

export interface JobRecord {
  readonly jobId: string;
  readonly arrayJobId?: string;
  readonly arrayTaskId?: number;
  /** Indexes of the tasks not yet split off, as Slurm writes them ("4-999", "1,3,5-7:2%4"). */
  readonly pendingTasks?: string;
  /** Slurm's state word: PENDING, RUNNING, TIMEOUT... */
  readonly state: string;
  /** Pending reason or why it ended ("Priority", "JobHeldUser", "NonZeroExitCode"); absent for "None". */
  readonly reason?: string;
  readonly exit?: JobExit;
  readonly name?: string;
  readonly user?: string;
  /** Node list in Slurm's hostlist form ("n[1-2]"). */
  readonly nodes?: string;
  readonly workDir?: string;
  /** As Slurm has it: a pattern with %j... (squeue) or the expanded path (scontrol); absent: default. */
  readonly stdout?: string;
  readonly stderr?: string;
  readonly startTime?: number;
  /** A pending job's start as the scheduler expects it (`squeue --start`), when it has worked one out. */
  readonly expectedStart?: number;
  readonly endTime?: number;
  readonly partition?: string;
  /** When it was submitted (ms since the epoch). */
  readonly submitTime?: number;
  /** Its time limit in minutes; absent when unlimited or unknown. */
  readonly timeLimitMinutes?: number;
}

/** The id that names the whole submission: the array's master id, or the job's own. */
export function masterId(r: JobRecord): string {
  return r.arrayJobId ?? r.jobId;
}

const SIGNAL_NAMES = new Map(Object.entries(constants.signals).map(([name, n]) => [n, name]));

export function signalName(n: number): string {
  return SIGNAL_NAMES.get(n) ?? `signal ${n}`;
}

/** A raw wait(2) status (squeue --json / -O exit_code): 768 → exit 3; 15 → SIGTERM. */
export function exitFromWaitStatus(status: number): JobExit {
  const sig = status & 0x7f;
  return sig ? { code: null, signal: signalName(sig) } : { code: (status >> 8) & 0xff };
}

/** "3:0" (sacct, scontrol ExitCode): exit code, then the signal that ended it. */
export function exitFromPair(text: string): JobExit | undefined {
  const m = /^(\d+):(\d+)$/.exec(text.trim());
  if (!m) return undefined;
  const sig = Number(m[2]);
  return sig ? { code: null, signal: signalName(sig) } : { code: Number(m[1]) };
}

/** Slurm array index expressions ("0-999", "1,3,5-7", "0-15:4", "%max"), as squeue/sacct print pending tasks. */
export function expandArrayIndexes(spec: string): number[] {
  return arrayIndexes(spec.replace(/^\[|\]$/g, ''));
}

/** Parses Slurm's local-time stamps ("2026-11-24T00:52:20"); undefined for "Unknown", "None". */
export function parseSlurmTime(text: string | undefined): number | undefined {
  if (!text || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/.test(text)) return undefined;
  const t = new Date(text).getTime();
  return Number.isFinite(t) ? t : undefined;
}
