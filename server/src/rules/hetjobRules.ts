/**
 * Heterogeneous jobs (`#SBATCH hetjob`): the batch script runs in component 0, and options set
 * for the whole job there carry forward to later components, never back. Written only after a
 * `hetjob` line, they leave the leader (and the script) with the default.
 */
import { componentsOf, effectiveOptions } from '../parser/effectiveOptions';
import type { Rule } from './ruleContext';
import { spanRange } from './ruleContext';

/**
 * Options about the batch script or the job as a whole, and what the leader gets without them.
 * All of them carry forward: slurm_opt.c does not reset them between components (no reset_each_pass).
 */
const LEADER_OPTIONS: Readonly<Record<string, string>> = {
  time: 'the partition\'s default time limit',
  output: 'the default output file slurm-%j.out',
  error: 'stderr in the output file',
  input: 'no input',
  'job-name': 'the script\'s file name as job name',
  chdir: 'the submit folder as working folder',
  dependency: 'no dependency: the job may start at once',
  begin: 'no start time',
  signal: 'no warning signal',
  'open-mode': 'the default open mode',
  export: 'the default environment',
  array: 'a single job',
  requeue: 'the site\'s requeue default',
  'no-requeue': 'the site\'s requeue default',
};

/** Memory options sbatch refuses together; --mem is not reset between components, the others are. */
const MEM_PER_UNIT = ['mem-per-cpu', 'mem-per-gpu'];

export const checkHetjobComponents: Rule = (ctx) => {
  const components = componentsOf(ctx.reading);
  if (components.length < 2) return;
  const leader = effectiveOptions(ctx.reading, 0);
  // --mem carries forward from earlier components: beside --mem-per-cpu there, sbatch stops.
  let mem = leader.get('mem');
  for (const c of components.filter((x) => x > 0)) {
    const own = effectiveOptions(ctx.reading, c);
    const perUnit = MEM_PER_UNIT.map((n) => own.get(n)).find((u) => u !== undefined);
    if (mem && perUnit && !own.has('mem')) {
      ctx.report('SBATCH126', spanRange(perUnit.span),
        `--mem=${mem.value ?? ''} (line ${mem.span.line + 1}) carries forward into component ${c}, and sbatch refuses it together with --${perUnit.option!.name} ("--mem, --mem-per-cpu, and --mem-per-gpu are mutually exclusive"). Use the same kind of memory option in every component.`,
        { severity: 'error' });
    }
    mem = own.get('mem') ?? mem;
  }
  for (const c of components.filter((x) => x > 0)) {
    for (const [name, use] of effectiveOptions(ctx.reading, c)) {
      const fallback = LEADER_OPTIONS[name];
      if (!fallback || leader.has(name)) continue;
      ctx.report('SBATCH126', spanRange(use.span),
        `--${name} is set only for component ${c} of this heterogeneous job. Options carry forward to later components but never back: component 0, which runs the batch script, keeps ${fallback}. Put --${name} before the first "hetjob" line.`);
    }
  }
};
