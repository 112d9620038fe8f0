/**
 * The one interface every backend implements: launch a spec, get a handle with typed events.
 * Local pool/tasks, MPI, GPU, a batch script run locally, and Slurm jobs all look alike to the
 * extension and the CLI.
 */
import type { PackedOutput } from './runHost/workerRun';
import type { SlurmJob } from './slurm/slurmJob';
import type { RunUsage } from './runUsage';
import type { Event } from './events';

export type RunState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'timedOut';

export const FINAL_STATES: ReadonlySet<RunState> = new Set(['succeeded', 'failed', 'cancelled', 'timedOut']);

export type BackendKind = 'pool' | 'tasks' | 'mpi' | 'gpu' | 'sbatch-local' | 'slurm';

/** Who printed a line: a rank (MPI), a task (pool/tasks, array index), a GPU process, or the launcher. */
export interface OutputSource {
  readonly stream: 'stdout' | 'stderr';
  readonly rank?: number;
  readonly task?: number;
  /** Lines the runtime itself writes (e.g. "added --oversubscribe: 8 ranks on 2 cores"). */
  readonly system?: boolean;
}

export interface OutputLine extends OutputSource {
  readonly text: string;
  /** ms since the epoch when the line was complete. */
  readonly time: number;
}

export interface StateChange {
  readonly state: RunState;
  readonly previous: RunState;
  readonly message?: string;
}

export interface Metric {
  readonly time: number;
  /** e.g. GPU index. */
  readonly device?: number;
  readonly name: 'gpuUtilization' | 'gpuMemoryUsedMB' | 'gpuMemoryTotalMB' | string;
  readonly value: number;
}

/**
 * How one rank, task or process ended. `code` null when killed by `signal`. Neither rank nor
 * task: the launcher itself (e.g. `mpirun` failing before any rank ran, or a pool's program).
 */
/**
 * "signal SIGKILL" for an exit by signal. A signal with no name here is already written
 * "signal 53" (see signalName): it is not said twice.
 */
export function signalWords(signal: string): string {
  return signal.startsWith('signal ') ? signal : `signal ${signal}`;
}

export interface UnitExit {
  readonly rank?: number;
  readonly task?: number;
  readonly code: number | null;
  readonly signal?: string;
  /** Stopped because it reached its time limit (Slurm: TIMEOUT). */
  readonly timedOut?: boolean;
}

export interface RunResult {
  readonly state: RunState;
  readonly exits: readonly UnitExit[];
  readonly startedAt?: number;
  readonly endedAt: number;
  /** One sentence for people: "rank 2 exited with 1; 3 others succeeded". */
  readonly summary: string;
  /** Local runs: the CPU time and peak memory of the run's processes (sampled each second). */
  readonly usage?: RunUsage;
  /** The output log could not be written in full (disk full...): why. Its output still reached listeners. */
  readonly logError?: string;
}

export interface RunHandle {
  readonly id: string;
  readonly backend: BackendKind;
  readonly state: RunState;
  /** Full output on disk; written whether anyone listens or not. */
  readonly logPath: string;
  /**
   * What the unit with neither rank nor task is, when the backend names it ("mpirun", "the
   * script"): the header's exit chips and the summaries say it rather than "launcher".
   */
  readonly launcherName?: string;
  readonly onDidChangeState: Event<StateChange>;
  /** Output in batches (never one event per chunk); lines are whole. */
  readonly onDidOutput: Event<readonly OutputLine[]>;
  readonly onDidMetric: Event<Metric>;
  /** Settles once the run reaches a final state; never rejects. */
  readonly result: Promise<RunResult>;
  /**
   * The last lines of output kept in memory (a capped tail; the whole output is in `logPath`),
   * for a view opened after the run started.
   */
  tail?(): readonly OutputLine[];
  /** Ends the whole process tree (or the job); resolves when it is gone. */
  cancel(): Promise<void>;
  /** Stops events and frees memory; does not cancel. */
  dispose(): void;
  /**
   * What this run offers beyond the above, declared by the run itself, never guessed from its
   * shape (a class of another bundle — the tests', the run host's — has the same shape).
   */
  readonly capabilities?: RunCapabilities;
}

export interface RunCapabilities {
  /** Its units may run under a pseudo-terminal: raw output, typed input, the terminal's size. */
  readonly terminal?: TerminalRun;
  /** Its output comes packed (a run in the run host's worker): cheaper than line objects. */
  readonly packedOutput?: Event<PackedOutput>;
  /** A Slurm job: its tasks, Slurm's state words and reason. */
  readonly slurm?: SlurmJob;
}

/** A run whose units may be under a pty (LocalRun). */
export interface TerminalRun {
  readonly onDidTerminalData: Event<string>;
  /** A unit started under a pty: its output comes through `onDidTerminalData` too. */
  readonly viaPty: boolean;
  /** What units under a pty wrote so far (raw). */
  terminalTail(): string;
  write(data: string): void;
  resize(cols: number, rows: number): void;
}

/**
 * What a failure of the runtimes is, declared by each error class: code recognises it by this
 * field, since instanceof does not hold across bundles.
 */
export type FailureKind = 'launch' | 'transport' | 'slurm';

export function failureKind(e: unknown): FailureKind | undefined {
  const k = typeof e === 'object' && e !== null ? (e as { failureKind?: unknown }).failureKind : undefined;
  return k === 'launch' || k === 'transport' || k === 'slurm' ? k : undefined;
}

/** A clear, user-facing failure before anything ran (missing mpirun, N of 0...). Nothing is left running. */
export class LaunchError extends Error {
  readonly failureKind = 'launch';
  /**
   * `interpreter`: another Python on this machine that has what this one lacks; each front end
   * says how to choose it (a button in the editor, `--python` on the command line).
   */
  constructor(message: string, readonly hint?: string, readonly interpreter?: string) {
    super(message);
    this.name = 'LaunchError';
  }
}
