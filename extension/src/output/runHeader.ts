/**
 * What the top of an output panel shows: the run's state and times, how each rank or task
 * ended, and recent GPU samples. Plain Node; the panel sends snapshots of it to the webview.
 */
import { FINAL_STATES, type BackendKind, type Metric, type RunResult, type RunState, type StateChange, type UnitExit } from '../../../runtimes/src/runtime';
import { usageBadge } from '../../../runtimes/src/index';
import { MAX_SOURCES_LISTED, type OutputSources } from './outputModel';

export interface ExitView {
  /** `rank 2`, `task 7`, `GPU 1`, or what the run's launcher is (`mpirun`, `worker pool`, `job`). */
  readonly label: string;
  readonly code: number | null;
  readonly signal?: string;
  readonly timedOut?: boolean;
  readonly ok: boolean;
}

export interface ExitSummary {
  /** Failures first, then the rest, at most `max` of them. */
  readonly shown: readonly ExitView[];
  readonly succeeded: number;
  readonly failed: number;
  /** Exits left out of `shown`. */
  readonly hidden: number;
}

export interface HeaderSnapshot {
  readonly state: RunState;
  readonly final: boolean;
  /** ms since the epoch; the webview counts the elapsed time from it while the run runs. */
  readonly startedAt?: number;
  readonly endedAt?: number;
  /** The runtime's sentence for people ("rank 2 exited with 1; 3 others succeeded"). */
  readonly summary?: string;
  readonly exits: ExitSummary;
  /** What a task is called where it is not "task": "GPU" (a GPU run's task n is GPU n). */
  readonly taskWord?: string;
  /** How it used what it had: `CPU 38% · mem 0.4/4 GiB · 21s/2m` (a job, from sacct), or a local run's figures. */
  readonly outcome?: string;
}

/**
 * The filter's ranks and tasks: those that printed, and those the header lists as having
 * exited (a rank that printed nothing is still a rank of the run, and may be the one to look at).
 */
export function withExitUnits(sources: OutputSources, exits: readonly UnitExit[], limit = MAX_SOURCES_LISTED): OutputSources {
  const merge = (listed: readonly number[], more: number, ids: number[]): [number[], number] => {
    // A full list has no room: what it lists is already the lowest `limit`.
    if (more > 0 || ids.length === 0) return [[...listed], more];
    const all = [...new Set([...listed, ...ids])].sort((a, b) => a - b);
    return [all.slice(0, limit), Math.max(0, all.length - limit)];
  };
  const [ranks, moreRanks] = merge(sources.ranks, sources.moreRanks, exits.flatMap((e) => (e.rank !== undefined ? [e.rank] : [])));
  const [tasks, moreTasks] = merge(sources.tasks, sources.moreTasks, exits.flatMap((e) => (e.task !== undefined ? [e.task] : [])));
  return { ...sources, ranks, tasks, moreRanks, moreTasks };
}

/** How many exit codes the header lists one by one (a tasks run may have 100,000). */
export const MAX_EXITS_SHOWN = 64;

/** What the header calls a run's units: its tasks, and the one with neither rank nor task. */
export interface UnitWords {
  readonly task: string;
  readonly launcher: string;
}

const GENERIC: UnitWords = { task: 'task', launcher: 'launcher' };
const LAUNCHER_OF: Partial<Record<BackendKind, string>> = { pool: 'worker pool', mpi: 'mpirun', 'sbatch-local': 'script', slurm: 'job' };

/** A GPU run's task n is the process on GPU n; the launcher is named by the runtime where it knows ("mpiexec"). */
export function unitWords(backend: BackendKind, launcherName?: string): UnitWords {
  return {
    task: backend === 'gpu' ? 'GPU' : 'task',
    launcher: launcherName?.replace(/^the /, '') || (LAUNCHER_OF[backend] ?? GENERIC.launcher),
  };
}

export function exitLabel(e: UnitExit, words: UnitWords = GENERIC): string {
  return e.rank !== undefined ? `rank ${e.rank}` : e.task !== undefined ? `${words.task} ${e.task}` : words.launcher;
}

export function summarizeExits(exits: readonly UnitExit[], max = MAX_EXITS_SHOWN, words: UnitWords = GENERIC): ExitSummary {
  const views = exits.map((e): ExitView => ({
    label: exitLabel(e, words),
    code: e.code,
    ...(e.signal ? { signal: e.signal } : {}),
    ...(e.timedOut ? { timedOut: true } : {}),
    ok: e.code === 0 && !e.timedOut,
  }));
  const failed = views.filter((v) => !v.ok);
  const succeeded = views.length - failed.length;
  const shown = [...failed, ...views.filter((v) => v.ok)].slice(0, max);
  return { shown, succeeded, failed: failed.length, hidden: views.length - shown.length };
}

