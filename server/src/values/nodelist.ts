/**
 * --nodelist, --exclude: a host list expression, or (when it contains a `/`) a file of node
 * names (verify_node_list() in src/common/proc_args.c). sbatch builds a hostlist from it
 * (hostlist_create(), src/common/hostlist.c, 22.05) and stops on a bad one.
 *
 * Items are separated by `,`, space or tab, except inside `[...]`. In an item, the last `[`
 * opens a range list that must close with `]` at the very end of the item (else "bad"); with
 * no `]` at all sbatch keeps the text before `[` plus a `]` as a node name, which slurmctld
 * refuses ("Invalid node name specified"). A range list is `,`-separated numbers or lo-hi
 * ranges: digits only, lo <= hi, at most 65536 hosts per range, no `x`, no negative numbers.
 * Earlier `[...]` in the same item (rack[1-2]n[1-4]) follow the same rules.
 */
import type { ValueChecker } from './valueCheck';
import { plural, quote } from './wording';

export interface NodeList {
  /** Host names listed (bracket ranges expanded), or the file to read them from. */
  readonly hosts?: readonly string[];
  readonly count?: number;
  readonly file?: string;
}

const MAX_RANGE = 64 * 1024;

/** Split like _next_tok(): separators outside brackets. */
function items(value: string): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  let depth = 0;
  let start = -1;
  for (let i = 0; i <= value.length; i++) {
    const ch = value[i];
    const sep = ch === undefined || (depth === 0 && (ch === ',' || ch === ' ' || ch === '\t'));
    if (sep) {
      if (start >= 0) out.push({ text: value.slice(start, i), start });
      start = -1;
      continue;
    }
    if (start < 0) start = i;
    if (ch === '[') depth++;
    else if (ch === ']' && depth > 0) depth--;
  }
  return out;
}

/** One `lo[-hi]` list between brackets; the numbers, or why not. */
function ranges(list: string): { values: { lo: number; hi: number; width: number }[] } | { error: string } {
  const values: { lo: number; hi: number; width: number }[] = [];
  for (const part of list.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) return { error: `${quote(part)} is not a number or a lo-hi range` };
    const lo = Number(m[1]);
    const hi = m[2] !== undefined ? Number(m[2]) : lo;
    if (lo > hi) return { error: `the range ${quote(part)} runs backwards` };
    if (hi - lo + 1 > MAX_RANGE) return { error: `the range ${quote(part)} has more than ${MAX_RANGE} hosts` };
    values.push({ lo, hi, width: m[1]!.length });
  }
  return { values };
}

/** Longer items are checked and counted but not expanded: no host name is that long (Linux allows 64). */
const MAX_EXPANDED_ITEM = 256;

/** Expand one item into host names (capped), or why hostlist_create() fails. */
function expand(item: string, cap: number): { hosts: string[]; count: number } | { error: string } {
  const open = item.lastIndexOf('[');
  if (open < 0) return { hosts: [item], count: 1 };
  const close = item.indexOf(']', open);
  if (close < 0) return { error: `the \`[\` is never closed (sbatch then looks for a node literally named ${quote(`${item.slice(0, open)}]`)}, which slurmctld refuses as an invalid node name)` };
  if (close !== item.length - 1) return { error: `nothing may follow the \`]\` in ${quote(item)}` };
  return expandGroups(item, cap);
}

/**
 * `rack[1-2]n[1-4]`: each `[...]` from the right, the text after its `]` kept; an earlier `[`
 * that never closes leaves everything before it as text. A loop, not recursion: an item with
 * thousands of groups (`a[1]a[1]…`) overflowed the stack and crashed the language server.
 */
function expandGroups(item: string, cap: number): { hosts: string[]; count: number } | { error: string } {
  const groups: { values: { lo: number; hi: number; width: number }[]; tail: string }[] = [];
  let end = item.length;
  let count = 1;
  for (;;) {
    const open = end > 0 ? item.lastIndexOf('[', end - 1) : -1;
    const close = open < 0 ? -1 : item.indexOf(']', open);
    if (close < 0 || close >= end) break;
    const r = ranges(item.slice(open + 1, close));
    if ('error' in r) return r;
    groups.push({ values: r.values, tail: item.slice(close + 1, end) });
    count *= rangeCount(r.values);
    end = open;
  }
  if (item.length > MAX_EXPANDED_ITEM) return { hosts: [], count };
  let hosts = [item.slice(0, end)];
  for (let g = groups.length - 1; g >= 0; g--) {
    const { values, tail } = groups[g]!;
    const next: string[] = [];
    for (const h of hosts) {
      for (const { lo, hi, width } of values) {
        for (let n = lo; n <= hi && next.length < cap; n++) next.push(`${h}${String(n).padStart(width, '0')}${tail}`);
      }
    }
    hosts = next;
  }
  return { hosts, count };
}

function rangeCount(values: readonly { lo: number; hi: number }[]): number {
  return values.reduce((n, v) => n + v.hi - v.lo + 1, 0);
}

export const checkNodeList: ValueChecker<NodeList> = (value) => {
  if (value.includes('/')) {
    return { issues: [], meaning: `node names read from the file ${value}`, parsed: { file: value } };
  }
  const hosts: string[] = [];
  let count = 0;
  for (const it of items(value)) {
    const r = expand(it.text, 1000);
    if ('error' in r) {
      return {
        issues: [{
          code: 'SBATCH040',
          message: `sbatch rejects this: ${quote(it.text)} is not a valid host list: ${r.error} (write e.g. node[01-04,07],gpu5).`,
          start: it.start,
          end: it.start + it.text.length,
        }],
      };
    }
    hosts.push(...r.hosts);
    count += r.count;
  }
  const unique = [...new Set(hosts)];
  if (count === 0) return { issues: [], meaning: 'no nodes', parsed: { hosts: [], count: 0 } };
  const shown = unique.length <= 4 && count === unique.length ? `: ${unique.join(', ')}` : '';
  return { issues: [], meaning: `${plural(count, 'node')}${shown}`, parsed: { hosts: unique, count } };
};
