/**
 * What sending a file to a cluster means, decided as the editor's targets decide it (fileKind):
 * a Python program goes up with a generated batch script; anything else is a batch script,
 * submitted as it is — a `.py` file with a #! line and #SBATCH lines included, since sbatch
 * reads its directives and runs it with its interpreter.
 */
import { readRegularFile } from '../boundedRead';
import type { PythonJobSpec } from '../slurm/pythonJob';
import { fileKind } from './fileKind';
import type { PythonRequest, ScriptRequest } from './runRequest';

/** A Python file larger than this is a program (no batch script is that big: sbatch takes 4 MiB). */
const MAX_SCRIPT_BYTES = 4 * 1024 * 1024;

/**
 * `text`: the file as the editor has it (unsaved changes included); else a .py file is read
 * here, bounded, and one that cannot be read stays a program (its submission says why).
 */
export function clusterRequest(cluster: string, file: string, job: PythonJobSpec = {},
  sbatchOptions: readonly string[] = [], text = pythonText(file)): ScriptRequest | PythonRequest {
  const options = sbatchOptions.length ? { sbatchOptions } : {};
  return fileKind(file, text) === 'python'
    ? { target: 'slurm-python', cluster, program: file, job, ...options }
    : { target: 'slurm', cluster, script: file, ...options };
}

function pythonText(file: string): string {
  if (!/\.py$/i.test(file)) return '';
  try {
    return readRegularFile(file, MAX_SCRIPT_BYTES).toString('utf8');
  } catch {
    return '';
  }
}
