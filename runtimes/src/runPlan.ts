/**
 * What a local backend hands LocalRun (localRun.ts): the units to start, how many at once, their
 * limits and how to read their output; and whether its units start through a resident spawner.
 */
import type { Disposable } from './events';
import type { TagStyle } from './outputTags';
import type { OutputOptions } from './runOutput';
import type { BackendKind, Metric, UnitExit } from './runtime';
import type { UnitCommand, UnitEnd } from './unitProcess';

export interface UnitPlan {
  readonly rank?: number;
  readonly task?: number;
  readonly command: UnitCommand;
  /** Added to `command.env` at start (so thousands of tasks can share one environment object). */
  readonly env?: Readonly<Record<string, string>>;
  /** The unit is a launcher that prefixes its ranks' lines (mpirun --tag-output...). */
  readonly tags?: { readonly style: TagStyle; readonly stripSpace?: boolean };
  /** Ranks write to `<dir>/<rank>.out|.err` (see rankOutputFiles.ts): read them as they grow. */
  readonly rankFiles?: { readonly dir: string; readonly ranks: number };
  /** Also copy the raw output to these files, as Slurm does (sbatch-local). Same path: one file. */
  readonly files?: { readonly stdout: string; readonly stderr: string; readonly append?: boolean };
  readonly timeLimitMs?: number;
  /** Turns the unit's end into per-rank exits (MPI); default: one exit for the unit. */
  readonly exits?: (end: UnitEnd, timedOut: boolean) => UnitExit[];
}

export interface RunPlan {
  readonly backend: BackendKind;
  /** Recorded in run.json as given. */
  readonly spec: unknown;
  readonly units: readonly UnitPlan[];
  readonly maxParallel: number;
  readonly logDir?: string;
  readonly runId?: string;
  /** The backend made the run's folder already (createRunDir) and put files there. */
  readonly runDirReady?: boolean;
  /** SIGTERM, then SIGKILL after this long. */
  readonly killGraceMs?: number;
  /** System lines written first ("added --oversubscribe..."). */
  readonly notes?: readonly string[];
  readonly launcherName?: string;
  /** For the summary: "reached its time limit (1 min)". */
  readonly timeLimitText?: string;
  /** Started when the run starts, disposed when it ends (GPU sampling). */
  readonly sampler?: (emit: (m: Metric) => void) => Disposable;
  readonly output?: OutputOptions;
  /** Called once at the very end (temporary files). */
  readonly cleanup?: () => void;
}

/**
 * From this many units a run starts them through a resident spawner (residentSpawner.ts):
 * starting it costs about what forking Node a few times does. `HPC_JOBS_SPAWNER=direct`
 * never uses one, `resident` always does (where it can start).
 */
const SPAWNER_FROM_UNITS = 8;

export function wantsSpawner(plan: RunPlan): boolean {
  const choice = process.env.HPC_JOBS_SPAWNER;
  if (choice === 'direct' || !plan.units.some((u) => !u.command.tty)) return false;
  return choice === 'resident' || plan.units.length >= SPAWNER_FROM_UNITS;
}
