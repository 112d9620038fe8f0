/**
 * What a front end asks to run: a program or batch script on this machine, a batch script on a
 * cluster as it is, or a Python file on a cluster with a generated script. Plain data: the Jobs
 * view keeps it with the entry, so Resubmit and Run Again repeat it exactly.
 */
import type { LocalRunSpec } from '../runSpec';
import type { PythonJobSpec } from '../slurm/pythonJob';

/** A run on this machine through one of the local backends. */
export interface LocalRequest {
  readonly target: 'local';
  readonly spec: LocalRunSpec;
}

/** A batch script (a local file) submitted to a cluster as it is. */
export interface ScriptRequest {
  readonly target: 'slurm';
  readonly cluster: string;
  readonly script: string;
  /** sbatch options for the command line; they override the script's #SBATCH lines. */
  readonly sbatchOptions?: readonly string[];
}

/** A Python file uploaded to a cluster and run by a generated batch script. */
export interface PythonRequest {
  readonly target: 'slurm-python';
  readonly cluster: string;
  readonly program: string;
  readonly job: PythonJobSpec;
  /** sbatch options for the command line; they override the generated script's #SBATCH lines. */
  readonly sbatchOptions?: readonly string[];
}

export type RunRequest = LocalRequest | ScriptRequest | PythonRequest;

/** The local file a request runs (program or script). */
export function requestFile(request: RunRequest): string {
  switch (request.target) {
    case 'local': return request.spec.backend === 'sbatch-local' ? request.spec.script : request.spec.program;
    case 'slurm': return request.script;
    case 'slurm-python': return request.program;
  }
}
