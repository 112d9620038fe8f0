/**
 * The `hpc` task type (package.json `taskDefinitions`): the tasks offered for a file, their
 * labels, and the RunRequest a definition from tasks.json starts — checked first, so a wrong
 * definition is told in the terminal and starts nothing. Pure (no `vscode`): tested in Node.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { importsMpi4py, type LocalRunSpec } from '../../../runtimes/src/index';
import { clusterRequest } from '../../../runtimes/src/request/clusterRequest';
import { countLimit, countProblem, type CountKind } from '../../../runtimes/src/request/counts';
import type { RunRequest } from '../jobs/jobEntry';
import { fileKindOf } from '../run/runTargets';

export const TASK_TYPE = 'hpc';
export const TASK_BACKENDS = ['pool', 'tasks', 'mpi', 'gpu', 'sbatch-local', 'slurm'] as const;
export type TaskBackend = typeof TASK_BACKENDS[number];

/** Ranks the offered MPI task asks for (tasks.json can say otherwise). */
export const OFFERED_RANKS = 4;

export interface HpcTaskDefinition {
  readonly type: typeof TASK_TYPE;
  readonly backend: TaskBackend;
  /** Relative to the workspace folder, or absolute. */
  readonly file: string;
  readonly args?: readonly string[];
  readonly workers?: number;
  readonly tasks?: number;
  readonly parallel?: number;
  readonly ranks?: number;
  readonly gpus?: number;
  readonly cluster?: string;
}

type CountField = 'workers' | 'tasks' | 'parallel' | 'ranks' | 'gpus';

/** Which backends each count means something to, and what it counts (its limit and wording). */
const COUNTS: Record<CountField, { readonly backends: readonly TaskBackend[]; readonly kind: CountKind }> = {
  workers: { backends: ['pool'], kind: 'workers' },
  tasks: { backends: ['tasks'], kind: 'tasks' },
  parallel: { backends: ['tasks'], kind: 'parallel' },
  ranks: { backends: ['mpi', 'slurm'], kind: 'ranks' },
  gpus: { backends: ['gpu', 'slurm'], kind: 'gpus' },
};

/** What the settings add to a run; read by the caller, so this stays pure. */
export interface TaskSettings {
  /** Interpreter for local Python runs. */
  readonly python?: string;
  readonly mpirun?: string;
  readonly rankOutput?: 'files' | 'tags';
  /** `hpcJobs.gpu.useSimulator` is "always". */
  readonly cudaSim?: boolean;
}

export interface TaskContext {
  /** The task's workspace folder: relative files are found there, and local runs start there. */
  readonly folder: string;
  /** Names in `hpcJobs.clusters`. */
  readonly clusters: readonly string[];
  readonly settings: TaskSettings;
}

export type TaskRequest =
  | { readonly ok: true; readonly request: RunRequest; readonly file: string; /** taskLabel of the definition. */ readonly label: string }
  | { readonly ok: false; readonly message: string };

/** "pool: distributed.py", "mpi (4 ranks): pythonMPI.py", "run locally: job_MPI.slurm". */
export function taskLabel(def: Pick<HpcTaskDefinition, 'backend' | 'file'> & Partial<HpcTaskDefinition>): string {
  const name = path.basename(def.file);
  const n = (count: number | undefined, one: string, many: string) => (count === undefined ? '' : ` (${count} ${count === 1 ? one : many})`);
  switch (def.backend) {
    case 'pool': return `pool${n(def.workers, 'worker', 'workers')}: ${name}`;
    case 'tasks': return `tasks${n(def.tasks, 'task', 'tasks')}: ${name}`;
    case 'mpi': return `mpi${n(def.ranks, 'rank', 'ranks')}: ${name}`;
    case 'gpu': return `gpu${n(def.gpus, 'GPU', 'GPUs')}: ${name}`;
    case 'sbatch-local': return `run locally: ${name}`;
    case 'slurm': return `submit to ${def.cluster ?? '?'}: ${name}`;
  }
}

/**
 * The tasks offered for one file (`relative` to its workspace folder): a Python file as a pool,
 * as MPI ranks when it imports mpi4py, on GPUs when it mentions CUDA (numba.cuda,
 * target='cuda', torch.cuda); a batch script run here; either submitted to each cluster.
 */
export function offeredDefinitions(relative: string, text: string, clusters: readonly string[]): HpcTaskDefinition[] {
  const file = relative.split(path.sep).join('/');
  const kind = fileKindOf(file, text);
  const defs: HpcTaskDefinition[] = [];
  if (kind === 'python') {
    defs.push({ type: TASK_TYPE, backend: 'pool', file });
    if (importsMpi4py(text)) defs.push({ type: TASK_TYPE, backend: 'mpi', file, ranks: OFFERED_RANKS });
    if (/\bcuda\b/i.test(text)) defs.push({ type: TASK_TYPE, backend: 'gpu', file });
  } else if (kind === 'batch') {
    defs.push({ type: TASK_TYPE, backend: 'sbatch-local', file });
  } else {
    return [];
  }
  for (const cluster of clusters) defs.push({ type: TASK_TYPE, backend: 'slurm', file, cluster });
  return defs;
}

