/**
 * Starts what a request describes, for every front end that keeps a list of its runs: a local
 * run through the launcher it is given (the editor's runs in a worker thread), a Slurm job
 * through the cluster. Resolves with the handle and what names it (the run's or the job's id);
 * rejects with a LaunchError or TransportError, nothing left behind, when it cannot start.
 */
import type { RunHandle } from '../runtime';
import type { LocalRunSpec } from '../runSpec';
import type { SlurmCluster } from '../slurm/slurmCluster';
import { requestFile, type RunRequest } from './runRequest';

export interface StartDeps {
  launchLocal(spec: LocalRunSpec): Promise<RunHandle>;
  cluster(name: string): SlurmCluster;
  /** Where local runs write their folders, unless the request names one. */
  readonly logDir?: string;
}

export type StartedRun =
  | { readonly where: 'local'; readonly handle: RunHandle }
  | { readonly where: 'slurm'; readonly cluster: string; readonly jobId: string; readonly handle: RunHandle };

export async function startRequest(request: RunRequest, deps: StartDeps): Promise<StartedRun> {
  if (request.target === 'local') {
    const spec = deps.logDir && !request.spec.logDir ? { ...request.spec, logDir: deps.logDir } : request.spec;
    return { where: 'local', handle: await deps.launchLocal(spec) };
  }
  const cluster = deps.cluster(request.cluster);
  const file = requestFile(request);
  const submitted = request.target === 'slurm'
    ? await cluster.submitScript(file, request.sbatchOptions ? { sbatchOptions: request.sbatchOptions } : {})
    : await cluster.submitPython(file, request.job);
  return { where: 'slurm', cluster: request.cluster, jobId: submitted.jobId, handle: submitted.job };
}
