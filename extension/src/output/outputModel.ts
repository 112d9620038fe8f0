/**
 * A run's output as the panel sees it, in plain Node (no `vscode`): the newest lines in memory
 * (older ones are only in the run log on disk), the sources seen so far, filtered views and
 * search. Every append costs O(lines appended); nothing here walks all lines except a filter
 * change or a new search, which the user asks for.
 */
import type { OutputLine, OutputSource } from '../../../runtimes/src/runtime';
import { LinePacker, packedCount, packedText, sameSource, slicePacked, type PackedLines } from '../../../runtimes/src/index';
import { stripAnsi } from './ansi';

export const DEFAULT_MAX_LINES = 200_000;

export interface OutputModelOptions {
  /** Lines kept in memory (the newest). */
  readonly maxLines?: number;
  /** Lines before the first appended one, that exist only in the log (a panel opened late). */
  readonly offset?: number;
}

/** The ranks, tasks and streams seen so far: what the panel offers as filters. */
export interface OutputSources {
  /** The lowest ones, at most the limit asked for (a tasks run may have 100,000). */
  readonly ranks: readonly number[];
  readonly tasks: readonly number[];
  /** How many were left out. */
  readonly moreRanks: number;
  readonly moreTasks: number;
  /** The program wrote to stderr (the extension's own notes do not count). */
  readonly stderr: boolean;
}

export const MAX_SOURCES_LISTED = 1000;

/**
 * Lines kept as the packs they came in (runtimes/src/packedLines.ts: texts in one string,
 * sources and times in typed arrays, off the JS heap); a line becomes an object again only
 * when read. Why: a panel holds the newest 200,000 lines, and as separate objects every one of
 * them survived two young-generation GCs in a flood — pauses of 30–150 ms in the extension
 * host. A chunk is four objects whatever its size.
 */
interface Chunk extends PackedLines {
  /** Global index of its first line. */
  readonly first: number;
}

export class OutputModel {
  readonly maxLines: number;
  /** Chunks from `chunkHead` on hold the retained lines (the oldest may begin before them). */
  /** Slots before `chunkHead` are cleared (undefined) so evicted text can be collected. */
  private chunks: (Chunk | undefined)[] = [];
  private chunkHead = 0;
  /** The chunk found last: reads are mostly sequential. */
  private lastChunk = 0;
  private count = 0;
  private lines: number;
  /** Distinct sources (stream, rank, task, system), referred to by index from chunks. */
  private readonly packer = new LinePacker((s) => this.noteSource(s));
  /** For appendPacked: the sender's source table last seen, and its indexes mapped to ours. */
  private remapTable: readonly OutputSource[] | undefined;
  private remap: number[] = [];
  // Kept sorted as they come (usually in order, so each insert is a push).
  private readonly ranks: number[] = [];
  private readonly tasks: number[] = [];
  private stderr = false;
  /** Changes whenever a new rank, task or stream shows up. */
  sourcesVersion = 0;

  constructor(options: OutputModelOptions = {}) {
    this.maxLines = Math.max(1, Math.floor(options.maxLines ?? DEFAULT_MAX_LINES));
    this.lines = Math.max(0, Math.floor(options.offset ?? 0));
  }

  /** Every line of the run so far, in memory or not. */
  get total(): number { return this.lines; }
  /** Lines held in memory. */
  get retained(): number { return this.count; }
  /** Global index of the oldest line in memory. */
  get firstRetained(): number { return this.lines - this.count; }

  private get sourceTable(): readonly OutputSource[] { return this.packer.sources; }

  append(lines: readonly OutputLine[]): void {
    // A batch larger than the whole buffer: only its newest lines can stay (the others' sources still count).
    const skip = Math.max(0, lines.length - this.maxLines);
    for (let k = 0; k < skip; k++) if (k === 0 || !sameSource(lines[k - 1]!, lines[k]!)) this.packer.idOf(lines[k]!);
    this.lines += skip;
    for (const p of this.packer.pack(lines, skip)) this.store(p);
  }

