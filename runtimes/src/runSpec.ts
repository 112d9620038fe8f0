/** What a caller asks the local backends for. Each spec is plain data (it is recorded in run.json). */

interface CommonSpec {
  /** Working directory of the processes (default: the caller's). */
  readonly cwd?: string;
  /** Added to the caller's environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** Where the run's folder goes (default: `$HPC_JOBS_LOG_DIR`, else `<tmp>/hpc-jobs/runs`). */
  readonly logDir?: string;
  /** Interpreter for `.py` programs: a setting or the Python extension's choice; default `python3`. */
  readonly python?: string;
  /** Stop each unit (task, rank set, process) after this long: state `timedOut`. */
  readonly timeLimitMs?: number;
  /** Between SIGTERM and SIGKILL when cancelling or timing out (default 3 s). */
  readonly killGraceMs?: number;
}

/** A program (`.py` runs with the interpreter, `.sh` with bash, anything else as is) and its arguments. */
interface ProgramSpec extends CommonSpec {
  readonly program: string;
  readonly args?: readonly string[];
}

/**
 * One Python program that sizes its own `multiprocessing.Pool`: it gets `HPC_JOBS_WORKERS`
 * and `SLURM_CPUS_PER_TASK` = `workers` (default: the cores this machine has).
 */
export interface PoolSpec extends ProgramSpec {
  readonly backend: 'pool';
  readonly workers?: number;
  /** Run under a pseudo-terminal (node-pty), for programs that need one; falls back to pipes. */
  readonly tty?: boolean | { readonly cols: number; readonly rows: number };
}

/** The program once per task id, at most `parallel` at once, with an array job's environment. */
export interface TasksSpec extends ProgramSpec {
  readonly backend: 'tasks';
  readonly tasks: number;
  /** Default: the cores this machine has. */
  readonly parallel?: number;
  /** Id of the first task (default 0): ids are first .. first+tasks-1. */
  readonly firstTask?: number;
}

/** `ranks` MPI processes through mpirun/mpiexec. */
export interface MpiSpec extends ProgramSpec {
  readonly backend: 'mpi';
  readonly ranks: number;
  /** mpirun or mpiexec to use (a setting); default: the first on PATH. */
  readonly mpirun?: string;
  /**
   * How output is split per rank. 'files' (default): each rank writes to files of its own,
   * read as they grow; nothing is lost. 'tags': the launcher tags lines (Open MPI --tag-output,
   * MPICH -prepend-rank), keeping the order across ranks, but Open MPI 4.1 drops lines when
   * ranks write fast.
   */
  readonly rankOutput?: 'files' | 'tags';
}

/** One process per chosen GPU (`CUDA_VISIBLE_DEVICES=i`), or one process that sees them all. */
export interface GpuSpec extends ProgramSpec {
  readonly backend: 'gpu';
  /** How many GPUs (the first ones), or which indexes; default: all. */
  readonly gpus?: number | readonly number[];
  /** false: one process sees every chosen GPU. Default true: one process per GPU. */
  readonly perGpu?: boolean;
  /**
   * No GPU? Run under numba's CUDA simulator (`NUMBA_ENABLE_CUDASIM=1`) on the CPU. Only
   * `@cuda.jit` kernels work there; `@vectorize(target='cuda')` does not.
   */
  readonly cudaSim?: boolean;
  /** Path of nvidia-smi (default: on PATH). */
  readonly nvidiaSmi?: string;
  /** How often utilisation and memory are sampled (default 1000 ms). */
  readonly sampleMs?: number;
}

/** A Slurm batch script run on this machine the way sbatch would run it on one node. */
export interface SbatchLocalSpec extends CommonSpec {
  readonly backend: 'sbatch-local';
  readonly script: string;
  /** Arguments after the script name, as `sbatch script ARGS`. */
  readonly args?: readonly string[];
  /** The folder sbatch would be called from (SLURM_SUBMIT_DIR); default: the script's folder. */
  readonly submitDir?: string;
  /**
   * Milliseconds one minute of `--time` lasts here (default 60000, or `$HPC_JOBS_MINUTE_MS`):
   * tests use a small value to see a time limit without waiting a minute.
   */
  readonly minuteMs?: number;
  /** Array tasks at once when the script sets no `%` limit (default: as many as the cores allow). */
  readonly maxParallel?: number;
}

export type LocalRunSpec = PoolSpec | TasksSpec | MpiSpec | GpuSpec | SbatchLocalSpec;

/** The most ranks, workers, GPUs or parallel tasks one local run may ask for. */
export const MAX_PROCESSES = 4096;
/** The most tasks one `tasks` run may have (Slurm's default MaxArraySize is 1001). */
export const MAX_TASKS = 100_000;
