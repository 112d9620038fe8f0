/**
 * Where a run's lines go: the log on disk (all of them), a capped in-memory tail, and listeners
 * in batches. Memory stays bounded whatever a program prints: a batch is flushed at
 * `maxBatch` lines, and when the disk falls behind the sources are paused (the program then
 * blocks on its own write, as it would on a slow terminal).
 */
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
  private batch: OutputLine[] = [];
  private logText: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly ring: (OutputLine | undefined)[];
  private ringNext = 0;
  private readonly sources = new Set<Pausable>();
  private waitingForDisk = false;
  private readonly prefixes = new Map<OutputSource, string>();
  private readonly flushMs: number;
  private readonly maxBatch: number;
  /** Lines seen, all streams. */
  lineCount = 0;

  constructor(private readonly log: RunLog, private readonly deliver: (lines: readonly OutputLine[]) => void, options: OutputOptions = {}) {
    this.flushMs = options.flushMs ?? 50;
    this.maxBatch = options.maxBatch ?? 2000;
    this.ring = new Array<OutputLine | undefined>(options.tailLines ?? 1000);
  }

  push(source: OutputSource, text: string): void {
    // One object shape for every line (no spread): this runs a million times for a flood.
    const line: OutputLine = { stream: source.stream, rank: source.rank, task: source.task, system: source.system, text, time: Date.now() };
    this.lineCount++;
    this.batch.push(line);
    let prefix = this.prefixes.get(source);
    if (prefix === undefined) this.prefixes.set(source, prefix = linePrefix(source));
    this.logText.push(prefix + text + '\n');
    this.ring[this.ringNext] = line;
    this.ringNext = (this.ringNext + 1) % this.ring.length;
    if (this.batch.length >= this.maxBatch) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.flushMs);
  }

  /** A line from the runtime itself ("added --oversubscribe..."). */
  system(text: string, stream: 'stdout' | 'stderr' = 'stderr'): void {
    this.push(SYSTEM[stream], text);
  }

  addSource(source: Pausable): void {
    this.sources.add(source);
    if (this.waitingForDisk) source.pause();
  }

  removeSource(source: Pausable): void {
    this.sources.delete(source);
  }

  flush(): void {
    if (this.timer) { clearTimeout(this.timer); this.timer = undefined; }
    if (this.batch.length === 0) return;
    const lines = this.batch;
    this.batch = [];
    const text = this.logText.join('');
    this.logText = [];
    if (!this.log.write(text) && !this.waitingForDisk) {
      this.waitingForDisk = true;
      for (const s of this.sources) s.pause();
      this.log.onDrain(() => {
        this.waitingForDisk = false;
        for (const s of this.sources) s.resume();
      });
    }
    this.deliver(lines);
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
