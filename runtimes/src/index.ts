/**
 * The runtimes' public face for local runs: launch a spec on this machine, get a RunHandle, and
 * what the editor and the CLI need around it. With runtime.ts, runSpec.ts, request/ and
 * slurm/index.ts, the only runtimes modules extension/ and cli/ may import (eslint.config.mjs).
 */
import { launchGpu } from './gpuLauncher';
import type { LocalRun } from './localRun';
import { launchMpi } from './mpiLauncher';
import { launchPool, launchTasks } from './poolLauncher';
import type { LocalRunSpec } from './runSpec';
import { launchSbatchLocal } from './sbatchLocal';

export * from './runtime';
export type { Disposable, Event } from './events';
export type { GpuSpec, LocalRunSpec, MpiSpec, PoolSpec, SbatchLocalSpec, TasksSpec } from './runSpec';
export { MAX_PROCESSES, MAX_TASKS } from './runSpec';
export { LocalRun, RUN_MARKER } from './localRun';
export { resolvePython, checkModule, type PythonInfo } from './pythonInterpreter';
export { findMpirun, importsMpi4py, type MpiLauncher } from './mpiLauncher';
export { queryGpus, parseGpuQuery, type GpuInfo, type GpuQuery } from './nvidiaSmi';
export { loadPty } from './ptyLoader';
export { exitCodeOf } from './runSummary';
export { defaultLogDir } from './runLog';
export { recordedEnd } from './staleRuns';
export { linePrefix } from './outputTags';
export { BoundedReadError, readRegularFile } from './boundedRead';
export { LinePacker, packedCount, packedText, sameSource, slicePacked, type PackedLines } from './packedLines';
export { RunHost } from './runHost/runHost';
export { usageBadge, type RunUsage } from './runUsage';
export { minuteMs } from './sbatchLocal';

/**
 * Checks the spec (interpreter, launcher, GPUs, script) and starts the run. Throws a
 * LaunchError, with nothing left running, when it cannot start.
 */
export function launchLocal(spec: LocalRunSpec): Promise<LocalRun> {
  switch (spec.backend) {
    case 'pool': return launchPool(spec);
    case 'tasks': return launchTasks(spec);
    case 'mpi': return launchMpi(spec);
    case 'gpu': return launchGpu(spec);
    case 'sbatch-local': return launchSbatchLocal(spec);
  }
}