  /**
   * Lines packed elsewhere (a run in a worker thread), their source indexes into `table` (the
   * sender's, which only grows). The pack is kept, not copied: nobody may change it after.
   */
  appendPacked(p: PackedLines, table: readonly OutputSource[]): void {
    if (table !== this.remapTable) { this.remapTable = table; this.remap = []; }
    const remap = this.remap;
    // Our own indexes, in a copy only where they differ from the sender's (another listener may
    // hold the same pack): a panel open from the start numbers sources as its run does.
    let ids = p.sources;
    for (let i = 0; i < ids.length; i++) {
      const from = p.sources[i]!;
      let to = remap[from];
      if (to === undefined) remap[from] = to = this.packer.idOf(table[from]!);
      if (to === from && ids === p.sources) continue;
      if (ids === p.sources) ids = p.sources.slice();
      ids[i] = to;
    }
    const n = packedCount(p);
    const skip = Math.max(0, n - this.maxLines);
    this.lines += skip;
    const mine = ids === p.sources ? p : { ...p, sources: ids };
    this.store(skip > 0 ? slicePacked(mine, skip) : mine);
  }

  private store(p: PackedLines): void {
    const n = packedCount(p);
    if (n === 0) return;
    this.chunks.push({ first: this.lines, text: p.text, ends: p.ends, sources: p.sources, times: p.times });
    this.lines += n;
    this.count = Math.min(this.maxLines, this.count + n);
    this.evict();
  }

  /**
   * The log holds `linesInLog` lines and memory the newest of them (a panel opened after the
   * run ended, from the run's tail): number the lines as the log does, so history can be read
   * from it. False, changing nothing, where that cannot be so. Call before making any view.
   */
  alignToLog(linesInLog: number): boolean {
    if (this.firstRetained !== 0 || !Number.isSafeInteger(linesInLog) || linesInLog < this.lines) return false;
    const shift = linesInLog - this.lines;
    this.chunks = this.chunks.slice(this.chunkHead).map((c) => ({ ...c!, first: c!.first + shift }));
    this.chunkHead = 0;
    this.lastChunk = 0;
    this.lines = linesInLog;
    return true;
  }

  /** The line at a global index, if it is still in memory. */
  line(index: number): OutputLine | undefined {
    const at = this.locate(index);
    if (!at) return undefined;
    const [c, k] = at;
    const s = this.sourceTable[c.sources[k]!]!;
    return { ...s, text: packedText(c, k), time: c.times[k]! };
  }

  /** Just the text of a line in memory (search: no object made). */
  text(index: number): string | undefined {
    const at = this.locate(index);
    return at ? packedText(at[0], at[1]) : undefined;
  }

  /** Just the source of a line in memory (filters: no object made). */
  source(index: number): OutputSource | undefined {
    const at = this.locate(index);
    return at ? this.sourceTable[at[0].sources[at[1]]!] : undefined;
  }

  sources(limit = MAX_SOURCES_LISTED): OutputSources {
    return {
      ranks: this.ranks.slice(0, limit),
      tasks: this.tasks.slice(0, limit),
      moreRanks: Math.max(0, this.ranks.length - limit),
      moreTasks: Math.max(0, this.tasks.length - limit),
      stderr: this.stderr,
    };
  }

