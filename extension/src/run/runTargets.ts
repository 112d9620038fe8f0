/**
 * Which ways of running a file make sense, and how each is shown in the "Run in Parallel" pick
 * — built from what was detected on this machine (cores, MPI, GPUs) and the configured
 * clusters. Pure: the command gathers the facts, this decides the list.
 */
import type { MpiLauncher } from '../../../runtimes/src/index';
import type { FileKind } from '../../../runtimes/src/request/fileKind';
import { parseScript } from '../../../server/src/parser/scriptParser';
import { clusterStatusWords, type ClusterFact } from '../clusters/clusterStatus';

/**
 * What a file is to the run command: Python (pool, tasks, MPI, GPU, a terminal, a cluster), a
 * batch script (`.slurm`/`.sbatch`, or a shell script with #SBATCH lines: run here as Slurm
 * would, or submit), or a plain shell script (a task array, or a terminal).
 */
/** One classification for the editor, tasks.json and the CLI (runtimes/src/request/fileKind.ts). */
export { fileKind as fileKindOf } from '../../../runtimes/src/request/fileKind';
export type { FileKind };

/** The first line of the #SBATCH block (where the CodeLens goes), if the script has one. */
export function directiveBlockLine(text: string): number | undefined {
  const script = parseScript(text);
  return script.directives[0]?.line ?? script.ignored[0]?.line;
}

export type RunTarget =
  | { readonly kind: 'pool' }
  | { readonly kind: 'tasks' }
  | { readonly kind: 'mpi' }
  | { readonly kind: 'gpu' }
  /** One process under a pseudo-terminal: for programs that read what is typed. */
  | { readonly kind: 'terminal' }
  | { readonly kind: 'sbatch-local' }
  | { readonly kind: 'slurm-script'; readonly cluster: string }
  | { readonly kind: 'slurm-python'; readonly cluster: string };

/** A detection still under way, done, or done and found nothing (with why, for people). */
export type Detection<T> =
  | { readonly state: 'pending' }
  | { readonly state: 'found'; readonly value: T }
  | { readonly state: 'missing'; readonly reason: string };

export interface MpiFound {
  /** "Open MPI 4.1.4" */
  readonly name: string;
  readonly path: string;
}

export interface GpuFound {
  readonly index: number;
  readonly name: string;
}

export interface Detected {
  readonly cores: number;
  readonly mpi: Detection<MpiFound>;
  readonly gpus: Detection<readonly GpuFound[]>;
  readonly clusters: readonly ClusterFact[];
}

export type SimulatorSetting = 'ask' | 'always' | 'never';

export interface TargetChoice {
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
  readonly icon: string;
  readonly disabled?: boolean;
  readonly target: RunTarget;
}

export interface ChoiceOptions {
  readonly useSimulator: SimulatorSetting;
  /** Last (or default) task count and concurrency for this file, shown on the task array. */
  readonly tasks: { readonly count: number; readonly parallel: number };
}

const DETECTING = 'detecting…';

/** "Open MPI 4.1.4", "MPICH 4.0.2", else the launcher's file name. */
export function mpiDisplayName(launcher: Pick<MpiLauncher, 'path' | 'mpi'>): string {
  const family = { openmpi: 'Open MPI', mpich: 'MPICH', intel: 'Intel MPI', mvapich: 'MVAPICH', unknown: '' }[launcher.mpi.family];
  if (!family) return launcher.path.split('/').pop() ?? launcher.path;
  return launcher.mpi.version ? `${family} ${launcher.mpi.version}` : family;
}

/** Why the MPI target is unavailable, in the words the pick shows. */
export function mpiMissingReason(configured: string | undefined): string {
  return configured?.trim()
    ? `"${configured.trim()}" not found — check hpcJobs.mpi.launcher`
    : 'mpirun not found — install Open MPI or set hpcJobs.mpi.launcher';
}

