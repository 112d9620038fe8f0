/**
 * Starts what a request describes, for every front end (the editor's commands, tasks.json,
 * Resubmit, `hpc-jobs run` and `submit`): a local run through the launcher it is given (the
 * editor's runs in a worker thread, the CLI's in its own process), a Slurm job through the
 * cluster. Resolves with the handle and what names it (the run's or the job's id); rejects with
 * a LaunchError or TransportError, nothing left behind, when it cannot start.
 */
import { LaunchError, type RunHandle } from '../runtime';
import type { LocalRunSpec } from '../runSpec';
import type { SubmitOptions } from '../slurm/batchSubmit';
import type { SlurmCluster, SubmittedJob } from '../slurm/slurmCluster';
import { requestFile, type LocalRequest, type PythonRequest, type RunRequest, type ScriptRequest } from './runRequest';

/** `L`: the handle the front end's launcher gives (the CLI's LocalRun, with its back-pressure). */
export interface StartDeps<L extends RunHandle = RunHandle> {
  /** Each front end starts the requests it makes: `hpc-jobs submit` has no local launcher, `run` no cluster. */
  launchLocal?(spec: LocalRunSpec): Promise<L>;
  /** The cluster of that name. */
  cluster?(name: string): SlurmCluster;
  /** Where local runs write their folders, unless the request names one. */
  readonly logDir?: string;
  /**
   * How this front end submits (lint or not, the work folder, following the output files): not
   * part of the request, so not repeated by Resubmit. The request's sbatch options win.
   */
  readonly submit?: Omit<SubmitOptions, 'sbatchOptions'>;
}

export type StartedRun<L extends RunHandle = RunHandle> =
  | { readonly where: 'local'; readonly handle: L }
  | {
    readonly where: 'slurm'; readonly cluster: string; readonly jobId: string; readonly handle: RunHandle;
    /** What the submission said: the lint's findings, the script's path on the cluster, the job. */
    readonly submitted: SubmittedJob;
  };

export function startRequest<L extends RunHandle = RunHandle>(request: LocalRequest, deps: StartDeps<L>): Promise<StartedRun<L> & { where: 'local' }>;
export function startRequest<L extends RunHandle = RunHandle>(request: ScriptRequest | PythonRequest, deps: StartDeps<L>): Promise<StartedRun<L> & { where: 'slurm' }>;
export function startRequest<L extends RunHandle = RunHandle>(request: RunRequest, deps: StartDeps<L>): Promise<StartedRun<L>>;
export async function startRequest<L extends RunHandle = RunHandle>(request: RunRequest, deps: StartDeps<L>): Promise<StartedRun<L>> {
  if (request.target === 'local') {
    const spec = deps.logDir && !request.spec.logDir ? { ...request.spec, logDir: deps.logDir } : request.spec;
    if (!deps.launchLocal) throw new LaunchError('This starts no run on this machine: only jobs on a cluster.');
    return { where: 'local', handle: await deps.launchLocal(spec) };
  }
  if (!deps.cluster) throw new LaunchError(`This submits to no cluster ("${request.cluster}"): it starts runs on this machine only.`);
  const cluster = deps.cluster(request.cluster);
  const file = requestFile(request);
  const options: SubmitOptions = { ...deps.submit, ...(request.sbatchOptions ? { sbatchOptions: request.sbatchOptions } : {}) };
  const submitted = request.target === 'slurm'
    ? await cluster.submitScript(file, options)
    : await cluster.submitPython(file, request.job, options);
  return { where: 'slurm', cluster: request.cluster, jobId: submitted.jobId, handle: submitted.job, submitted };
}
