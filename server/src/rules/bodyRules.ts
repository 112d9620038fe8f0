/**
 * Traps that show only when directives and the script body are read together: a launcher
 * asking for more ranks than were allocated, CPUs per task that nothing passes on, output
 * folders Slurm will not create.
 */
import * as path from 'node:path';
import { releaseNumber } from '../options/optionLookup';
import { effectiveOptions, intValue } from '../parser/effectiveOptions';
import type { ParsedScript } from '../parser/scriptParser';
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

const BODY_CACHE = new WeakMap<ParsedScript, ReadonlyArray<readonly [number, string]>>();

/** The script's own command lines (comments cut, heredoc text left out); worked out once per script. */
export function bodyLines(script: ParsedScript): ReadonlyArray<readonly [number, string]> {
  const cached = BODY_CACHE.get(script);
  if (cached) return cached;
  const out: Array<[number, string]> = [];
  BODY_CACHE.set(script, out);
  const from = script.firstCommandLine;
  if (from === undefined) return out;
  for (let i = from; i < script.lines.length; i++) {
    if (script.heredocLines.has(i)) continue;
    const text = script.lines[i]!;
    const code = text.includes('#') ? text.replace(/(^|\s)#.*$/, '') : text;
    if (code.trim()) out.push([i, code]);
  }
  return out;
}

export const checkLauncherTasks: Rule = (ctx) => {
  const eff = effectiveOptions(ctx.reading);
  const ntasks = intValue(eff.get('ntasks'));
  const nodes = intValue(eff.get('nodes'));
  const perNode = intValue(eff.get('ntasks-per-node'));
  // Whole nodes (--exclusive, or only a node count, as many sites hand out): the launcher may
  // use every core of them, so a larger count is no mistake.
  if (eff.has('exclusive') || (ntasks === undefined && perNode === undefined && eff.has('nodes'))) return;
  const allocated = ntasks ?? (perNode !== undefined ? perNode * (nodes ?? 1) : nodes ?? 1);
  const how = ntasks !== undefined ? `--ntasks=${ntasks}` : perNode !== undefined ? `--ntasks-per-node=${perNode}${nodes ? ` × ${nodes} node(s)` : ''}` : 'no --ntasks (Slurm allocates 1 task per node)';
  for (const [line, code] of bodyLines(ctx.script)) {
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

const THREAD_VARS = /\b(OMP_NUM_THREADS|SLURM_CPUS_PER_TASK|SRUN_CPUS_PER_TASK|MKL_NUM_THREADS|OPENBLAS_NUM_THREADS|NUMBA_NUM_THREADS|NUMEXPR_NUM_THREADS|JULIA_NUM_THREADS|HPC_JOBS_WORKERS|SLURM_CPUS_ON_NODE|SLURM_JOB_CPUS_PER_NODE|nproc)\b/;
/**
 * Launchers that set their workers' thread counts themselves, and workflow managers, whose own
 * CPUs only run the manager (each step asks for its own).
 */
const THREAD_LAUNCHERS = /\b(torchrun|torch\.distributed|accelerate|deepspeed|tensorflow|tf\.distribute|horovodrun|lightning|nextflow|snakemake|cromwell)\b/;

/** Where a count is written out: `-t 8`, `--threads=8`, `--num_workers 8` (not a launcher's task or node count). */
function passesLiteral(code: string, count: number): boolean {
  const re = new RegExp(`(?:^|\\s)(-{1,2}[\\w.@-]+)(?:=|\\s+)${count}(?![\\w.])`, 'g');
  for (const m of code.matchAll(re)) if (!TASK_COUNT_OPTION.test(m[1]!)) return true;
  return false;
}
const TASK_COUNT_OPTION = /^-{1,2}(n|np|N|c|ntasks|nodes|nnodes|ntasks-per-node|nproc[-_]per[-_]node|num[-_]processes|num[-_]machines|gpus[\w-]*|cpus-per-task)$/;

export const checkThreadsPassedOn: Rule = (ctx) => {
  const use = effectiveOptions(ctx.reading).get('cpus-per-task');
  const cpus = intValue(use);
  if (!use || cpus === undefined || cpus <= 1 || ctx.script.firstCommandLine === undefined) return;
  const body = bodyLines(ctx.script);
  if (body.some(([, code]) => THREAD_VARS.test(code) || THREAD_LAUNCHERS.test(code) || passesLiteral(code, cpus))) return;
  const cmd = ctx.script.firstCommandLine;
  ctx.report('SBATCH109', valueRange(use.valueSpan!),
    `--cpus-per-task=${cpus} reserves ${cpus} CPUs per task, but nothing in the script passes that on. Programs that count the ` +
    'cores of the node (os.cpu_count(), a multiprocessing pool before Python 3.13; OpenMP and BLAS where the site does not bind ' +
    'tasks to their CPUs) start one worker per core of the whole node, more than the job has. ' +
    'Export OMP_NUM_THREADS=$SLURM_CPUS_PER_TASK (or pass the count to the program).',
    { fixes: [{ title: 'Export OMP_NUM_THREADS=$SLURM_CPUS_PER_TASK before the first command', preferred: true,
      edits: [{ range: lineRange(cmd, 0, 0), newText: 'export OMP_NUM_THREADS=$SLURM_CPUS_PER_TASK\n' }] }] });
};

/** srun stopped inheriting the job's --cpus-per-task in 22.05 and went back to it in 23.11 (RELEASE_NOTES). */
const SRUN_NO_INHERIT_FROM = '22.05';
const SRUN_INHERITS_AGAIN = '23.11';
const SRUN_WORD = /(?:^|[\s;&|(`])srun(?=\s|$)/;

export const checkSrunCpusPerTask: Rule = (ctx) => {
  const target = ctx.options.slurmVersion;
  if (target && (releaseNumber(target) < releaseNumber(SRUN_NO_INHERIT_FROM) || !(releaseNumber(target) < releaseNumber(SRUN_INHERITS_AGAIN)))) return;
  const use = effectiveOptions(ctx.reading).get('cpus-per-task');
  const cpus = intValue(use);
  if (!use || cpus === undefined || cpus <= 1) return;
  const body = bodyLines(ctx.script);
  if (body.some(([, code]) => code.includes('SRUN_CPUS_PER_TASK'))) return;
  for (const [line, code] of body) {
    const m = SRUN_WORD.exec(code);
    if (!m) continue;
    const rest = code.slice(m.index);
    if (/\s(-c\s*\S|--cpus-per-task\b|--cpu[-_]bind=\S*(mask|map)_cpu)/.test(rest)) continue;
    const start = m.index + m[0].indexOf('srun');
    const when = target ? `On Slurm ${target}` : 'On Slurm 22.05 to 23.02 (not before, and not from 23.11)';
    ctx.report('SBATCH114', lineRange(line, start, start + 4),
      `${when} srun does not inherit --cpus-per-task=${cpus} from the job: each task of this step gets 1 CPU, so threads pile onto one core. ` +
      'Pass -c $SLURM_CPUS_PER_TASK to srun, or export SRUN_CPUS_PER_TASK=$SLURM_CPUS_PER_TASK.',
      { ...(target ? {} : { severity: 'information' as const }),
        fixes: [{ title: 'Export SRUN_CPUS_PER_TASK=$SLURM_CPUS_PER_TASK before the first command', preferred: true,
          edits: [{ range: lineRange(ctx.script.firstCommandLine!, 0, 0), newText: 'export SRUN_CPUS_PER_TASK=$SLURM_CPUS_PER_TASK\n' }] }] });
    return;
  }
};

/**
 * Whether an absolute folder can be checked where the linter runs: its top folder exists there
 * (not /fsx/... of another machine), and under /home its user's home does (not a colleague's
 * home on the cluster the script came from).
 */
function checkableHere(dir: string, exists: (p: string) => boolean): boolean {
  const parts = dir.split('/').filter(Boolean);
  if (parts.length === 0) return false;
  const top = ['home', 'Users', 'users', 'u'].includes(parts[0]!) && parts.length > 1 ? `/${parts[0]}/${parts[1]}` : `/${parts[0]}`;
  return top === dir || exists(top);
}

/** `mkdir -p logs`, `mkdir -p "$SLURM_SUBMIT_DIR/x" logs`: the folders a body line creates, with their columns. */
function madeFolders(code: string): Array<{ dir: string; start: number; end: number }> {
  const m = code.includes('mkdir') ? /(?:^|[\s;&|(])mkdir\s+/.exec(code) : null;
  if (!m) return [];
  const out: Array<{ dir: string; start: number; end: number }> = [];
  const from = m.index + m[0].length;
  for (const w of code.slice(from).matchAll(/\S+/g)) {
    const word = w[0];
    if (/^(;|&&|\|\|?|\))$/.test(word)) break;
    if (word.startsWith('-')) continue;
    // The job starts in the submit folder: $SLURM_SUBMIT_DIR/logs and $PWD/logs are logs.
    const dir = word.replace(/^["']|["']$/g, '').replace(/^(?:\$\{?(?:SLURM_SUBMIT_DIR|PWD)\}?|\$\(pwd\))\//, '').replace(/\/+$/, '');
    out.push({ dir, start: from + w.index!, end: from + w.index! + word.length });
  }
  return out;
}

export const checkOutputFolders: Rule = (ctx) => {
  const exists = ctx.options.directoryExists;
  const eff = effectiveOptions(ctx.reading);
  const chdir = eff.get('chdir')?.value;
  const absoluteChdir = chdir !== undefined && path.isAbsolute(chdir) ? chdir : undefined;
  const scriptDir = ctx.options.filePath ? path.dirname(ctx.options.filePath) : undefined;
  // Only worked out when a folder is missing: most scripts never need it.
  let madeCache: Array<{ line: number; dir: string; start: number; end: number }> | undefined;
  const made = () => {
    if (!madeCache) {
      madeCache = [];
      for (const [line, code] of bodyLines(ctx.script)) if (code.includes('mkdir')) for (const f of madeFolders(code)) madeCache.push({ line, ...f });
    }
    return madeCache;
  };
  for (const name of ['output', 'error']) {
    const use = eff.get(name);
    const value = use?.value;
    if (!use || !value || !value.includes('/')) continue;
    const dir = value.slice(0, value.lastIndexOf('/')).replace(/\/+$/, '');
    // A folder named after the job (%j, %x...) is only known once the job runs.
    if (dir === '' || /%(?!%)/.test(dir) || /[$`]/.test(dir)) continue;
    const submitDir = ctx.options.submitDir;
    const base = absoluteChdir ?? submitDir ?? scriptDir;
    const full = path.isAbsolute(dir) ? dir : base !== undefined ? path.join(base, dir) : undefined;
    if (full !== undefined && exists?.(full)) continue;
    const mkdir = made().find((m) => m.dir === dir || m.dir === `./${dir}` || (full !== undefined && m.dir === full));
    if (mkdir) {
      ctx.report('SBATCH124', lineRange(mkdir.line, mkdir.start, mkdir.end),
        `This creates "${dir}" too late: slurmstepd opens the --${name} file before the script runs, so on the first run the job fails without any output. Create the folder before submitting (e.g. mkdir -p ${dir} && sbatch ...).`);
      continue;
    }
    if (!exists || full === undefined) continue;
    if (path.isAbsolute(dir)) {
      // /fsx/..., another user's home: not on this machine, so only the cluster can say.
      if (!checkableHere(dir, exists)) {
        const onCluster = ctx.options.clusterDirectoryExists;
        if (!onCluster || onCluster(dir)) continue;
        ctx.report('SBATCH107', valueRange(use.valueSpan!, 0, dir.length),
          `Folder "${dir}" does not exist on cluster "${ctx.options.cluster?.name ?? '?'}". Slurm does not create it: the job will fail without writing any output. Create it before submitting.`);
        continue;
      }
      ctx.report('SBATCH107', valueRange(use.valueSpan!, 0, dir.length),
        `Folder "${dir}" does not exist. Slurm does not create it: the job will fail without writing any output. Create it before submitting.`);
    } else if (absoluteChdir !== undefined || submitDir !== undefined) {
      if (absoluteChdir !== undefined && !checkableHere(absoluteChdir, exists)) continue;
      ctx.report('SBATCH107', valueRange(use.valueSpan!, 0, dir.length),
        `Folder "${dir}" does not exist (relative to ${base}${absoluteChdir !== undefined ? ', the --chdir' : ''}). Slurm does not create it: the job will fail without writing any output. Create it before submitting.`);
    } else {
      // Relative to wherever sbatch is run, which need not be the script's folder.
      ctx.report('SBATCH107', valueRange(use.valueSpan!, 0, dir.length),
        `Folder "${dir}" is relative to the folder you submit from (not necessarily this script's), and does not exist next to the script. ` +
        'Slurm does not create it: make sure it exists where you submit, or the job fails without writing any output.',
        { severity: 'information' });
    }
  }
};
