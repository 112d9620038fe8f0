/**
 * What a file is to HPC Jobs, decided in one place for every front end (Run in Parallel,
 * tasks.json, the CLI): a batch script, a Python program, a shell script, or something else.
 *
 * sbatch runs any script with a shebang and reads its #SBATCH lines, so a file with a shebang
 * and directives is a batch script whatever its name (`train.py` with `#!/usr/bin/env python3`
 * and `#SBATCH` lines included). A shell script's near-miss directives count too (it is meant as
 * a batch script, and the linter says what is wrong); a Python file needs real ones, since its
 * comments are prose.
 */
import { parseScript } from '../../../server/src/parser/scriptParser';

export type FileKind = 'python' | 'batch' | 'shell' | 'other';

export function fileKind(fileName: string, text: string): FileKind {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.slurm') || lower.endsWith('.sbatch')) return 'batch';
  const shell = lower.endsWith('.sh') || lower.endsWith('.bash');
  const python = lower.endsWith('.py');
  if (shell || text.startsWith('#!')) {
    const script = parseScript(text);
    if (script.directives.length > 0 || (!python && script.ignored.length > 0)) return 'batch';
  }
  return python ? 'python' : shell ? 'shell' : 'other';
}