/** "2 × NVIDIA A100", or "3 GPUs: A, B, C" when they differ. */
export function gpuSummary(gpus: readonly GpuFound[]): string {
  const names = [...new Set(gpus.map((g) => g.name))];
  return names.length === 1 ? `${gpus.length} × ${names[0]}` : `${gpus.length} GPUs: ${names.join(', ')}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The state's one wording; a failure says why. */
function clusterState(c: ClusterFact): string {
  return c.status === 'failed' && c.error ? `failed: ${c.error}` : clusterStatusWords(c.status);
}

const NO_CLUSTER: TargetChoice = {
  label: 'Slurm cluster', description: 'none configured — add one with HPC Jobs: Add Cluster…',
  icon: 'cloud', disabled: true, target: { kind: 'slurm-script', cluster: '' },
};

const TERMINAL: TargetChoice = {
  label: 'Terminal', description: 'one process you can type into', icon: 'terminal', target: { kind: 'terminal' },
  detail: 'For a program that reads input: it runs once, in a terminal of its own',
};

/** The pick's items for a file of `kind`, in the order shown. */
export function targetChoices(kind: FileKind, d: Detected, options: ChoiceOptions): TargetChoice[] {
  const tasks: TargetChoice = {
    label: 'Task array', icon: 'list-ordered', target: { kind: 'tasks' },
    description: `${options.tasks.count} ${options.tasks.count === 1 ? 'copy' : 'copies'}, ${options.tasks.parallel} at once`,
    detail: 'The file once per task, with SLURM_ARRAY_TASK_ID and HPC_TASK_ID set',
  };
  switch (kind) {
    case 'python': return [
      {
        label: 'Worker pool', description: plural(d.cores, 'core'), icon: 'server-process', target: { kind: 'pool' },
        detail: 'One Python process; its multiprocessing.Pool sizes itself from HPC_JOBS_WORKERS',
      },
      tasks,
      mpiChoice(d.mpi),
      gpuChoice(d.gpus, options.useSimulator),
      TERMINAL,
      ...clusterChoices(d.clusters, (cluster) => ({ kind: 'slurm-python', cluster }), 'Uploads the file and submits a batch script that runs it'),
    ];
    case 'batch': return [
      {
        label: 'Run batch script locally', description: 'here, as Slurm would run it', icon: 'play', target: { kind: 'sbatch-local' },
        detail: 'The #SBATCH lines set SLURM_* variables, --output files, --array and --time',
      },
      ...clusterChoices(d.clusters, (cluster) => ({ kind: 'slurm-script', cluster }), 'Submits the script as it is (linted first)'),
    ];
    case 'shell': return [tasks, TERMINAL];
    case 'other': return [];
  }
}

function mpiChoice(mpi: Detection<MpiFound>): TargetChoice {
  const base = { label: 'MPI', icon: 'type-hierarchy', target: { kind: 'mpi' } as const };
  switch (mpi.state) {
    case 'pending': return { ...base, description: DETECTING };
    case 'found': return { ...base, description: mpi.value.name, detail: `${mpi.value.path}: one process per rank, output per rank` };
    case 'missing': return { ...base, description: mpi.reason, disabled: true };
  }
}

function gpuChoice(gpus: Detection<readonly GpuFound[]>, useSimulator: SimulatorSetting): TargetChoice {
  const base = { label: 'GPU', icon: 'circuit-board', target: { kind: 'gpu' } as const };
  if (gpus.state === 'pending') return { ...base, description: DETECTING };
  if (gpus.state === 'found' && gpus.value.length > 0) {
    return { ...base, description: gpuSummary(gpus.value), detail: 'One process per GPU (CUDA_VISIBLE_DEVICES), utilisation sampled' };
  }
  if (useSimulator === 'never') return { ...base, description: 'none found — the CUDA simulator is off (hpcJobs.gpu.useSimulator)', disabled: true };
  return { ...base, description: 'none found (simulator available)', detail: 'numba\'s CUDA simulator runs @cuda.jit kernels on the CPU' };
}

function clusterChoices(clusters: readonly ClusterFact[], target: (cluster: string) => RunTarget, detail: string): TargetChoice[] {
  if (clusters.length === 0) return [NO_CLUSTER];
  return clusters.map((c) => ({ label: `Slurm: ${c.name}`, description: clusterState(c), detail, icon: 'cloud-upload', target: target(c.name) }));
}
