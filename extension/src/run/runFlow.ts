/**
 * The questions of "Run in Parallel…", in order: where and how (the target pick), then how many
 * (workers, ranks, tasks, GPUs — prefilled with this file's last answer), or the sbatch options
 * for a Python file on a cluster; a terminal run asks nothing more. Escape at any step ends the
 * flow with nothing started.
 * Every question goes through the Prompter, with a stable id for tests.
 */
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { importsMpi4py } from '../../../runtimes/src/index';
import { defaultJobOptions, formatJobOptions, JOB_OPTION_NAMES, parseJobOptions } from '../../../runtimes/src/request/pythonJobOptions';
import type { LocalRunSpec } from '../../../runtimes/src/runSpec';
import type { RunRequest } from '../jobs/jobEntry';
import { settingId } from '../settings/settingTable';
import type { Prompter } from '../ui/prompter';
import type { FailureReport } from './launchFailure';
import { countLimits, defaultCount, parseCount, validateCount, type CountKind, type CountLimits } from './runCounts';
import type { RunDetection } from './runDetection';
import type { RunMemory } from './runMemory';
import type { ClusterFact } from '../clusters/clusterStatus';
import { targetChoices, type Detected, type FileKind, type RunTarget, type SimulatorSetting } from './runTargets';
import { terminalSpec } from './terminalTarget';

export interface RunSettings {
  readonly useSimulator: SimulatorSetting;
  /** `hpcJobs.mpi.launcher`; empty: the first on PATH. */
  readonly mpiLauncher: string;
  readonly rankOutput: 'files' | 'tags';
}

export interface RunFlowContext {
  readonly prompter: Prompter;
  /** Absolute path of the file to run. */
  readonly file: string;
  readonly kind: FileKind;
  readonly text: string;
  readonly detection: RunDetection;
  readonly clusters: readonly ClusterFact[];
  readonly memory: RunMemory;
  readonly settings: RunSettings;
  /** The interpreter for local Python runs and batch scripts' $PYTHON (asked only when one is needed). */
  readonly python: () => Promise<string>;
  /** "Always Use Simulator": sets hpcJobs.gpu.useSimulator to always. */
  readonly alwaysSimulate: () => Thenable<void>;
}

/** What the person chose, or why it cannot run (before anything started). Undefined: dismissed. */
export type FlowOutcome = { readonly request: RunRequest } | { readonly failure: FailureReport } | undefined;

export async function askRunRequest(ctx: RunFlowContext): Promise<FlowOutcome> {
  const name = path.basename(ctx.file);
  const cores = availableParallelism();
  const detected: Detected = {
    cores,
    // Only Python files can use MPI or GPUs: nothing is looked for otherwise.
    ...(ctx.kind === 'python' ? await ctx.detection.snapshot() : { mpi: { state: 'pending' }, gpus: { state: 'pending' } }),
    clusters: ctx.clusters,
  };
  const tasks = {
    count: ctx.memory.count(ctx.file, 'tasks') ?? defaultCount('tasks', cores),
    parallel: ctx.memory.count(ctx.file, 'parallel') ?? defaultCount('parallel', cores),
  };
  const choices = targetChoices(ctx.kind, detected, { useSimulator: ctx.settings.useSimulator, tasks });
  const title = `Run ${name}`;
  const target = await ctx.prompter.pick<RunTarget>('run.target', choices.map((c) => ({
    label: c.label, value: c.target, icon: c.icon,
    ...(c.description ? { description: c.description } : {}),
    ...(c.detail ? { detail: c.detail } : {}),
    ...(c.disabled ? { disabled: true } : {}),
  })), { title, placeholder: 'Where and how to run it', step: 1, totalSteps: ctx.kind === 'batch' ? 1 : ctx.kind === 'shell' ? 3 : 2 });
  if (!target) return undefined;

  const program = { program: ctx.file, args: [] as string[], cwd: path.dirname(ctx.file) };
  const local = async (spec: LocalRunSpec): Promise<FlowOutcome> => {
    // A batch script gets it too, as $PYTHON: scripts say "${PYTHON:-python3}" to be told which one.
    const withPython = ctx.kind === 'python' || spec.backend === 'sbatch-local' ? { ...spec, python: await ctx.python() } : spec;
    return { request: { target: 'local', spec: withPython } };
  };
  const ask = (kind: CountKind, id: string, prompt: string, step: number, totalSteps: number, gpusFound?: number) =>
    askCount(ctx, { kind, id, title, prompt, step, totalSteps, limits: countLimits(kind, gpusFound), fallback: defaultCount(kind, cores, gpusFound) });

  switch (target.kind) {
    case 'pool': {
      const workers = await ask('workers', 'run.count', `Workers in the pool (HPC_JOBS_WORKERS); this machine has ${cores} core${cores === 1 ? '' : 's'}`, 2, 2);
      return workers === undefined ? undefined : local({ backend: 'pool', ...program, workers });
    }
    case 'tasks': {
      const count = await ask('tasks', 'run.count', 'How many tasks? Each runs the file with its own SLURM_ARRAY_TASK_ID (0, 1, …)', 2, 3);
      if (count === undefined) return undefined;
      const parallel = await ask('parallel', 'run.parallel', `How many at once? This machine has ${cores} core${cores === 1 ? '' : 's'}`, 3, 3);
      return parallel === undefined ? undefined : local({ backend: 'tasks', ...program, tasks: count, parallel });
    }
    case 'mpi': {
      const mpi = await ctx.detection.mpi();
      if (mpi.state !== 'found') {
        return { failure: { text: `Cannot run ${name} with MPI: ${mpi.state === 'missing' ? mpi.reason : 'no MPI launcher'}.`, setting: settingId('mpi.launcher') } };
      }
      const ranks = await ask('ranks', 'run.count', `MPI ranks (${mpi.value.name}); more than the ${cores} core${cores === 1 ? '' : 's'} here run oversubscribed`, 2, 2);
      if (ranks === undefined) return undefined;
      return local({
        backend: 'mpi', ...program, ranks, rankOutput: ctx.settings.rankOutput,
        ...(ctx.settings.mpiLauncher ? { mpirun: ctx.settings.mpiLauncher } : {}),
      });
    }
    case 'gpu': {
      const gpus = await ctx.detection.gpus();
      if (gpus.state === 'found') {
        const n = await ask('gpus', 'run.count', `GPUs, one process each (${gpus.value.length} here)`, 2, 2, gpus.value.length);
        return n === undefined ? undefined : local({ backend: 'gpu', ...program, gpus: n });
      }
      const reason = gpus.state === 'missing' ? gpus.reason : 'no answer from nvidia-smi';
      const simulate = await simulatorChoice(ctx, name, reason);
      if (simulate !== true) return simulate === false ? undefined : simulate;
      const n = await ask('gpus', 'run.count', 'Simulated GPUs, one process each (numba CUDA simulator, on the CPU)', 2, 2);
      return n === undefined ? undefined : local({ backend: 'gpu', ...program, gpus: n, cudaSim: true });
    }
    case 'terminal':
      return local(terminalSpec(program));
    case 'sbatch-local':
      return local({ backend: 'sbatch-local', script: ctx.file, cwd: path.dirname(ctx.file) });
    case 'slurm-script':
      return { request: { target: 'slurm', cluster: target.cluster, script: ctx.file } };
    case 'slurm-python': {
      const job = await askDirectives(ctx, `Run ${name} on ${target.cluster}`);
      return job === undefined ? undefined : { request: { target: 'slurm-python', cluster: target.cluster, program: ctx.file, job } };
    }
  }
}