export class RunHeader {
  private state: RunState;
  private startedAt: number | undefined;
  private endedAt: number | undefined;
  private summary: string | undefined;
  private exits: ExitSummary = { shown: [], succeeded: 0, failed: 0, hidden: 0 };
  private outcome: string | undefined;

  /**
   * `knownStart`: when the run began, as the Jobs view knows it (Slurm's start time for a job;
   * a panel reopened on a running one), asked when the header needs a start.
   * `words`: what its units are called (unitWords).
   */
  constructor(state: RunState, private readonly now: () => number = Date.now, private readonly knownStart?: () => number | undefined, private readonly words: UnitWords = GENERIC) {
    this.state = state;
    // Opened on a run that is already going and nobody said since when: now is the best we know.
    this.startedAt = knownStart?.() ?? (state === 'running' ? now() : undefined);
  }

  onState(change: StateChange): void {
    this.state = change.state;
    if (change.state === 'running' && this.startedAt === undefined) this.startedAt = this.knownStart?.() ?? this.now();
    if (FINAL_STATES.has(change.state) && this.endedAt === undefined) this.endedAt = this.now();
    if (change.message) this.summary = change.message;
  }

  /** The run's own record wins over what the events said. */
  onResult(r: RunResult): void {
    this.state = r.state;
    if (r.startedAt !== undefined) this.startedAt = r.startedAt;
    this.endedAt = r.endedAt;
    this.summary = r.summary;
    this.exits = summarizeExits(r.exits, MAX_EXITS_SHOWN, this.words);
    if (r.usage) this.outcome ??= usageBadge(r.usage, (r.endedAt - (r.startedAt ?? r.endedAt)) / 1000);
  }

  /** A job's figures, read after it ended (the Jobs view's outcome). */
  onOutcome(badge: string | undefined): void {
    if (badge) this.outcome = badge;
  }

  snapshot(): HeaderSnapshot {
    return {
      state: this.state,
      final: FINAL_STATES.has(this.state),
      ...(this.startedAt !== undefined ? { startedAt: this.startedAt } : {}),
      ...(this.endedAt !== undefined ? { endedAt: this.endedAt } : {}),
      ...(this.summary ? { summary: this.summary } : {}),
      exits: this.exits,
      ...(this.words.task !== 'task' ? { taskWord: this.words.task } : {}),
      ...(this.outcome ? { outcome: this.outcome } : {}),
    };
  }
}

export interface GpuSeries {
  readonly device: number;
  /** Percent, oldest first. */
  readonly utilization: readonly number[];
  readonly memoryUsedMB: readonly number[];
  readonly memoryTotalMB?: number;
}

export const DEFAULT_METRIC_SAMPLES = 120;
/** A runaway sampler must not grow memory: devices beyond this are ignored. */
const MAX_DEVICES = 64;

/** The last N samples of utilisation and memory per GPU. */
export class GpuMetrics {
  private readonly devices = new Map<number, { utilization: number[]; memoryUsedMB: number[]; memoryTotalMB?: number }>();
  /** Changes on every sample: the panel sends a snapshot only when it moved. */
  version = 0;

  constructor(readonly maxSamples = DEFAULT_METRIC_SAMPLES) {}

  add(m: Metric): void {
    if (!Number.isFinite(m.value)) return;
    const device = m.device ?? 0;
    let d = this.devices.get(device);
    if (!d) {
      if (this.devices.size >= MAX_DEVICES || !Number.isInteger(device)) return;
      this.devices.set(device, d = { utilization: [], memoryUsedMB: [] });
    }
    switch (m.name) {
      case 'gpuUtilization': push(d.utilization, m.value, this.maxSamples); break;
      case 'gpuMemoryUsedMB': push(d.memoryUsedMB, m.value, this.maxSamples); break;
      case 'gpuMemoryTotalMB': d.memoryTotalMB = m.value; break;
      default: return;
    }
    this.version++;
  }

  get empty(): boolean { return this.devices.size === 0; }

  snapshot(): GpuSeries[] {
    return [...this.devices.entries()].sort(([a], [b]) => a - b).map(([device, d]) => ({
      device,
      utilization: [...d.utilization],
      memoryUsedMB: [...d.memoryUsedMB],
      ...(d.memoryTotalMB !== undefined ? { memoryTotalMB: d.memoryTotalMB } : {}),
    }));
  }
}

function push(series: number[], value: number, max: number): void {
  series.push(value);
  // A shift on an array of ~120 is cheap, and samples come once a second.
  if (series.length > max) series.shift();
}
