/**
 * Traps that show only when directives and the script body are read together: a launcher
 * asking for more ranks than were allocated, CPUs per task that nothing passes on, output
 * folders Slurm will not create.
 */
import * as path from 'node:path';
import { effectiveOptions, intValue } from '../parser/effectiveOptions';
import type { Rule } from './ruleContext';
import { lineRange, valueRange } from './ruleContext';

interface LaunchCount { readonly tool: string; readonly count: number; readonly start: number; readonly end: number }

/** Finds `mpirun -n 20`, `mpiexec -np 4`, `srun -n4`, `srun --ntasks=8` with a literal count. */
export function findLaunchCount(code: string): LaunchCount | undefined {
  const launcher = /(?:^|[\s;&|(])(mpirun|mpiexec|srun)(?=\s)/.exec(code);
  if (!launcher) return undefined;
  const words = [...code.slice(launcher.index + launcher[0].length).matchAll(/\S+/g)];
  const offset = launcher.index + launcher[0].length;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]![0];
    if (/^(;|&&|\|\|?)$/.test(w)) break;
    const at = offset + words[i]!.index!;
    const attached = /^(-n|-np|--np=|--ntasks=|-n=)(\d+)$/.exec(w);
    if (attached) return { tool: launcher[1]!, count: Number(attached[2]), start: at + attached[1]!.length, end: at + w.length };
    // A count from a variable (`-n$SLURM_NTASKS`, as the quick fix writes it): not a literal,
    // and the words after it are the program's, whose own -n must not be read as the launcher's.
    if (/^(-n|-np|--np=|--ntasks=|-n=)[$"'`]/.test(w)) return undefined;
    if (/^(-n|-np|--np|--ntasks)$/.test(w)) {
      const next = words[i + 1];
      if (next && /^\d+$/.test(next[0])) {
        const nat = offset + next.index!;
        return { tool: launcher[1]!, count: Number(next[0]), start: nat, end: nat + next[0].length };
      }
      return undefined;
    }
    if (!w.startsWith('-')) {
      // the program to run: flags after it are the program's own
      const prev = words[i - 1]?.[0];
      if (!prev || !/^-/.test(prev) || /=/.test(prev)) break;
    }
  }
  return undefined;
}

function bodyLines(lines: readonly string[], from: number | undefined): Array<[number, string]> {
  if (from === undefined) return [];
  const out: Array<[number, string]> = [];
  for (let i = from; i < lines.length; i++) {
    const code = lines[i]!.replace(/(^|\s)#.*$/, '');
    if (code.trim()) out.push([i, code]);
  }
  return out;
}

export const checkLauncherTasks: Rule = (ctx) => {
  const eff = effectiveOptions(ctx.reading);
  const ntasks = intValue(eff.get('ntasks'));
  const nodes = intValue(eff.get('nodes'));
  const perNode = intValue(eff.get('ntasks-per-node'));
  const allocated = ntasks ?? (perNode !== undefined ? perNode * (nodes ?? 1) : nodes ?? 1);
  const how = ntasks !== undefined ? `--ntasks=${ntasks}` : perNode !== undefined ? `--ntasks-per-node=${perNode}${nodes ? ` × ${nodes} node(s)` : ''}` : 'no --ntasks (Slurm allocates 1 task per node)';
  for (const [line, code] of bodyLines(ctx.script.lines, ctx.script.firstCommandLine)) {
    const found = findLaunchCount(code);
    if (!found || found.count <= allocated) continue;
    const consequence = found.tool === 'srun'
      ? 'srun refuses to start the step ("More processors requested than permitted").'
      : 'Open MPI refuses ("not enough slots") unless --oversubscribe is given, and then ranks share CPUs.';
    const range = lineRange(line, found.start, found.end);
    ctx.report('SBATCH108', range,
      `${found.tool} asks for ${found.count} tasks but the job has ${allocated} (${how}). ${consequence} Use $SLURM_NTASKS, or raise --ntasks.`,
      { fixes: [{ title: 'Use $SLURM_NTASKS', preferred: true, edits: [{ range, newText: '$SLURM_NTASKS' }] }] });
  }
};

const THREAD_VARS = /\b(OMP_NUM_THREADS|SLURM_CPUS_PER_TASK|SRUN_CPUS_PER_TASK|MKL_NUM_THREADS|OPENBLAS_NUM_THREADS|NUMBA_NUM_THREADS|HPC_JOBS_WORKERS|SLURM_CPUS_ON_NODE)\b/;

export const checkThreadsPassedOn: Rule = (ctx) => {
  const use = effectiveOptions(ctx.reading).get('cpus-per-task');
  const cpus = intValue(use);
  if (!use || cpus === undefined || cpus <= 1 || ctx.script.firstCommandLine === undefined) return;
  const body = bodyLines(ctx.script.lines, ctx.script.firstCommandLine);
  if (body.some(([, code]) => THREAD_VARS.test(code))) return;
  const usesSrun = body.some(([, code]) => /\bsrun\b/.test(code) && !/\s(-c\s*\d|--cpus-per-task)/.test(code));
  const cmd = ctx.script.firstCommandLine;
  ctx.report('SBATCH109', valueRange(use.valueSpan!),
    `--cpus-per-task=${cpus} reserves ${cpus} CPUs per task, but nothing in the script passes that on: programs using OpenMP, ` +
    `MKL or a worker pool start 1 thread or one per core of the whole node. Export OMP_NUM_THREADS=$SLURM_CPUS_PER_TASK` +
    (usesSrun ? ', and note that since Slurm 22.05 srun does not inherit --cpus-per-task (set SRUN_CPUS_PER_TASK or pass -c).' : '.'),
    { fixes: [{ title: 'Export OMP_NUM_THREADS=$SLURM_CPUS_PER_TASK before the first command', preferred: true,
      edits: [{ range: lineRange(cmd, 0, 0), newText: 'export OMP_NUM_THREADS=$SLURM_CPUS_PER_TASK\n' }] }] });
};

export const checkOutputFolders: Rule = (ctx) => {
  const exists = ctx.options.directoryExists;
  if (!exists) return;
  const eff = effectiveOptions(ctx.reading);
  const chdir = eff.get('chdir')?.value;
  const base = chdir && path.isAbsolute(chdir) ? chdir : ctx.options.filePath ? path.dirname(ctx.options.filePath) : undefined;
  for (const name of ['output', 'error']) {
    const use = eff.get(name);
    const value = use?.value;
    if (!use || !value || !value.includes('/')) continue;
    const dir = value.slice(0, value.lastIndexOf('/'));
    // A folder named after the job (%j, %x...) is only known once the job runs.
    if (dir === '' || /%(?!%)/.test(dir) || /[$`]/.test(dir)) continue;
    if (!path.isAbsolute(dir) && base === undefined) continue;
    const full = path.isAbsolute(dir) ? dir : path.join(base!, dir);
    if (exists(full)) continue;
    ctx.report('SBATCH107', valueRange(use.valueSpan!, 0, dir.length),
      `Folder "${dir}" does not exist${path.isAbsolute(dir) ? '' : ` (relative to ${base})`}. Slurm does not create it: the job will fail without writing any output. Create it before submitting.`);
  }
};
