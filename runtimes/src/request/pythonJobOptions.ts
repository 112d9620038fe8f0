/**
 * The sbatch options of "run this Python file on a cluster", read into a PythonJobSpec once for
 * every front end: the line a person types in the editor (`--ntasks=4 --cpus-per-task=2
 * --time=1:00:00 --partition=debug`, written back to prefill the input box) and the options of
 * `hpc-jobs submit FILE.py`. Only the options the generated batch script has a place for are
 * accepted; each value is checked the way sbatch reads it (the language server's value
 * checkers), so a mistake is said before anything is uploaded.
 */
import type { PythonJobSpec } from '../slurm/pythonJob';
import { checkArray } from '../../../server/src/values/array';
import { checkMemory } from '../../../server/src/values/memory';
import { checkTime } from '../../../server/src/values/time';
import type { ValueChecker } from '../../../server/src/values/valueCheck';
import { CODES } from '../../../server/src/rules/codes';
import { readCount } from './counts';

type Field = 'ntasks' | 'nodes' | 'cpusPerTask' | 'mem' | 'time' | 'partition' | 'account' | 'gpus' | 'jobName' | 'array';

interface Directive {
  readonly long: string;
  readonly short?: string;
  readonly field: Field;
  readonly kind: 'count' | 'word' | 'gres';
  readonly check?: ValueChecker;
  /** What a count counts, for its message. */
  readonly what?: string;
}

/** In the order they are written back. */
const DIRECTIVES: readonly Directive[] = [
  { long: 'job-name', short: 'J', field: 'jobName', kind: 'word' },
  { long: 'nodes', short: 'N', field: 'nodes', kind: 'count', what: 'nodes' },
  { long: 'ntasks', short: 'n', field: 'ntasks', kind: 'count', what: 'tasks' },
  { long: 'cpus-per-task', short: 'c', field: 'cpusPerTask', kind: 'count', what: 'CPUs per task' },
  { long: 'mem', field: 'mem', kind: 'word', check: checkMemory },
  { long: 'time', short: 't', field: 'time', kind: 'word', check: checkTime },
  { long: 'partition', short: 'p', field: 'partition', kind: 'word' },
  { long: 'account', short: 'A', field: 'account', kind: 'word' },
  { long: 'gres', field: 'gpus', kind: 'gres' },
  { long: 'array', short: 'a', field: 'array', kind: 'word', check: checkArray },
];

const ALIASES: Readonly<Record<string, string>> = { 'gpus-per-node': 'gres', 'cpus': 'cpus-per-task' };

export const JOB_OPTION_NAMES = DIRECTIVES.map((d) => `--${d.long}`);

export type JobOptionsResult = { readonly spec: PythonJobSpec; readonly error?: undefined } | { readonly spec?: undefined; readonly error: string };

/** `--ntasks=4 -c 2 --time 10` → { ntasks: 4, cpusPerTask: 2, time: '10' }, or what is wrong. */
export function parseJobOptions(text: string): JobOptionsResult {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const spec: Record<string, string | number> = {};
  const seen = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    let name: string;
    let value: string | undefined;
    const long = /^--([a-z-]+)(?:=(.*))?$/.exec(word);
    const short = /^-([a-zA-Z])(.*)$/.exec(word);
    if (long) { name = long[1]!; value = long[2]; }
    else if (short) {
      const d = DIRECTIVES.find((x) => x.short === short[1]);
      if (!d) return { error: `Unknown option ${word}: use ${JOB_OPTION_NAMES.join(', ')}.` };
      name = d.long;
      value = short[2] ? short[2].replace(/^=/, '') : undefined;
    } else {
      return { error: `"${word}" is not an option: write options such as --ntasks=4 --time=10.` };
    }
    const d = directive(name);
    if (!d) return { error: `Unknown option --${name}: use ${JOB_OPTION_NAMES.join(', ')}.` };
    if (value === undefined) {
      const next = words[i + 1];
      if (next === undefined || next.startsWith('-')) return { error: `--${d.long} needs a value.` };
      value = next;
      i++;
    }
    if (value === '') return { error: `--${d.long} needs a value.` };
    if (seen.has(d.long)) return { error: `--${d.long} is given twice.` };
    seen.add(d.long);
    const read = readJobOption(d.long, value);
    if ('error' in read) return { error: read.error };
    // The line is split at spaces: a quote would be part of the value, not shell quoting.
    if (d.kind === 'word' && /["'\\]/.test(value)) return { error: `--${d.long}: quotes and backslashes are not needed here ("${value}").` };
    spec[read.field] = read.value;
  }
  return { spec: spec as PythonJobSpec };
}

function directive(name: string): Directive | undefined {
  const long = ALIASES[name] ?? name;
  return DIRECTIVES.find((x) => x.long === long);
}

/** One option's value (by its long name, or an alias), checked: its field in the spec, or what is wrong. */
export function readJobOption(name: string, value: string): { field: Field; value: string | number } | { error: string } {
  const d = directive(name);
  if (!d) return { error: `Unknown option --${name}: use ${JOB_OPTION_NAMES.join(', ')}.` };
  switch (d.kind) {
    case 'count': {
      const read = readCount(value, { what: d.what ?? d.long }, `--${d.long}`);
      return 'problem' in read ? { error: read.problem } : { field: d.field, value: read.count };
    }
    case 'gres': {
      const m = /^(?:gpu:)?(\d+)$/.exec(value);
      if (!m || Number(m[1]) < 1) return { error: `--${d.long}: give GPUs per node as gpu:N (e.g. --gres=gpu:1), not "${value}".` };
      return { field: d.field, value: Number(m[1]) };
    }
    case 'word': {
      if (d.check) {
        const error = d.check(value, d.long).issues.find((i) => CODES[i.code].severity === 'error');
        if (error) return { error: error.message };
      }
      return { field: d.field, value };
    }
  }
}

/** The spec as the one line `parseJobOptions` reads back. */
export function formatJobOptions(spec: PythonJobSpec): string {
  const out: string[] = [];
  for (const d of DIRECTIVES) {
    const v = spec[d.field];
    if (v === undefined || v === '') continue;
    out.push(`--${d.long}=${d.kind === 'gres' ? `gpu:${v}` : String(v)}`);
  }
  return out.join(' ');
}

/** What to offer the first time: one task with a few CPUs for a pool, a few ranks for mpi4py. */
export function defaultJobOptions(usesMpi: boolean): PythonJobSpec {
  return usesMpi ? { ntasks: 4, time: '10' } : { ntasks: 1, cpusPerTask: 4, time: '10' };
}
