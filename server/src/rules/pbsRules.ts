/**
 * `#PBS` lines: sbatch translates them (src/sbatch/xlate.c) after reading the `#SBATCH` lines, so
 * they override them; it looks for them anywhere in the first 100 non-comment lines, and drops
 * what it cannot translate without a word. Each line is reported with what it does to the job.
 */
import { effectiveOptions } from '../parser/effectiveOptions';
import type { Token } from '../parser/directiveTokens';
import type { Rule } from './ruleContext';
import { lineRange } from './ruleContext';

interface Effect {
  /** The sbatch option it becomes, and its value; undefined when dropped. */
  readonly option?: string;
  readonly value?: string;
  /** What is dropped, when something is. */
  readonly dropped?: string;
  /** A drop or translation that changes the job in a way the author will not expect. */
  readonly matters?: boolean;
  readonly note?: string;
}

const DIRECT: Readonly<Record<string, string>> = {
  a: 'begin', A: 'account', e: 'error', o: 'output', d: 'chdir', w: 'chdir', J: 'array', t: 'array',
  M: 'mail-user', N: 'job-name', p: 'nice', q: 'partition',
};
const DROPPED = new Set(['c', 'C', 'I', 'j', 'k', 'r', 'S', 'u', 'V', 'z']);
const NO_ARG = new Set(['h', 'I', 'V', 'z']);
/** Resource-list items sbatch skips; the memory limits among them matter. */
const DROPPED_RESOURCES = new Set(['arch', 'host', 'opsys', 'other', 'pmem', 'pvmem', 'software', 'vmem']);

function mailType(arg: string): string {
  const out: string[] = [];
  if (/b/i.test(arg)) out.push('BEGIN');
  if (/e/i.test(arg)) out.push('END');
  if (/a/i.test(arg)) out.push('FAIL');
  if (/n/i.test(arg)) return 'NONE';
  return out.join(',');
}

function resourceEffects(list: string): Effect[] {
  const out: Effect[] = [];
  // xlate.c scans the list character by character: PBS Pro's select=, ncpus= and mpiprocs= end at
  // a ':' and the scan goes on (`select=2:ncpus=8:mpiprocs=8` is three settings); the others end at ','.
  const items: string[] = [];
  for (const item of list.split(',')) {
    const parts = item.split(':');
    let i = 0;
    while (i < parts.length - 1 && /^(?:select|ncpus|mpiprocs)=/i.test(parts[i]!)) items.push(parts[i++]!);
    items.push(parts.slice(i).join(':'));
  }
  for (const item of items) {
    const eq = item.indexOf('=');
    const key = (eq < 0 ? item : item.slice(0, eq)).toLowerCase();
    const value = eq < 0 ? '' : item.slice(eq + 1);
    if (key === 'walltime' || key === 'cput' || key === 'pcput') out.push({ option: 'time', value });
    else if (key === 'mem') out.push({ option: 'mem', value: value.replace(/[bB]$/, '') });
    else if (key === 'file') out.push({ option: 'tmp', value: value.replace(/[bB]$/, '') });
    else if (key === 'nodes') {
      const parts = value.split(':');
      const nodes = /^\d+$/.test(parts[0] ?? '') ? Number(parts[0]) : 1;
      if (/^\d+$/.test(parts[0] ?? '')) out.push({ option: 'nodes', value: String(nodes) });
      for (const p of parts.slice(1)) {
        const m = /^(ppn|gpus)=(\d+)/.exec(p);
        if (m?.[1] === 'ppn') out.push({ option: 'ntasks', value: String(Number(m[2]) * nodes) });
        if (m?.[1] === 'gpus') out.push({ option: 'gpus-per-node', value: m[2]! });
      }
    } else if (key === 'select') out.push({ option: 'nodes', value: value.split(':')[0]! });
    else if (key === 'ncpus') out.push({ option: 'mincpus', value });
    else if (key === 'mpiprocs') out.push({ option: 'ntasks-per-node', value });
    else if (key === 'nice') out.push({ option: 'nice', value });
    else if (key === 'proc') out.push({ option: 'constraint', value });
    else if (key === 'naccelerators') out.push({ option: 'gres', value: `gpu:${value}` });
    else if (key === 'accelerator') out.push({ option: 'gres', value: 'gpu:1' });
    else if (DROPPED_RESOURCES.has(key)) out.push({ dropped: `-l ${item}`, matters: /mem$/.test(key), ...(/mem$/.test(key) ? { note: 'no memory limit is set; use --mem' } : {}) });
  }
  return out;
}

