/**
 * Where a run's lines go: the log on disk (all of them, as the bytes the program wrote), a
 * capped in-memory tail, and listeners in batches (as text to show, see byteText.ts). Memory stays bounded whatever a program prints: a batch is flushed at
 * `maxBatch` lines, and when the disk falls behind the sources are paused (the program then
 * blocks on its own write, as it would on a slow terminal).
 */
import { displayText, textBytes } from './byteText';
import { linePrefix } from './outputTags';
import type { RunLog } from './runLog';
import type { OutputLine, OutputSource } from './runtime';

export interface OutputOptions {
  /** Deliver a batch at least this often while output flows. */
  readonly flushMs?: number;
  /** ...or as soon as it holds this many lines. */
  readonly maxBatch?: number;
  /** Lines kept in memory for `tail()`. */
  readonly tailLines?: number;
}

/** Something that produces output and can be told to wait: a pipe, a pty. */
export interface Pausable { pause(): unknown; resume(): unknown }

const SYSTEM: Record<'stdout' | 'stderr', OutputSource> = { stdout: { stream: 'stdout', system: true }, stderr: { stream: 'stderr', system: true } };

export class RunOutput {
  /** Lines not yet delivered, as the groups they came in. */
  private pieces: OutputLine[][] = [];
  private pending = 0;
  /** Their text for the log, written when they are delivered. */
  private logText: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly ring: (OutputLine | undefined)[];
  private ringNext = 0;
  private readonly sources = new Set<Pausable>();
  private waitingForDisk = false;
  /** Readers behind (see `hold`): the sources stay paused while any is. */
  private holds = 0;
  private readonly prefixes = new Map<OutputSource, string>();
  /** The source whose last line in the log is a piece that its next lines continue. */
  private logOpen: OutputSource | undefined;
  private readonly flushMs: number;
  private readonly maxBatch: number;
  /** Lines seen, all streams. */
  lineCount = 0;

  constructor(private readonly log: RunLog, private readonly deliver: (lines: readonly OutputLine[]) => void, options: OutputOptions = {}) {
    this.flushMs = options.flushMs ?? 50;
    this.maxBatch = options.maxBatch ?? 2000;
    this.ring = new Array<OutputLine | undefined>(options.tailLines ?? 1000);
  }

  /** One line of bytes (see byteText.ts). */
  push(source: OutputSource, bytes: string): void {
    this.pushLines(source, [bytes]);
  }

  /**
   * Lines of one source that one chunk completed (a flood: groups of up to 1,000, see
   * LineSplitter.bytes), as byte strings: the log gets them as they are, listeners as text.
   * They share one timestamp and reach the log as one string. `open`: the last one is a piece
   * of a line the next call continues (cut at the cap), so the log adds no newline after it.
   * `ascii`: the caller knows every byte is ASCII (LineSplitter checked), nothing to decode.
   */
  pushLines(source: OutputSource, lines: readonly string[], open = false, ascii = false): void {
    const n = lines.length;
    if (n === 0) return;
    let prefix = this.prefixes.get(source);
    if (prefix === undefined) this.prefixes.set(source, prefix = linePrefix(source));
    let head = prefix;
    if (this.logOpen !== undefined) {
      // A cut line goes on where it stopped; another source's line first ends it.
      head = this.logOpen === source ? '' : '\n' + prefix;
      this.logOpen = undefined;
    }
    const log = head + (prefix === '' ? lines.join('\n') : lines.join('\n' + prefix)) + (open ? '' : '\n');
    if (open) this.logOpen = source;
    this.logText.push(log);
    const time = Date.now();
    const { stream, rank, task, system } = source;
    const ring = this.ring;
    // Only the last lines can stay in the tail.
    const keepFrom = n - ring.length;
    const out = new Array<OutputLine>(n);
    for (let i = 0; i < n; i++) {
      // One object shape for every line (no spread): this runs a million times for a flood.
      const line: OutputLine = { stream, rank, task, system, text: displayText(lines[i]!, !ascii), time };
      out[i] = line;
      if (i >= keepFrom) {
        ring[this.ringNext] = line;
        if (++this.ringNext === ring.length) this.ringNext = 0;
      }
    }
    this.pieces.push(out);
    this.pending += n;
    this.lineCount += n;
    if (this.pending >= this.maxBatch) this.flush();
    else if (!this.timer) {
      // Left armed when a full batch is flushed early: re-arming for every batch of a flood
      // costs more than one spare wake-up (`end` clears it).
      this.timer = setTimeout(() => { this.timer = undefined; this.flush(); }, this.flushMs);
    }
  }

  /** A line from the runtime itself ("added --oversubscribe..."). */
  system(text: string, stream: 'stdout' | 'stderr' = 'stderr'): void {
    this.push(SYSTEM[stream], textBytes(text));
  }

  addSource(source: Pausable): void {
    this.sources.add(source);
    if (this.waitingForDisk || this.holds > 0) source.pause();
  }

  /**
   * Pauses the sources until `until` settles: a reader of the delivered lines is behind (the
   * CLI's stdout into a slow pipe), so the programs wait on their own writes instead of their
   * output piling up in memory.
   */
  hold(until: Promise<unknown>): void {
    if (this.holds++ === 0 && !this.waitingForDisk) for (const s of this.sources) s.pause();
    void until.finally(() => {
      if (--this.holds === 0 && !this.waitingForDisk) for (const s of this.sources) s.resume();
    });
  }

  removeSource(source: Pausable): void {
    this.sources.delete(source);
  }

  /** Writes the pending lines to the log and delivers them. */
  flush(): void {
    if (this.pending === 0) return;
    const lines = this.pieces.length === 1 ? this.pieces[0]! : ([] as OutputLine[]).concat(...this.pieces);
    this.pieces = [];
    this.pending = 0;
    // Not joined first: the log takes them in one writev (it is corked for this turn).
    let behind = false;
    for (const text of this.logText) if (!this.log.write(text)) behind = true;
    this.logText = [];
    if (behind) this.waitForDisk();
    // A chunk of short lines can overfill a batch: listeners still get at most maxBatch at once.
    if (lines.length <= this.maxBatch) this.deliver(lines);
    else for (let i = 0; i < lines.length; i += this.maxBatch) this.deliver(lines.slice(i, i + this.maxBatch));
  }

  /** No more lines will come: flushes, and stops the timer so it keeps nothing alive. */
  end(): void {
    this.flush();
    if (this.timer) { clearTimeout(this.timer); this.timer = undefined; }
  }

  private waitForDisk(): void {
    if (!this.waitingForDisk) {
      this.waitingForDisk = true;
      for (const s of this.sources) s.pause();
      this.log.onDrain(() => {
        this.waitingForDisk = false;
        if (this.holds === 0) for (const s of this.sources) s.resume();
      });
    }
  }

  tail(): OutputLine[] {
    const n = this.ring.length;
    const out: OutputLine[] = [];
    for (let i = 0; i < n; i++) {
      const line = this.ring[(this.ringNext + i) % n];
      if (line) out.push(line);
    }
    return out;
  }

  /** Frees the tail (dispose). */
  clearTail(): void {
    this.ring.fill(undefined);
  }
}
