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

/** Expand one item into host names (capped), or why hostlist_create() fails. */
function expand(item: string, cap: number): { hosts: string[]; count: number } | { error: string } {
  const open = item.lastIndexOf('[');
  if (open < 0) return { hosts: [item], count: 1 };
  const close = item.indexOf(']', open);
  if (close < 0) return { error: `the \`[\` is never closed (sbatch then looks for a node literally named ${quote(`${item.slice(0, open)}]`)}, which slurmctld refuses as an invalid node name)` };
  if (close !== item.length - 1) return { error: `nothing may follow the \`]\` in ${quote(item)}` };
  const r = ranges(item.slice(open + 1, close));
  if ('error' in r) return r;
  const prefix = item.slice(0, open);
  const prefixes = prefix.includes('[') ? expandPrefix(prefix, cap) : { hosts: [prefix], count: 1 };
  if ('error' in prefixes) return prefixes;
  const hosts: string[] = [];
  for (const p of prefixes.hosts) {
    for (const { lo, hi, width } of r.values) {
      for (let n = lo; n <= hi && hosts.length < cap; n++) hosts.push(`${p}${String(n).padStart(width, '0')}`);
    }
  }
  return { hosts, count: prefixes.count * rangeCount(r.values) };
}

/** A prefix with its own `[...]` (rack[1-2]n): expanded the same way, text after `]` kept. */
function expandPrefix(prefix: string, cap: number): { hosts: string[]; count: number } | { error: string } {
  const open = prefix.lastIndexOf('[');
  const close = prefix.indexOf(']', open);
  if (close < 0) return { hosts: [prefix], count: 1 };
  const r = ranges(prefix.slice(open + 1, close));
  if ('error' in r) return r;
  const head = expandPrefix(prefix.slice(0, open), cap);
  if ('error' in head) return head;
  const tail = prefix.slice(close + 1);
  const hosts: string[] = [];
  for (const h of head.hosts) {
    for (const { lo, hi, width } of r.values) {
      for (let n = lo; n <= hi && hosts.length < cap; n++) hosts.push(`${h}${String(n).padStart(width, '0')}${tail}`);
    }
  }
  return { hosts, count: head.count * rangeCount(r.values) };
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
