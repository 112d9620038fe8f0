/** The runtimes' public face: launch a spec on this machine, get a RunHandle. */
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
export { findMpirun, type MpiLauncher } from './mpiLauncher';
export { queryGpus, parseGpuQuery, type GpuInfo } from './nvidiaSmi';
export { loadPty } from './ptyLoader';
export { exitCodeOf } from './runSummary';
export { defaultLogDir } from './runLog';
export { linePrefix } from './outputTags';

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
