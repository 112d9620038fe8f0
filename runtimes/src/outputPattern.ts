/**
 * File names from --output/--error patterns, expanded as slurmd does (src/slurmd/common/fname.c):
 * `%%` is `%`; `%` + optional zero-padding width + a letter from `aAjJnNstuxb` is replaced; other
 * letters stay as written; a backslash anywhere turns expansion off (backslashes dropped).
 * The checker in server/src/values/filePattern.ts reports the same rules as diagnostics.
 */

export interface PatternValues {
  readonly jobId: number;
  readonly jobName: string;
  readonly user: string;
  /** Short host name (%N). */
  readonly node: string;
  /** For array tasks. */
  readonly arrayJobId?: number;
  readonly arrayTaskId?: number;
}

/** What slurmd puts for %a outside an array: NO_VAL - 1. */
const NOT_AN_ARRAY = 4294967294;

export function expandOutputPattern(pattern: string, v: PatternValues): string {
  if (pattern.includes('\\')) return pattern.replace(/\\/g, '');
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch !== '%') { out += ch; continue; }
    if (pattern[i + 1] === '%') { out += '%'; i++; continue; }
    let k = i + 1;
    while (k < pattern.length && pattern[k]! >= '0' && pattern[k]! <= '9') k++;
    const width = Math.min(Number(pattern.slice(i + 1, k) || '0'), 10);
    const value = letterValue(pattern[k], v);
    if (value === undefined) { out += pattern.slice(i, k + 1); i = k; continue; }
    out += typeof value === 'number' ? String(value).padStart(width, '0') : value;
    i = k;
  }
  return out;
}

function letterValue(letter: string | undefined, v: PatternValues): string | number | undefined {
  switch (letter) {
    case 'j': return v.jobId;
    case 'J': return `${v.jobId}.batch`;
    case 'A': return v.arrayJobId ?? v.jobId;
    case 'a': return v.arrayTaskId ?? NOT_AN_ARRAY;
    case 'b': return (v.arrayTaskId ?? 0) % 10;
    case 'x': return v.jobName;
    case 'u': return v.user;
    case 'N': return v.node;
    case 'n': return 0;
    case 't': return 0;
    case 's': return 'batch';
    default: return undefined;
  }
}

/** sbatch's defaults: `slurm-%j.out`, and `slurm-%A_%a.out` for an array job. */
export function defaultOutputPattern(isArray: boolean): string {
  return isArray ? 'slurm-%A_%a.out' : 'slurm-%j.out';
}

/**
 * The indexes of an --array value, ascending, without repeats: `0-15:2,20,30-32%4`.
 * The value has passed the linter's --array check (server/src/values/array.ts), which also
 * gives the count and the `%` limit; this only lists the indexes that check counts.
 */
export function arrayIndexes(value: string): number[] {
  const seen = new Set<number>();
  for (const raw of value.split(',')) {
    const item = raw.split('%')[0]!.replace(/[[\]]/g, '');
    if (!item) continue;
    const m = /^(\d+)(?:-(\d+)(?::(\d+))?)?$/.exec(item);
    if (!m) continue;
    const first = Number(m[1]);
    const last = m[2] !== undefined ? Number(m[2]) : first;
    const step = m[3] !== undefined ? Number(m[3]) : 1;
    if (step < 1) continue;
    for (let i = first; i <= last; i += step) seen.add(i);
  }
  return [...seen].sort((a, b) => a - b);
}