interface CountQuestion {
  readonly kind: CountKind;
  readonly id: string;
  readonly title: string;
  readonly prompt: string;
  readonly step: number;
  readonly totalSteps: number;
  readonly limits: CountLimits;
  readonly fallback: number;
}

/** One count, prefilled with this file's last answer; the answer is remembered. */
async function askCount(ctx: RunFlowContext, q: CountQuestion): Promise<number | undefined> {
  const last = ctx.memory.count(ctx.file, q.kind);
  const answer = await ctx.prompter.input(q.id, {
    title: q.title, prompt: q.prompt, value: String(last ?? q.fallback), step: q.step, totalSteps: q.totalSteps,
    validate: (v) => validateCount(v, q.limits),
  });
  if (answer === undefined || validateCount(answer, q.limits) !== undefined) return undefined;
  const n = parseCount(answer);
  await ctx.memory.rememberCount(ctx.file, q.kind, n);
  return n;
}

/** true: simulate; false: dismissed; a failure: the setting forbids it. */
async function simulatorChoice(ctx: RunFlowContext, name: string, reason: string): Promise<true | false | FlowOutcome> {
  switch (ctx.settings.useSimulator) {
    case 'always': return true;
    case 'never': return { failure: { text: `No NVIDIA GPU found here (${reason}), and the CUDA simulator is off.`, setting: settingId('gpu.useSimulator') } };
    case 'ask': {
      const USE = 'Use Simulator';
      const ALWAYS = 'Always Use Simulator';
      const choice = await ctx.prompter.message('run.gpuSimulator',
        `No NVIDIA GPU found here (${reason}). Run ${name} on numba's CUDA simulator instead?`,
        { severity: 'warning', modal: true, detail: 'The simulator runs @cuda.jit kernels on the CPU, slowly; @vectorize(target="cuda") does not run on it.' },
        USE, ALWAYS);
      if (choice === ALWAYS) await ctx.alwaysSimulate();
      return choice === USE || choice === ALWAYS;
    }
  }
}

/** The sbatch options for a Python file on a cluster, prefilled with the last ones. */
async function askDirectives(ctx: RunFlowContext, title: string) {
  const prefill = ctx.memory.directives(ctx.file) ?? formatJobOptions(defaultJobOptions(importsMpi4py(ctx.text)));
  const answer = await ctx.prompter.input('run.directives', {
    title, step: 2, totalSteps: 2, value: prefill,
    prompt: `sbatch options for the job (${JOB_OPTION_NAMES.join(' ')}); the generated script is checked before it is sent`,
    validate: (v) => parseJobOptions(v).error,
  });
  if (answer === undefined) return undefined;
  const parsed = parseJobOptions(answer);
  if (!parsed.spec) return undefined;
  await ctx.memory.rememberDirectives(ctx.file, answer.trim());
  return parsed.spec;
}
