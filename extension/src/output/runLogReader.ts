/**
 * Lines of a run log (`output.log`, one tagged line per output line) read back by index, for
 * scrolling into history that has left memory. A sparse index (the byte offset of every
 * `every`-th line) is built as far as needed, in chunks read asynchronously, so a 100 MB log
 * neither blocks the extension host nor costs memory: a million lines take ~1,000 offsets.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { OutputSource } from '../../../runtimes/src/runtime';

export interface RunLogReaderOptions {
  /** Lines between two remembered offsets. */
  readonly every?: number;
  readonly chunkBytes?: number;
}

const NEWLINE = 0x0a;

export class RunLogReader {
  private readonly every: number;
  private readonly chunkBytes: number;
  /** checkpoints[k]: byte offset where line k * every starts. */
  private readonly checkpoints: number[] = [0];
  /** Whole lines seen by the index so far, and the byte offset just after them. */
  private indexedLines = 0;
  private indexedBytes = 0;
  /** One read at a time: they share the index. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly path: string, options: RunLogReaderOptions = {}) {
    this.every = Math.max(1, options.every ?? 1024);
    this.chunkBytes = Math.max(1024, options.chunkBytes ?? 256 * 1024);
  }

  /** Whole lines in the file now (it may still grow). */
  countLines(): Promise<number> {
    return this.serial(async () => { await this.indexTo(Infinity); return this.indexedLines; });
  }

  /** Lines [first, first + count) without their newline; fewer where the file ends sooner. */
  readLines(first: number, count: number): Promise<string[]> {
    return this.serial(async () => {
      if (count <= 0 || first < 0) return [];
      const cp = Math.floor(first / this.every);
      await this.indexTo(cp * this.every);
      if (cp >= this.checkpoints.length) return [];
      return this.readFrom(this.checkpoints[cp]!, first - cp * this.every, count);
    });
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Extends the index until it knows the start of line `line` (or the file ends). */
  private async indexTo(line: number): Promise<void> {
    if (this.indexedLines >= line) return;
    const file = await open(this.path, 'r').catch(() => undefined);
    if (!file) return;
    try {
      const buf = Buffer.allocUnsafe(this.chunkBytes);
      while (this.indexedLines < line) {
        const { bytesRead } = await file.read(buf, 0, buf.length, this.indexedBytes);
        if (bytesRead === 0) return;
        let pos = 0;
        let lastEnd = -1;
        for (;;) {
          const nl = buf.indexOf(NEWLINE, pos);
          if (nl < 0 || nl >= bytesRead) break;
          pos = nl + 1;
          lastEnd = pos;
          this.indexedLines++;
          if (this.indexedLines % this.every === 0) this.checkpoints.push(this.indexedBytes + pos);
          if (this.indexedLines >= line) break;
        }
        if (lastEnd < 0) {
          // One line longer than the chunk: step over it without remembering it.
          if (bytesRead < buf.length) return; // an unfinished last line
          this.indexedBytes += bytesRead;
          await this.skipLongLine(file, buf);
          continue;
        }
        this.indexedBytes += lastEnd;
      }
    } finally {
      await file.close();
    }
  }

  /** Continues a line that did not fit in one chunk, up to and including its newline. */
  private async skipLongLine(file: FileHandle, buf: Buffer): Promise<void> {
    for (;;) {
      const { bytesRead } = await file.read(buf, 0, buf.length, this.indexedBytes);
      if (bytesRead === 0) return;
      const nl = buf.indexOf(NEWLINE);
      if (nl >= 0 && nl < bytesRead) {
        this.indexedBytes += nl + 1;
        this.indexedLines++;
        if (this.indexedLines % this.every === 0) this.checkpoints.push(this.indexedBytes);
        return;
      }
      this.indexedBytes += bytesRead;
    }
  }

  private async readFrom(offset: number, skip: number, count: number): Promise<string[]> {
    const file = await open(this.path, 'r').catch(() => undefined);
    if (!file) return [];
    const out: string[] = [];
    try {
      const buf = Buffer.allocUnsafe(this.chunkBytes);
      let carry: Buffer[] = [];
      let at = offset;
      while (out.length < count) {
        const { bytesRead } = await file.read(buf, 0, buf.length, at);
        if (bytesRead === 0) break;
        at += bytesRead;
        let pos = 0;
        for (;;) {
          const nl = buf.indexOf(NEWLINE, pos);
          if (nl < 0 || nl >= bytesRead) break;
          if (skip > 0) skip--;
          else {
            const piece = buf.subarray(pos, nl);
            out.push(carry.length > 0 ? Buffer.concat([...carry, piece]).toString('utf8') : piece.toString('utf8'));
            if (out.length >= count) return out;
          }
          carry = [];
          pos = nl + 1;
        }
        // The rest of the chunk starts a line that continues in the next one (copied: buf is reused).
        if (pos < bytesRead && skip === 0) carry.push(Buffer.from(buf.subarray(pos, bytesRead)));
      }
    } finally {
      await file.close();
    }
    return out;
  }
}

/** The source and text of a log line, from the prefix the runtime wrote (`[rank 3 stderr] `...). */
export function parseLogLine(raw: string): { source: OutputSource; text: string } {
  if (raw.charCodeAt(0) === 0x5b /* [ */) {
    if (raw.startsWith('[hpc-jobs] ')) return { source: { stream: 'stderr', system: true }, text: raw.slice(11) };
    if (raw.startsWith('[stderr] ')) return { source: { stream: 'stderr' }, text: raw.slice(9) };
    const m = /^\[(rank|task) (\d{1,9})( stderr)?\] /.exec(raw);
    if (m) {
      const id = Number(m[2]);
      const stream = m[3] ? 'stderr' : 'stdout';
      return { source: m[1] === 'rank' ? { stream, rank: id } : { stream, task: id }, text: raw.slice(m[0].length) };
    }
  }
  return { source: { stream: 'stdout' }, text: raw };
}