/** Checks a definition as tasks.json gives it (anything may be missing or of the wrong type). */
export function requestFromDefinition(def: Readonly<Record<string, unknown>>, ctx: TaskContext): TaskRequest {
  const fail = (message: string): TaskRequest => ({ ok: false, message });
  const backend = def.backend;
  if (typeof backend !== 'string' || !(TASK_BACKENDS as readonly string[]).includes(backend)) {
    return fail(`"backend" must be one of ${TASK_BACKENDS.join(', ')}${backend === undefined ? '' : `, not ${JSON.stringify(backend)}`}.`);
  }
  const b = backend as TaskBackend;
  if (typeof def.file !== 'string' || def.file.trim() === '') return fail('"file" must name the program or batch script to run.');
  const file = path.resolve(ctx.folder, def.file);
  let isFile = false;
  try { isFile = fs.statSync(file).isFile(); } catch { /* reported below */ }
  if (!isFile) return fail(`"file": ${file} is not a file.`);

  const args = def.args;
  if (args !== undefined && (!Array.isArray(args) || args.some((a) => typeof a !== 'string'))) {
    return fail('"args" must be a list of strings.');
  }
  const counts: Partial<Record<CountField, number>> = {};
  for (const [field, rule] of Object.entries(COUNTS) as [CountField, typeof COUNTS[CountField]][]) {
    const v = def[field];
    if (v === undefined) continue;
    if (!rule.backends.includes(b)) return fail(`"${field}" does not apply to the ${b} backend (it is for ${rule.backends.join(' and ')}).`);
    const problem = countProblem(v, countLimit(rule.kind), `"${field}"`);
    if (problem !== undefined) return fail(problem);
    counts[field] = v as number;
  }
  if (def.cluster !== undefined && b !== 'slurm') return fail(`"cluster" is for the slurm backend, not ${b}.`);

  const programArgs = (args as string[] | undefined) ?? [];
  if (b === 'slurm') return slurmRequest(def.cluster, file, programArgs, counts, ctx);
  const label = taskLabel({ backend: b, file, ...counts, ...(b === 'mpi' && counts.ranks === undefined ? { ranks: OFFERED_RANKS } : {}) });

  const s = ctx.settings;
  const common = { cwd: ctx.folder, ...(s.python ? { python: s.python } : {}) };
  const program = { program: file, ...(programArgs.length ? { args: programArgs } : {}) };
  let spec: LocalRunSpec;
  switch (b) {
    case 'pool': spec = { backend: b, ...common, ...program, ...(counts.workers ? { workers: counts.workers } : {}) }; break;
    case 'tasks':
      if (counts.tasks === undefined) return fail('the tasks backend needs "tasks": how many times to run the program.');
      spec = { backend: b, ...common, ...program, tasks: counts.tasks, ...(counts.parallel ? { parallel: counts.parallel } : {}) };
      break;
    case 'mpi':
      spec = {
        backend: b, ...common, ...program, ranks: counts.ranks ?? OFFERED_RANKS,
        ...(s.mpirun ? { mpirun: s.mpirun } : {}), ...(s.rankOutput ? { rankOutput: s.rankOutput } : {}),
      };
      break;
    case 'gpu': spec = { backend: b, ...common, ...program, ...(counts.gpus ? { gpus: counts.gpus } : {}), ...(s.cudaSim ? { cudaSim: true } : {}) }; break;
    case 'sbatch-local': spec = { backend: b, ...common, script: file, ...(programArgs.length ? { args: programArgs } : {}) }; break;
  }
  return { ok: true, request: { target: 'local', spec }, file, label };
}

function slurmRequest(cluster: unknown, file: string, args: readonly string[], counts: Partial<Record<CountField, number>>, ctx: TaskContext): TaskRequest {
  if (typeof cluster !== 'string' || cluster === '') {
    return { ok: false, message: `the slurm backend needs "cluster": one of the clusters in hpcJobs.clusters${known(ctx.clusters)}.` };
  }
  if (!ctx.clusters.includes(cluster)) return { ok: false, message: `there is no cluster named "${cluster}" in hpcJobs.clusters${known(ctx.clusters)}.` };
  const label = taskLabel({ backend: 'slurm', file, cluster });
  const job = {
    ...(counts.ranks ? { ntasks: counts.ranks } : {}),
    ...(counts.gpus ? { gpus: counts.gpus } : {}),
    ...(args.length ? { args } : {}),
  };
  // A Python program, or a batch script (a .py file with #! and #SBATCH lines too), as the Run command decides.
  const request = clusterRequest(cluster, file, job);
  if (request.target === 'slurm-python') return { ok: true, request, file, label };
  for (const field of ['ranks', 'gpus'] as const) {
    if (counts[field] !== undefined) return { ok: false, message: `"${field}" does not apply to a batch script: its #SBATCH lines decide.` };
  }
  if (args.length) return { ok: false, message: '"args" does not apply to a batch script submitted to a cluster.' };
  return { ok: true, request, file, label };
}

function known(clusters: readonly string[]): string {
  return clusters.length ? ` (${clusters.map((c) => `"${c}"`).join(', ')})` : ' (none is configured: HPC Jobs: Add Cluster…)';
}