  private locate(index: number): [Chunk, number] | undefined {
    if (!Number.isInteger(index) || index < this.firstRetained || index >= this.lines) return undefined;
    const chunks = this.chunks;
    const holds = (i: number) => index >= chunks[i]!.first && (i + 1 === chunks.length || index < chunks[i + 1]!.first);
    let i = Math.max(this.lastChunk, this.chunkHead);
    if (i >= chunks.length || !holds(i)) {
      if (i + 1 < chunks.length && holds(i + 1)) i++;
      else {
        let lo = this.chunkHead;
        let hi = chunks.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >>> 1;
          if (chunks[mid]!.first <= index) lo = mid; else hi = mid - 1;
        }
        i = lo;
      }
    }
    this.lastChunk = i;
    const c = chunks[i]!;
    return [c, index - c.first];
  }

  /** Drops the chunks wholly before the first retained line. */
  private evict(): void {
    const first = this.firstRetained;
    const chunks = this.chunks;
    while (this.chunkHead + 1 < chunks.length && chunks[this.chunkHead + 1]!.first <= first) chunks[this.chunkHead++] = undefined;
    // Compact now and then: amortised O(1) per chunk.
    if (this.chunkHead > 64 && this.chunkHead * 2 > chunks.length) {
      this.chunks = chunks.slice(this.chunkHead);
      this.lastChunk = Math.max(0, this.lastChunk - this.chunkHead);
      this.chunkHead = 0;
    }
  }

  private noteSource(line: OutputSource): void {
    if (line.rank !== undefined && insertSorted(this.ranks, line.rank)) this.sourcesVersion++;
    if (line.task !== undefined && insertSorted(this.tasks, line.task)) this.sourcesVersion++;
    if (line.stream === 'stderr' && !line.system && !this.stderr) { this.stderr = true; this.sourcesVersion++; }
  }
}

/** Adds `x` to a sorted list unless it is there; true if added. O(1) when `x` is the largest. */
function insertSorted(list: number[], x: number): boolean {
  const n = list.length;
  if (n === 0 || list[n - 1]! < x) { list.push(x); return true; }
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < x) lo = mid + 1; else hi = mid;
  }
  if (list[lo] === x) return false;
  list.splice(lo, 0, x);
  return true;
}

// --- Filters ---------------------------------------------------------------------------------

export type OutputFilter =
  | { readonly kind: 'all' }
  | { readonly kind: 'stderr' }
  | { readonly kind: 'rank'; readonly id: number }
  | { readonly kind: 'task'; readonly id: number };

/** `all`, `stderr`, `rank:3`, `task:12`: the form the webview sends. Undefined for anything else. */
export function parseFilter(key: unknown): OutputFilter | undefined {
  if (key === 'all' || key === 'stderr') return { kind: key };
  if (typeof key !== 'string') return undefined;
  const m = /^(rank|task):(\d{1,9})$/.exec(key);
  return m ? { kind: m[1] as 'rank' | 'task', id: Number(m[2]) } : undefined;
}

export function filterKey(f: OutputFilter): string {
  return f.kind === 'rank' || f.kind === 'task' ? `${f.kind}:${f.id}` : f.kind;
}

export function matchesFilter(f: OutputFilter, line: OutputSource): boolean {
  switch (f.kind) {
    case 'all': return true;
    // What the program wrote to stderr: the [hpc-jobs] notes are not its errors.
    case 'stderr': return line.stream === 'stderr' && !line.system;
    case 'rank': return line.rank === f.id;
    case 'task': return line.task === f.id;
  }
}

/**
 * The lines of one filter as a list the webview scrolls through. A position stays the same
 * line for the life of the view, so the webview can cache by position while lines stream in
 * and old ones leave memory:
 *  - `all`: position = the line's global index; positions before `firstInMemory` are only in
 *    the log;
 *  - any other filter: position = how many matching lines came before it since the view was
 *    made; positions before `firstInMemory` have left memory.
 */
export class LineView {
  /** Global indexes of the matching lines still in memory (filtered views only). */
  private globals: number[] = [];
  private globalsHead = 0;
  /** Positions that have left memory (filtered views). */
  private dropped = 0;
  /** Global index up to which lines have been looked at. */
  private scanned: number;

  constructor(readonly model: OutputModel, readonly filter: OutputFilter) {
    this.scanned = model.firstRetained;
    this.sync();
  }