/** What each option of one `#PBS` line does, as xlate.c's `_set_pbs_options` reads it. */
function effectsOf(words: readonly Token[], start: number): { effects: Effect[]; next: number } {
  const effects: Effect[] = [];
  let i = start;
  const w = words[i]!.text;
  if (!/^-[A-Za-z]/.test(w)) return { effects: [{ dropped: w, matters: true, note: 'sbatch stops with "Invalid argument"' }], next: words.length };
  for (let k = 1; k < w.length; k++) {
    const letter = w[k]!;
    if (NO_ARG.has(letter)) {
      effects.push(letter === 'h' ? { option: 'hold' } : { dropped: `-${letter}` });
      continue;
    }
    let arg = w.slice(k + 1);
    if (arg === '') arg = words[++i]?.text ?? '';
    if (DIRECT[letter]) effects.push({ option: DIRECT[letter], value: arg });
    else if (letter === 'l') for (const e of resourceEffects(arg)) effects.push(e); // no spread: a list may be huge
    else if (letter === 'm') effects.push({ option: 'mail-type', value: mailType(arg) });
    else if (letter === 'v') effects.push({ option: 'export', value: arg, matters: true, note: 'only these variables (and SLURM_*) reach the job, not your whole environment' });
    else if (letter === 'W') {
      if (/^umask=/i.test(arg)) effects.push({ option: 'umask', value: arg.slice(6) });
      else if (/^depend=/i.test(arg)) effects.push({ option: 'dependency', value: arg.slice(7) });
      else effects.push({ dropped: `-W ${arg}`, matters: true, ...(/depend/i.test(arg) ? { note: 'the job does not wait for anything; use --dependency' } : {}) });
    } else if (DROPPED.has(letter)) effects.push({ dropped: `-${letter} ${arg}` });
    else effects.push({ dropped: `-${letter}`, matters: true, note: 'sbatch stops with "Unrecognized command line parameter"' });
    break;
  }
  return { effects, next: i + 1 };
}

export const checkPbsDirectives: Rule = (ctx) => {
  const { script } = ctx;
  if (script.pbs.length === 0) return;
  const eff = effectiveOptions(ctx.reading);
  if (eff.has('ignore-pbs')) return;
  for (const p of script.pbs) {
    const parts: string[] = [];
    let matters = false;
    for (let i = 0; i < p.tokens.length;) {
      const { effects, next } = effectsOf(p.tokens, i);
      i = next;
      for (const e of effects) {
        if (e.option) {
          const set = `--${e.option}${e.value !== undefined ? `=${e.value}` : ''}`;
          const before = eff.get(e.option);
          if (before && before.value !== e.value) {
            matters = true;
            parts.push(`sets ${set}, overriding ${before.written}${before.value !== undefined ? `=${before.value}` : ''} on line ${before.span.line + 1} (sbatch applies #PBS lines after #SBATCH lines)`);
          } else parts.push(`sets ${set}${e.note ? `: ${e.note}` : ''}`);
        } else parts.push(`${e.dropped} is dropped without a word${e.note ? ` (${e.note})` : ''}`);
        matters ||= e.matters === true;
      }
    }
    if (parts.length === 0) continue;
    const text = script.lines[p.line]!;
    ctx.report('SBATCH113', lineRange(p.line, 0, text.length),
      `sbatch reads this #PBS line too, after the #SBATCH lines: ${parts.join('; ')}. Write it as #SBATCH, or add --ignore-pbs to stop the translation.`,
      { ...(matters ? {} : { severity: 'information' as const }),
        // `##PBS` no longer starts with "#PBS": sbatch skips it, and the line stays for the record.
        fixes: [{ title: 'Turn this #PBS line off (##PBS)', preferred: matters, edits: [{ range: lineRange(p.line, 0, 0), newText: '#' }] }] });
  }
};
