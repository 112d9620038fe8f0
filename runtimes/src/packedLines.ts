/**
 * Output lines packed flat: their texts in one string, their sources and times in typed
 * arrays. A batch of any size is then four objects — cheap to post between threads (the
 * arrays are transferred, not copied) and cheap to keep (an output panel stores them as they
 * come). A line becomes an object again only when someone reads it.
 */
import type { OutputLine, OutputSource } from './runtime';

export interface PackedLines {
  readonly text: string;
  /** `ends[k]`: where line k's text ends in `text` (it starts where line k - 1's ends). */
  readonly ends: Uint32Array;
  /** Index of each line's source in the table the packer keeps (see LinePacker.sources). */
  readonly sources: Uint32Array;
  /** ms since the epoch when each line was complete. */
  readonly times: Float64Array;
}

/** Chars one pack holds at most (unless one line is longer): no huge strings from long lines. */
export const PACK_CHARS = 1 << 20;

export function packedCount(p: PackedLines): number {
  return p.ends.length;
}

export function packedText(p: PackedLines, k: number): string {
  return p.text.slice(k === 0 ? 0 : p.ends[k - 1]!, p.ends[k]!);
}

/** Lines `from`..`to` (exclusive) of a pack, sharing nothing that the original could change. */
export function slicePacked(p: PackedLines, from: number, to = packedCount(p)): PackedLines {
  const start = from === 0 ? 0 : p.ends[from - 1]!;
  const ends = p.ends.slice(from, to);
  if (start > 0) for (let i = 0; i < ends.length; i++) ends[i]! -= start;
  return { text: p.text.slice(start, to === 0 ? 0 : p.ends[to - 1]!), ends, sources: p.sources.slice(from, to), times: p.times.slice(from, to) };
}

/**
 * Consecutive packs (of one packer) joined into as few as `maxChars` allows: what piled up
 * while the receiver was busy goes as a few large packs, not many small ones.
 */
export function mergePacked(packs: readonly PackedLines[], maxChars = PACK_CHARS): PackedLines[] {
  const out: PackedLines[] = [];
  let group: PackedLines[] = [];
  let chars = 0;
  const flush = () => {
    if (group.length === 1) out.push(group[0]!);
    else if (group.length > 1) out.push(concatPacked(group));
    group = [];
    chars = 0;
  };
  for (const p of packs) {
    if (group.length > 0 && chars + p.text.length > maxChars) flush();
    group.push(p);
    chars += p.text.length;
  }
  flush();
  return out;
}

function concatPacked(packs: readonly PackedLines[]): PackedLines {
  const n = packs.reduce((sum, p) => sum + packedCount(p), 0);
  const ends = new Uint32Array(n);
  const sources = new Uint32Array(n);
  const times = new Float64Array(n);
  let at = 0;
  let chars = 0;
  for (const p of packs) {
    for (let k = 0; k < p.ends.length; k++) ends[at + k] = p.ends[k]! + chars;
    sources.set(p.sources, at);
    times.set(p.times, at);
    at += p.ends.length;
    chars += p.text.length;
  }
  return { text: packs.map((p) => p.text).join(''), ends, sources, times };
}

function sourceKey(s: OutputSource): string {
  return `${s.stream}|${s.rank ?? ''}|${s.task ?? ''}|${s.system ? 1 : ''}`;
}

export function sameSource(a: OutputSource, b: OutputSource): boolean {
  return a.stream === b.stream && a.rank === b.rank && a.task === b.task && a.system === b.system;
}

/** A source with only the fields it has (no `undefined` members): what tables hold. */
function plainSource(s: OutputSource): OutputSource {
  const out: { -readonly [K in keyof OutputSource]: OutputSource[K] } = { stream: s.stream };
  if (s.rank !== undefined) out.rank = s.rank;
  if (s.task !== undefined) out.task = s.task;
  if (s.system !== undefined) out.system = s.system;
  return out;
}

/**
 * Packs lines, numbering their sources in a table that only grows: a pack's source indexes
 * stay valid for whoever holds the table (or the part of it `newSources` handed on).
 */
export class LinePacker {
  private readonly table: OutputSource[] = [];
  private readonly ids = new Map<string, number>();
  /** Sources added since `takeNewSources` was last called. */
  private fresh = 0;

  constructor(private readonly onNewSource?: (source: OutputSource, id: number) => void) {}

  get sources(): readonly OutputSource[] { return this.table; }

  /** The sources added since the last call (to send along with the packs that use them). */
  takeNewSources(): OutputSource[] {
    const out = this.table.slice(this.fresh);
    this.fresh = this.table.length;
    return out;
  }

  idOf(source: OutputSource): number {
    const key = sourceKey(source);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.table.length;
      const plain = plainSource(source);
      this.table.push(plain);
      this.ids.set(key, id);
      this.onNewSource?.(plain, id);
    }
    return id;
  }

  /** Lines `from`.. as packs of at most `maxChars` chars each (and at least one line). */
  pack(lines: readonly OutputLine[], from = 0, maxChars = PACK_CHARS): PackedLines[] {
    const out: PackedLines[] = [];
    let prev: OutputLine | undefined;
    let prevId = 0;
    let k = from;
    while (k < lines.length) {
      let end = k;
      let chars = 0;
      while (end < lines.length && (end === k || chars + lines[end]!.text.length <= maxChars)) chars += lines[end++]!.text.length;
      const n = end - k;
      const texts = new Array<string>(n);
      const ends = new Uint32Array(n);
      const sources = new Uint32Array(n);
      const times = new Float64Array(n);
      let at = 0;
      for (let i = 0; i < n; i++) {
        const line = lines[k + i]!;
        // Lines of one source come in runs: look the source up only when it changes.
        if (!prev || !sameSource(prev, line)) { prevId = this.idOf(line); prev = line; }
        texts[i] = line.text;
        ends[i] = at += line.text.length;
        sources[i] = prevId;
        times[i] = line.time;
      }
      out.push({ text: texts.join(''), ends, sources, times });
      k = end;
    }
    return out;
  }
}

/** The lines of a pack as objects, their sources from `table`. */
export function unpackLines(p: PackedLines, table: readonly OutputSource[]): OutputLine[] {
  const n = packedCount(p);
  const out = new Array<OutputLine>(n);
  let start = 0;
  for (let k = 0; k < n; k++) {
    const s = table[p.sources[k]!]!;
    const end = p.ends[k]!;
    out[k] = { stream: s.stream, rank: s.rank, task: s.task, system: s.system, text: p.text.slice(start, end), time: p.times[k]! };
    start = end;
  }
  return out;
}
