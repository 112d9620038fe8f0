/**
 * Slurm's text form of a bitmap, as bit_unfmt() / bitfmt2int() in src/common/bitstring.c read
 * it: "0-30,45,50-60", or one "first-last:step" for the whole text. Used for --nodes size
 * lists (23.02+) and the `_[...]` array-task sets in --dependency.
 */
import { strtol } from './cNumbers';

/**
 * bitfmt2int(): [start, end] pairs, or null where Slurm returns NULL. In the list form every
 * character other than a digit, `-` and `,` is skipped, as in C. In the step form the loop
 * stops before `last` (`i < end_task_id`), so "1-9:2" is 1, 3, 5, 7.
 */
export function bitfmt2int(text: string): Array<[number, number]> | null {
  const pairs: Array<[number, number]> = [];
  if (!text.includes(':')) {
    let sum = 0;
    let startVal = -1;
    for (let i = 0; i <= text.length; i++) {
      const ch = text[i];
      if (ch !== undefined && ch >= '0' && ch <= '9') {
        sum = sum * 10 + (ch.charCodeAt(0) - 48);
      } else if (ch === '-') {
        startVal = sum;
        sum = 0;
      } else if (ch === ',' || ch === undefined) {
        if (i === 0) break;
        pairs.push([startVal === -1 ? sum : startVal, sum]);
        startVal = -1;
        sum = 0;
      }
    }
    return pairs;
  }
  const a = strtol(text);
  if (text[a.end] !== '-') return null;
  const b = strtol(text, a.end + 1);
  if (text[b.end] !== ':') return null;
  const s = strtol(text, b.end + 1);
  if (s.end !== text.length) return null;
  if (b.value < a.value || s.value <= 0n) return null;
  const [first, last, step] = [Number(a.value), Number(b.value), Number(s.value)];
  if (step === 1) return last > first ? [[first, last - 1]] : [];
  for (let i = first; i < last; i += step) pairs.push([i, i]);
  return pairs;
}

/**
 * bit_unfmt() into a bitmap of `size` bits, as sorted disjoint [first, last] ranges, or null
 * when Slurm fails (bad text, or an index outside the bitmap). A pair whose start is after
 * its end sets nothing, as bit_nset() does.
 */
export function bitUnfmtRanges(text: string, size: number): Array<[number, number]> | null {
  if (text === '') return [];
  const pairs = bitfmt2int(text);
  if (!pairs) return null;
  for (const [lo, hi] of pairs) if (lo < 0 || lo >= size || hi < 0 || hi >= size) return null;
  const sorted = pairs.filter(([lo, hi]) => lo <= hi).sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [lo, hi] of sorted) {
    const last = merged[merged.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else merged.push([lo, hi]);
  }
  return merged;
}

/** bit_unfmt() as the list of set indexes (for small bitmaps). */
export function bitUnfmt(text: string, size: number): number[] | null {
  const ranges = bitUnfmtRanges(text, size);
  if (!ranges) return null;
  const out: number[] = [];
  for (const [lo, hi] of ranges) for (let i = lo; i <= hi; i++) out.push(i);
  return out;
}
