/**
 * The sbatch options a person types for "run this Python file on a cluster" — one line such as
 * `--ntasks=4 --cpus-per-task=2 --time=1:00:00 --partition=debug` — read into a PythonJobSpec
 * and written back (the input box is prefilled with the last values). Only the options the
 * generated batch script has a place for are accepted; each value is checked the way sbatch
 * reads it (the language server's value checkers), so a mistake is said in the input box
 * instead of after an upload.
 */
import type { PythonJobSpec } from '../../../runtimes/src/slurm/pythonJob';
import { checkArray } from '../../../server/src/values/array';
import { checkMemory } from '../../../server/src/values/memory';
import { checkTime } from '../../../server/src/values/time';
import type { ValueChecker } from '../../../server/src/values/valueCheck';
import { CODES } from '../../../server/src/rules/codes';

type Field = 'ntasks' | 'nodes' | 'cpusPerTask' | 'mem' | 'time' | 'partition' | 'account' | 'gpus' | 'jobName' | 'array';

interface Directive {
  readonly long: string;
  readonly short?: string;
  readonly field: Field;
  readonly kind: 'count' | 'word' | 'gres';
  readonly check?: ValueChecker;
}

/** In the order they are written back. */
const DIRECTIVES: readonly Directive[] = [
  { long: 'job-name', short: 'J', field: 'jobName', kind: 'word' },
  { long: 'nodes', short: 'N', field: 'nodes', kind: 'count' },
  { long: 'ntasks', short: 'n', field: 'ntasks', kind: 'count' },
  { long: 'cpus-per-task', short: 'c', field: 'cpusPerTask', kind: 'count' },
  { long: 'mem', field: 'mem', kind: 'word', check: checkMemory },
  { long: 'time', short: 't', field: 'time', kind: 'word', check: checkTime },
  { long: 'partition', short: 'p', field: 'partition', kind: 'word' },
  { long: 'account', short: 'A', field: 'account', kind: 'word' },
  { long: 'gres', field: 'gpus', kind: 'gres' },
  { long: 'array', short: 'a', field: 'array', kind: 'word', check: checkArray },
];

const ALIASES: Readonly<Record<string, string>> = { 'gpus-per-node': 'gres', 'cpus': 'cpus-per-task' };

export const DIRECTIVE_NAMES = DIRECTIVES.map((d) => `--${d.long}`);

export type DirectivesResult = { readonly spec: PythonJobSpec; readonly error?: undefined } | { readonly spec?: undefined; readonly error: string };

/** `--ntasks=4 -c 2 --time 10` → { ntasks: 4, cpusPerTask: 2, time: '10' }, or what is wrong. */
export function parseDirectives(text: string): DirectivesResult {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const spec: Record<string, string | number> = {};
  const seen = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    let name: string;
    let value: string | undefined;
    const long = /^--([a-z-]+)(?:=(.*))?$/.exec(word);
    const short = /^-([a-zA-Z])(.*)$/.exec(word);
    if (long) { name = ALIASES[long[1]!] ?? long[1]!; value = long[2]; }
    else if (short) {
      const d = DIRECTIVES.find((x) => x.short === short[1]);
      if (!d) return { error: `Unknown option ${word}: use ${DIRECTIVE_NAMES.join(', ')}.` };
      name = d.long;
      value = short[2] ? short[2].replace(/^=/, '') : undefined;
    } else {
      return { error: `"${word}" is not an option: write options such as --ntasks=4 --time=10.` };
    }
    const d = DIRECTIVES.find((x) => x.long === name);
    if (!d) return { error: `Unknown option --${name}: use ${DIRECTIVE_NAMES.join(', ')}.` };
    if (value === undefined) {
      const next = words[i + 1];
      if (next === undefined || next.startsWith('-')) return { error: `--${d.long} needs a value.` };
      value = next;
      i++;
    }
    if (value === '') return { error: `--${d.long} needs a value.` };
    if (seen.has(d.long)) return { error: `--${d.long} is given twice.` };
    seen.add(d.long);
    const problem = checkDirective(d, value);
    if (typeof problem === 'string') return { error: problem };
    spec[d.field] = problem.value;
  }
  return { spec: spec as PythonJobSpec };
}

function checkDirective(d: Directive, value: string): string | { value: string | number } {
  switch (d.kind) {
    case 'count': {
      if (!/^\d+$/.test(value) || Number(value) < 1) return `--${d.long} must be a whole number of at least 1, not "${value}".`;
      return { value: Number(value) };
    }
    case 'gres': {
      const m = /^(?:gpu:)?(\d+)$/.exec(value);
      if (!m || Number(m[1]) < 1) return `--${d.long}: give GPUs per node as gpu:N (e.g. --gres=gpu:1), not "${value}".`;
      return { value: Number(m[1]) };
    }
    case 'word': {
      if (d.check) {
        const error = d.check(value, d.long).issues.find((i) => CODES[i.code].severity === 'error');
        if (error) return error.message;
      }
      if (/["'\\]/.test(value)) return `--${d.long}: quotes and backslashes are not needed here ("${value}").`;
      return { value };
    }
  }
}

/** The spec as the one line `parseDirectives` reads back. */
export function formatDirectives(spec: PythonJobSpec): string {
  const out: string[] = [];
  for (const d of DIRECTIVES) {
    const v = spec[d.field];
    if (v === undefined || v === '') continue;
    out.push(`--${d.long}=${d.kind === 'gres' ? `gpu:${v}` : String(v)}`);
  }
  return out.join(' ');
}

/** What to offer the first time: one task with a few CPUs for a pool, a few ranks for mpi4py. */
export function defaultDirectives(usesMpi: boolean): PythonJobSpec {
  return usesMpi ? { ntasks: 4, time: '10' } : { ntasks: 1, cpusPerTask: 4, time: '10' };
}