  /** Takes in lines appended (and lets go of lines evicted) since the last call: O(change). */
  sync(): void {
    const m = this.model;
    if (this.filter.kind === 'all') { this.scanned = m.total; return; }
    for (let g = Math.max(this.scanned, m.firstRetained); g < m.total; g++) {
      if (matchesFilter(this.filter, m.source(g)!)) this.globals.push(g);
    }
    this.scanned = m.total;
    const first = m.firstRetained;
    while (this.globalsHead < this.globals.length && this.globals[this.globalsHead]! < first) {
      this.globalsHead++;
      this.dropped++;
    }
    // Compact now and then: amortised O(1) per line, no unbounded growth.
    if (this.globalsHead > 4096 && this.globalsHead * 2 > this.globals.length) {
      this.globals = this.globals.slice(this.globalsHead);
      this.globalsHead = 0;
    }
  }

  /** Positions in the view, in memory or not. */
  get count(): number {
    return this.filter.kind === 'all' ? this.model.total : this.dropped + this.globals.length - this.globalsHead;
  }

  /** The first position whose line is in memory. */
  get firstInMemory(): number {
    return this.filter.kind === 'all' ? this.model.firstRetained : this.dropped;
  }

  /** Global index of a position, if its line is in memory. */
  globalIndex(position: number): number | undefined {
    if (!Number.isInteger(position) || position < this.firstInMemory || position >= this.count) return undefined;
    return this.filter.kind === 'all' ? position : this.globals[this.globalsHead + position - this.dropped];
  }

  line(position: number): OutputLine | undefined {
    const g = this.globalIndex(position);
    return g === undefined ? undefined : this.model.line(g);
  }

  text(position: number): string | undefined {
    const g = this.globalIndex(position);
    return g === undefined ? undefined : this.model.text(g);
  }
}

// --- Search ----------------------------------------------------------------------------------

export interface SearchQuery {
  readonly text: string;
  readonly regex?: boolean;
  readonly caseSensitive?: boolean;
}

/** A test for one line's visible text, or the reason the query is not usable. */
export function compileQuery(q: SearchQuery): { test: (text: string) => boolean } | { error: string } {
  if (q.text.length === 0) return { error: 'empty query' };
  if (q.regex) {
    try {
      const re = new RegExp(q.text, q.caseSensitive ? '' : 'i');
      return { test: (t) => re.test(t) };
    } catch (err) {
      return { error: err instanceof Error ? err.message : String(err) };
    }
  }
  if (q.caseSensitive) return { test: (t) => t.includes(q.text) };
  const needle = q.text.toLowerCase();
  return { test: (t) => t.toLowerCase().includes(needle) };
}

export interface SearchResult {
  /** Matching positions of the view, ascending. */
  readonly positions: number[];
  /** Stopped early: too many matches, or the time budget ran out (a slow regex). */
  readonly truncated?: 'matches' | 'time';
  /** Where to go on from after running out of time. */
  readonly next?: number;
}

export interface SearchLimits {
  readonly maxMatches?: number;
  /** Wall-clock budget, checked every 1024 lines. */
  readonly maxMs?: number;
  readonly now?: () => number;
}

export const MAX_MATCHES = 50_000;

/**
 * Positions in [from, to) of the view whose visible text (escapes removed) matches. Only lines
 * in memory are searched.
 */
export function searchView(
  view: LineView,
  test: (text: string) => boolean,
  from = view.firstInMemory,
  to = view.count,
  limits: SearchLimits = {},
): SearchResult {
  const maxMatches = limits.maxMatches ?? MAX_MATCHES;
  const now = limits.now ?? Date.now;
  const deadline = limits.maxMs !== undefined ? now() + limits.maxMs : Infinity;
  const positions: number[] = [];
  for (let p = Math.max(from, view.firstInMemory); p < to; p++) {
    if ((p & 1023) === 0 && now() > deadline) return { positions, truncated: 'time', next: p };
    const text = view.text(p);
    if (text !== undefined && test(stripAnsi(text))) {
      if (positions.length >= maxMatches) return { positions, truncated: 'matches' };
      positions.push(p);
    }
  }
  return { positions };
}
