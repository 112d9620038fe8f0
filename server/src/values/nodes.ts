/**
 * --nodes: verify_node_count() in src/common/proc_args.c, 22.05.
 *
 * - With a `-`: the text before the first `-` is the minimum, the rest the maximum. Each is
 *   read by _str_to_nodes(): strtol(), then an optional k/K (x1024) and an optional m/M
 *   (x1048576); what is left must be white space, else `"x" is not a valid node count`.
 *   No digits at all reads as -1: an empty minimum becomes 1, an empty maximum stays -1.
 * - Without: one count, which must not be negative.
 * - Then `Maximum node count 2 is less than minimum node count 4` unless the maximum is 0
 *   (0 = no maximum).
 * The counts are `int`s: past INT_MAX they wrap, and sbatch's _opt_verify() then refuses a
 * negative one ("invalid number of nodes").
 *
 * Since 23.02 a value with `,` or `:` is a list of allowed sizes ("1,4,8", "2-8:2"), kept in a
 * bitmap (bit_unfmt); 22.05 rejects it as "not a valid node count".
 */
import { bitUnfmt } from './bitmapText';
import { isCSpace, strtol, toInt32 } from './cNumbers';
import type { ValueCheck, ValueChecker, ValueContext, ValueIssue } from './valueCheck';
import { listJoin, plural, quote, releaseAtLeast } from './wording';

export interface NodeCount {
  readonly min: number;
  /** Absent when there is no upper bound. */
  readonly max?: number;
  /** The allowed sizes, for the list form (23.02+). */
  readonly sizes?: readonly number[];
}

/** Slurm's xstring_is_whitespace(): true for "" too. */
function allSpace(s: string): boolean {
  return [...s].every(isCSpace);
}

/** _str_to_nodes(): the count and whatever follows it. */
function strToNodes(text: string): { count: number; leftover: string; suffix: string } {
  const n = strtol(text);
  if (!n.digits) return { count: -1, leftover: text, suffix: '' };
  let num = n.value;
  let end = n.end;
  let suffix = '';
  if (text[end] === 'k' || text[end] === 'K') { num *= 1024n; suffix += text[end]; end++; }
  if (text[end] === 'm' || text[end] === 'M') { num *= 1048576n; suffix += text[end]; end++; }
  return { count: toInt32(num), leftover: text.slice(end), suffix };
}

function notACount(text: string, start: number, context?: ValueContext): ValueIssue {
  const list = !releaseAtLeast(context, '23.02') && /[,:]/.test(text)
    ? ' A list of node counts needs Slurm 23.02 or newer.' : '';
  return {
    code: 'SBATCH033',
    message: `sbatch rejects this: "${text}" is not a valid node count (a number, or min-max, with an optional k or m suffix).${list}`,
    start,
    end: start + text.length,
  };
}

/** "4 nodes", or "4096 nodes (4k)" when a suffix was used. */
function nodesWord(n: number, suffix: string, written: string): string {
  return suffix ? `${plural(n, 'node')} (${written.trim()})` : plural(n, 'node');
}

export const checkNodes: ValueChecker<NodeCount> = (value, _optionName, context) => {
  if (releaseAtLeast(context, '23.02') && /[,:]/.test(value)) return checkSizeList(value);
  const issues: ValueIssue[] = [];
  const dash = value.indexOf('-');
  let min: number;
  let max: number;
  let meaning: string;
  if (dash >= 0) {
    const minText = value.slice(0, dash);
    const maxText = value.slice(dash + 1);
    const lo = strToNodes(minText);
    if (!allSpace(lo.leftover)) return { issues: [notACount(minText, 0, context)] };
    const hi = strToNodes(maxText);
    if (!allSpace(hi.leftover)) return { issues: [notACount(maxText, dash + 1, context)] };
    min = lo.count < 0 ? 1 : lo.count;
    max = hi.count;
    meaning = max === 0 ? `at least ${nodesWord(min, lo.suffix, minText)}`
      : `between ${min}${lo.suffix ? ` (${minText.trim()})` : ''} and ${nodesWord(max, hi.suffix, maxText)}`;
    if (max === 0 && /\S/.test(maxText)) {
      issues.push({
        code: 'SBATCH112',
        message: `A maximum of 0 means no maximum: sbatch reads ${quote(value)} as at least ${plural(min, 'node')}.`,
        start: dash + 1,
        end: value.length,
      });
    }
  } else {
    const one = strToNodes(value);
    if (!allSpace(one.leftover) || one.count < 0) {
      if (allSpace(one.leftover) && strtol(value).digits) return wrapped(value);
      return { issues: [notACount(value, 0, context)] };
    }
    min = max = one.count;
    meaning = nodesWord(min, one.suffix, value);
    if (min === 0) {
      issues.push({ code: 'SBATCH112', message: '0 nodes is only meaningful for a job that just creates or destroys a persistent burst buffer; anything else needs at least 1 node.' });
    }
  }
  if (max !== 0 && max < min) {
    const text = max < 0 && dash >= 0 && !/\S/.test(value.slice(dash + 1)) ? ' (nothing after the `-` reads as -1)' : '';
    return {
      issues: [{
        code: 'SBATCH033',
        message: `sbatch rejects this: Maximum node count ${max} is less than minimum node count ${min}${text}.`,
      }],
    };
  }
  if (min < 0 || max < 0) return wrapped(value);
  return { issues, meaning, parsed: max === 0 && dash >= 0 ? { min } : { min, max } };
};

function wrapped(value: string): ValueCheck<NodeCount> {
  return {
    issues: [{
      code: 'SBATCH033',
      message: `sbatch rejects this: ${quote(value)} does not fit in a 32-bit node count and wraps around to a negative number ("invalid number of nodes").`,
    }],
  };
}

/**
 * 23.02+: the sizes list. Every number between the separators `,` `-` `:` must be all digits
 * (strtok + strtol), then bit_unfmt() reads it: "a-b:step" as a whole, or comma-separated
 * numbers and ranges. (bitfmt2int's step loop stops before b: "2-8:2" allows 2, 4 and 6.)
 */
function checkSizeList(value: string): ValueCheck<NodeCount> {
  const tokenRe = /[^,:-]+/g;
  let top = 0;
  for (const m of value.matchAll(tokenRe)) {
    const n = strtol(m[0]);
    if (!n.digits || n.end !== m[0].length) return { issues: [notACount(m[0], m.index)] };
    if (n.value >= 16384n) {
      return { issues: [{ code: 'SBATCH033', message: `sbatch rejects this: "${m[0]}" is not a valid node count (a list of sizes goes up to 16383).`, start: m.index, end: m.index + m[0].length }] };
    }
    top = Math.max(top, Number(n.value));
  }
  const bad = (): ValueCheck<NodeCount> => ({ issues: [notACount(value, 0)] });
  const list = bitUnfmt(value, top + 1);
  if (!list) return bad();
  if (list.length === 0) return bad();
  const min = list[0]!;
  const max = list[list.length - 1]!;
  const shown = list.length <= 8 ? listJoin(list.map(String), 'or') : `${list.length} sizes from ${min} to ${max}`;
  return { issues: [], meaning: `${shown} nodes`, parsed: { min, max, sizes: list } };
}
