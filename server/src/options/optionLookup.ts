/**
 * Version arithmetic, GNU getopt_long name matching and did-you-mean ranking over a list of
 * sbatch options. Pure functions over whatever list they are given; `sbatchOptions.ts` holds
 * the table and wires these up with lookup maps built once.
 */
import type { ArgKind, SbatchOption } from './optionTypes';

/** Slurm releases the table describes, oldest first. The last one is the development branch. */
export const SLURM_RELEASES = ['22.05', '23.02', '23.11', '24.05', '24.11', '25.05', '25.11', '26.05', '26.11'] as const;

/** Newest stable release; the default wherever a version is optional and "current" is meant. */
export const CURRENT_RELEASE = '26.05';

/**
 * `YY.MM` (or `YY.MM.micro`, `slurm 24.05.3`, `24-05-3-1`) as a comparable number, e.g. 2405.
 * Returns NaN when no release can be read.
 */
export function releaseNumber(version: string): number {
  const m = /(\d{2})[.-](\d{1,2})/.exec(version);
  return m ? Number(m[1]) * 100 + Number(m[2]) : Number.NaN;
}

/** Whether sbatch of `version` accepts the option at all (hidden ones included). */
export function existsIn(option: SbatchOption, version: string): boolean {
  const v = releaseNumber(version);
  if (Number.isNaN(v)) return !option.removed;
  if (option.since && v < releaseNumber(option.since)) return false;
  if (option.removed && v >= releaseNumber(option.removed)) return false;
  if (option.absentIn?.some((a) => releaseNumber(a) === v)) return false;
  return true;
}

/** getopt's has_arg for the option in `version` (the current one when no version is given). */
export function argKindIn(option: SbatchOption, version?: string): ArgKind {
  if (version === undefined || !option.earlierArgs) return option.arg;
  const v = releaseNumber(version);
  if (Number.isNaN(v)) return option.arg;
  for (const e of option.earlierArgs) if (v < releaseNumber(e.until)) return e.arg;
  return option.arg;
}

export type LongOptionMatch =
  | { readonly kind: 'exact' | 'prefix'; readonly option: SbatchOption }
  | { readonly kind: 'ambiguous'; readonly candidates: SbatchOption[] }
  | { readonly kind: 'unknown' };

/**
 * glibc's process_long_option (posix/getopt.c), as sbatch calls it (getopt_long, not
 * getopt_long_only): a name that equals an option's name wins outright; otherwise every
 * option whose name starts with what was written is a candidate. One candidate is a match;
 * several are ambiguous unless each is equivalent to the first one found, meaning the same
 * has_arg, flag and val (sbatch passes no flags, so: same has_arg and same val). `valKey`
 * gives an option's getopt `val`; `options` must be in getopt-table order, since with
 * equivalent candidates getopt reports the first.
 */
export function matchLong(
  written: string,
  options: readonly SbatchOption[],
  exact: ReadonlyMap<string, SbatchOption>,
  valKey: (o: SbatchOption) => string,
  argOf: (o: SbatchOption) => ArgKind = (o) => o.arg,
): LongOptionMatch {
  const name = written.startsWith('--') ? written.slice(2) : written;
  const hit = exact.get(name);
  if (hit) return { kind: 'exact', option: hit };
  const candidates = options.filter((o) => o.name.startsWith(name));
  const first = candidates[0];
  if (!first) return { kind: 'unknown' };
  const same = candidates.every((o) => argOf(o) === argOf(first) && valKey(o) === valKey(first));
  return same ? { kind: 'prefix', option: first } : { kind: 'ambiguous', candidates };
}

/** Optimal-string-alignment distance: Levenshtein plus swaps of two adjacent characters. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => {
    const row = new Array<number>(cols).fill(0);
    row[0] = i;
    return row;
  });
  for (let j = 0; j < cols; j++) d[0]![j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** How many edits still count as a typo of a word this long. */
function typoBudget(length: number): number {
  return length <= 3 ? 1 : length <= 6 ? 2 : 3;
}

/**
 * Did-you-mean: options whose long name is within a few edits of `written`, or contains it
 * (or, for names of three letters or more, is contained in it: `--memory` → `--mem`).
 * Closest first (a name starting with `written` counts as one edit away); among equals,
 * containment and shorter names first.
 */
export function rankSuggestions(written: string, options: readonly SbatchOption[], max: number): SbatchOption[] {
  const w = written.replace(/^-+/, '').split('=')[0]!.toLowerCase();
  if (!w || max <= 0) return [];
  const budget = typoBudget(w.length);
  const scored: { option: SbatchOption; score: number; distance: number; contains: boolean }[] = [];
  for (const option of options) {
    const distance = editDistance(w, option.name);
    const contains = option.name.includes(w) || (option.name.length >= 3 && w.includes(option.name));
    if (distance > budget && !contains) continue;
    // A name that starts with what was written ranks with one-edit typos (`--cpus`, `--mail`).
    const score = Math.min(distance, option.name.startsWith(w) ? 1 : budget + 1);
    scored.push({ option, score, distance, contains });
  }
  scored.sort((x, y) =>
    x.score - y.score
    || Number(y.contains) - Number(x.contains)
    || x.distance - y.distance
    || x.option.name.length - y.option.name.length
    || (x.option.name < y.option.name ? -1 : x.option.name > y.option.name ? 1 : 0));
  return scored.slice(0, max).map((s) => s.option);
}
