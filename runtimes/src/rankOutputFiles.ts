/**
 * Reads what each MPI rank writes to its own files (`<dir>/<rank>.out`, `<rank>.err`) while
 * the ranks run. The rank wrapper redirects each rank there because launcher tagging loses
 * data: Open MPI 4.1's --tag-output drops and garbles lines when ranks write fast (a few
 * percent of a 10^6-line flood), while a file loses nothing and needs no MPI-specific option.
 * Files are read as they grow (inotify wakes us; a slow poll backs it up).
 */
import { watch, type FSWatcher } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import * as path from 'node:path';

// 64 KB: the text decoded from a larger read would be a string over V8's 128 KB limit for its
// young generation; such strings are allocated on fresh pages, and decoding then costs ~10×.
const CHUNK = 64 * 1024;
const POLL_MS = 100;

interface Tail {
  readonly rank: number;
  readonly stream: 'stdout' | 'stderr';
  readonly file: string;
  handle?: FileHandle;
  position: number;
  /** May have grown since it was last read to its end. */
  dirty: boolean;
}

export class RankFileReader {
  private readonly tails: Tail[] = [];
  private readonly byName = new Map<string, Tail>();
  private readonly buffer = Buffer.allocUnsafe(CHUNK);
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<void> | undefined;
  private again = false;
  private paused = false;
  private stopped = false;
  private readonly waiters: (() => void)[] = [];

  constructor(dir: string, ranks: number,
    private readonly onData: (rank: number, stream: 'stdout' | 'stderr', data: Buffer) => void) {
    for (let rank = 0; rank < ranks; rank++) {
      for (const [stream, ext] of [['stdout', 'out'], ['stderr', 'err']] as const) {
        const tail: Tail = { rank, stream, file: path.join(dir, `${rank}.${ext}`), position: 0, dirty: true };
        this.tails.push(tail);
        this.byName.set(`${rank}.${ext}`, tail);
      }
    }
    // inotify names the file that changed: only that one is read (a flood wakes us thousands
    // of times; reading every rank's two files each time cost more than the data).
    try {
      this.watcher = watch(dir, (_event, name) => {
        const tail = name ? this.byName.get(String(name)) : undefined;
        if (name && !tail) return;
        if (tail) tail.dirty = true; else this.markAll();
        this.poke();
      });
      this.watcher.on('error', () => undefined);
    } catch { /* polling alone still works */ }
    this.timer = setInterval(() => { this.markAll(); this.poke(); }, POLL_MS);
  }

  pause(): void { this.paused = true; }

  resume(): void {
    this.paused = false;
    for (const w of this.waiters.splice(0)) w();
    this.poke();
  }

  /** The ranks have ended: read what is left, then close the files. */
  async finish(): Promise<void> {
    this.stopped = true;
    this.watcher?.close();
    if (this.timer) clearInterval(this.timer);
    await this.reading;
    this.markAll();
    await this.readAll(true);
    await Promise.all(this.tails.map((t) => t.handle?.close().catch(() => undefined)));
  }

  private markAll(): void {
    for (const t of this.tails) t.dirty = true;
  }

  private poke(): void {
    if (this.stopped || this.paused) return;
    if (this.reading) { this.again = true; return; }
    this.reading = this.readAll(false).finally(() => {
      this.reading = undefined;
      if (this.again) { this.again = false; this.poke(); }
    });
  }

  private async readAll(toEnd: boolean): Promise<void> {
    for (const t of this.tails) {
      if (!t.dirty) continue;
      // Cleared before reading: a change seen while this read runs marks it again.
      t.dirty = false;
      if (!t.handle) {
        try { t.handle = await open(t.file, 'r'); } catch { continue; }
      }
      for (;;) {
        if (this.paused) {
          if (!toEnd) { t.dirty = true; return; }
          // Finishing: still wait for the disk, so the rest does not pile up in memory.
          await new Promise<void>((resolve) => this.waiters.push(resolve));
        }
        const { bytesRead } = await t.handle.read(this.buffer, 0, CHUNK, t.position);
        if (bytesRead === 0) break;
        t.position += bytesRead;
        // A view of the reused buffer: the line splitter copies it into a string at once,
        // nothing keeps a reference.
        this.onData(t.rank, t.stream, this.buffer.subarray(0, bytesRead));
        if (bytesRead < CHUNK) break;
      }
    }
  }
}
