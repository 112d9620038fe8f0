/**
 * What the job tree, the status bar and "Run Again" know about a run or a Slurm job: plain
 * data, saved in the workspace state so the tree shows it again after a window reload. The
 * request that started it is kept as given, so Resubmit and Run Again repeat it exactly.
 */
import type { BackendKind, RunState, UnitExit } from '../../../runtimes/src/index';

export type { LocalRequest, PythonRequest, RunRequest, ScriptRequest } from '../../../runtimes/src/request/runRequest';
import type { RunRequest } from '../../../runtimes/src/request/runRequest';

/** How a finished Slurm job went (sacct), as the tree, the details and the notification show it. */
export interface JobOutcomeSummary {
  /** `CPU 38% · mem 0.4/4 GiB · 21s/2m`; empty when nothing could be known. */
  readonly badge: string;
  /** A limit was hit (memory, time), or most of what was asked went unused. */
  readonly warning?: 'limit' | 'waste';
  readonly outOfMemory?: boolean;
  readonly timedOut?: boolean;
  readonly cpuEfficiency?: number;
  readonly peakMemBytes?: number;
  readonly allocMemBytes?: number;
  readonly elapsedS?: number;
  readonly timeLimitS?: number;
  readonly allocCpus?: number;
  readonly nodes?: number;
  /** Why figures are missing (no accounting, too short...). */
  readonly note?: string;
}

/** One array task or rank as the tree shows it under its job. */
export interface JobUnit {
  /** Array index, or rank. */
  readonly index: number;
  readonly kind: 'task' | 'rank';
  readonly state: RunState;
  /** Slurm's own word (PENDING, RUNNING, TIMEOUT...), for Slurm jobs. */
  readonly slurmState?: string;
  readonly reason?: string;
  readonly exit?: UnitExit;
  /** The task's own Slurm job id once it started. */
  readonly jobId?: string;
}

export interface JobEntry {
  /** Unique in the store: `local:<runId>` or `slurm:<cluster>:<jobId>`. */
  readonly key: string;
  readonly backend: BackendKind;
  /** Absent: this machine. */
  readonly cluster?: string;
  /** The run id (local) or the Slurm job id. */
  readonly id: string;
  /** For people: the program or script name, or the job name. */
  readonly name: string;
  /** Local path of the program or batch script, for Open Script. */
  readonly file?: string;
  /** Absent for jobs found in the queue that this extension did not submit. */
  readonly request?: RunRequest;
  readonly state: RunState;
  readonly slurmState?: string;
  /** Pending reason, or why it ended. */
  readonly reason?: string;
  readonly submittedAt: number;
  /** While pending: when Slurm expects it to start (its estimate). */
  readonly expectedStart?: number;
  readonly startedAt?: number;
  readonly endedAt?: number;
  /** The job's time limit, when known (elapsed/limit in the tree). */
  readonly timeLimitMs?: number;
  /** One sentence once it ended: "rank 2 exited with 1; 3 others succeeded". */
  readonly summary?: string;
  readonly exits?: readonly UnitExit[];
  readonly units?: readonly JobUnit[];
  /** Full output on this machine (local runs), or the job's stdout path on the cluster. */
  readonly logPath?: string;
  /** Slurm user that owns the job (the filter "mine / all users"). */
  readonly user?: string;
  /** Slurm partition, when the queue said. */
  readonly partition?: string;
  /** Nodes it ran on, in Slurm's hostlist form ("n[1-2]"). */
  readonly nodes?: string;
  /** How it went, once ended (Slurm jobs: from sacct). */
  readonly outcome?: JobOutcomeSummary;
}

const FINAL: ReadonlySet<RunState> = new Set(['succeeded', 'failed', 'cancelled', 'timedOut']);

export function isFinal(state: RunState): boolean {
  return FINAL.has(state);
}

export function localKey(runId: string): string {
  return `local:${runId}`;
}

export function slurmKey(cluster: string, jobId: string): string {
  return `slurm:${cluster}:${jobId}`;
}

/** Where a request runs, for people: "this machine" or the cluster's name. */
export function requestLocation(request: RunRequest): string {
  return request.target === 'local' ? 'this machine' : request.cluster;
}

export { requestFile } from '../../../runtimes/src/request/runRequest';
