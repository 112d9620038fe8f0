/**
 * --array: sbatch passes the text on unchecked; slurmctld reads it in _valid_array_inx() and
 * _parse_array_tok() (src/slurmctld/job_mgr.c; slurm_parse_array_tok() in
 * src/common/slurm_protocol_defs.c in HEAD, same logic).
 *
 * The text is split on `,` (empty items skipped). Each item: an optional leading `[`, a first
 * index (strtol; a negative one is rejected), an optional `]`; then either the end or `%`, or
 * `-last` [`]`] followed by the end, `%`, or `:step` [`]`] and the end or `%`. step must be
 * 1 .. MaxArraySize-1, last >= first, last < MaxArraySize. Anything after a `%` inside an item
 * is not looked at here. The running limit is atoi() of the text after the first `%` of the
 * whole value and only counts when > 0, so `1-5%` and `1-5%0` run without a limit.
 * MaxArraySize is a site setting (default 1001) and can be at most 4000001.
 */
import { atoi, strtol } from './cNumbers';
import type { ValueChecker, ValueIssue } from './valueCheck';
import { listJoin, plural, quote } from './wording';

export interface ArraySpec {
  /** Number of distinct task indexes. */
  readonly count: number;
  readonly min: number;
  readonly max: number;
  /** The `%` limit when it is effective (> 0). */
  readonly maxRunning?: number;
}

const MAX_ARRAY_SIZE_LIMIT = 4000001;

interface Piece { readonly first: number; readonly last: number; readonly step: number }

export const checkArray: ValueChecker<ArraySpec> = (value) => {
  const issues: ValueIssue[] = [];
  const pieces: Piece[] = [];
  const items = [...value.matchAll(/[^,]+/g)];
  if (items.length === 0) {
    return { issues: [{ code: 'SBATCH112', message: 'An empty --array is ignored: the job is not an array.' }] };
  }
  for (const m of items) {
    const r = parseItem(m[0]);
    if (typeof r === 'string') {
      return { issues: [{ code: 'SBATCH036', message: `Slurm rejects this at submission: ${r}.`, start: m.index, end: m.index + m[0].length }] };
    }
    pieces.push(r);
    if (/^\[?(%|-(%|$))/.test(m[0])) {
      issues.push({ code: 'SBATCH112', message: `${quote(m[0])} has no index: Slurm reads it as index 0.`, start: m.index, end: m.index + m[0].length });
    }
  }

  const percent = value.indexOf('%');
  let maxRunning: number | undefined;
  if (percent >= 0) {
    const limit = atoi(value, percent + 1);
    const after = value.slice(percent + 1);
    if (limit > 0) maxRunning = limit;
    else {
      issues.push({
        code: 'SBATCH104',
        message: after === '' || after.startsWith(',')
          ? '`%` with no number after it: Slurm accepts this but puts no limit on how many tasks run at once. Write e.g. `%4`, or drop the `%`.'
          : `${quote(`%${after.split(',')[0]}`)} is not a positive limit: Slurm runs the tasks without a limit. Write e.g. \`%4\`.`,
        start: percent,
        end: percent + 1 + (after.split(',')[0]?.length ?? 0),
      });
    }
    const lastItem = items[items.length - 1]!;
    if (percent < lastItem.index) {
      issues.push({
        code: 'SBATCH112',
        message: 'The `%` limit applies to the whole array, whichever item it follows; put it once, at the end.',
        start: percent,
        end: percent + 1,
      });
    }
    const second = value.indexOf('%', percent + 1);
    if (second >= 0) {
      issues.push({ code: 'SBATCH112', message: 'Only the first `%` counts; Slurm ignores this one.', start: second, end: value.length });
    }
  }

  const indexes = new Uint8Array(Math.max(...pieces.map((p) => p.last)) + 1);
  let count = 0;
  for (const p of pieces) {
    for (let i = p.first; i <= p.last; i += p.step) {
      if (!indexes[i]) { indexes[i] = 1; count++; }
    }
  }
  let min = 0;
  while (!indexes[min]) min++;
  let max = indexes.length - 1;
  while (!indexes[max]) max--;

  const range = max - min + 1 === count ? (count === 1 ? `index ${min}` : `${min}–${max}`) : describePieces(pieces);
  const meaning = `${plural(count, 'task')} (${range}), ` + (maxRunning !== undefined ? `at most ${maxRunning} at once` : 'all may run at once');
  const parsed: ArraySpec = { count, min, max, ...(maxRunning !== undefined ? { maxRunning } : {}) };
  return { issues, meaning, parsed };
};

/** _parse_array_tok(): one comma-separated item, or why Slurm refuses it. */
function parseItem(tok: string): Piece | string {
  let i = tok[0] === '[' ? 1 : 0;
  const first = strtol(tok, i);
  const shown = quote(tok);
  i = first.end;
  if (tok[i] === ']') i++;
  if (first.value < 0n) return `${shown} starts with a negative index`;
  let last = first.value;
  let step = 1n;
  const endsHere = (k: number) => k === tok.length || tok[k] === '%';
  if (tok[i] === '-') {
    const l = strtol(tok, i + 1);
    last = l.value;
    i = l.end;
    if (tok[i] === ']') i++;
    if (tok[i] === ':') {
      const s = strtol(tok, i + 1);
      step = s.value;
      i = s.end;
      if (tok[i] === ']') i++;
      if (!endsHere(i)) return `${shown} is not an index range (write first-last[:step], e.g. 0-15:2)`;
      if (step <= 0n) return `the step in ${shown} must be at least 1`;
      if (step >= BigInt(MAX_ARRAY_SIZE_LIMIT)) return `the step in ${shown} must be below MaxArraySize (at most ${MAX_ARRAY_SIZE_LIMIT})`;
    } else if (!endsHere(i)) {
      return `${shown} is not an index range (write first-last, e.g. 0-15)`;
    }
    if (last < first.value) return `the range ${shown} ends before it starts`;
  } else if (!endsHere(i)) {
    if (tok[i] === ':') return `a step needs a range: write ${quote(`${first.value}-<last>${tok.slice(i)}`)}`;
    return `${shown} is not an array index (write e.g. 0-15, 1,3,5 or 0-15%4)`;
  }
  if (last >= BigInt(MAX_ARRAY_SIZE_LIMIT)) {
    return `index ${last} is above any possible MaxArraySize (indexes must be below MaxArraySize, which is at most ${MAX_ARRAY_SIZE_LIMIT}; 1001 by default)`;
  }
  return { first: Number(first.value), last: Number(last), step: Number(step) };
}

function describePieces(pieces: readonly Piece[]): string {
  const words = pieces.map((p) => p.first === p.last ? `${p.first}` : p.step === 1 ? `${p.first}–${p.last}` : `${p.first}–${p.last} in steps of ${p.step}`);
  return words.length > 6 ? `${listJoin(words.slice(0, 5), ',')} …` : listJoin(words);
}

