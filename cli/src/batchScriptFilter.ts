/**
 * `hpc-jobs lint --skip-non-batch`: pre-commit and CI hand over every shell script, but only
 * batch scripts are sbatch's business. The editor's rule: a `*.slurm`/`*.sbatch` file always is
 * one; any other file only when it holds `#SBATCH` lines (or look-alikes).
 */
import { hasDirectives } from '../../server/src/documentAnalyses';
import { analyzeScript } from '../../server/src/lint';

const BATCH_NAME = /\.(slurm|sbatch)$/i;

export function isBatchScript(file: string, text: string): boolean {
  return BATCH_NAME.test(file) || hasDirectives(analyzeScript(text));
}
