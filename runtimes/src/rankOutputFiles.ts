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

const CHUNK = 256 * 1024;
const POLL_MS = 100;

interface Tail {
  readonly rank: number;
  readonly stream: 'stdout' | 'stderr';
  readonly file: string;
  handle?: FileHandle;
  position: number;
}

export class RankFileReader {
  private readonly tails: Tail[] = [];
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
      this.tails.push({ rank, stream: 'stdout', file: path.join(dir, `${rank}.out`), position: 0 });
      this.tails.push({ rank, stream: 'stderr', file: path.join(dir, `${rank}.err`), position: 0 });
    }
    try {
      this.watcher = watch(dir, () => this.poke());
      this.watcher.on('error', () => undefined);
    } catch { /* polling alone still works */ }
    this.timer = setInterval(() => this.poke(), POLL_MS);
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
    await this.readAll(true);
    await Promise.all(this.tails.map((t) => t.handle?.close().catch(() => undefined)));
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
      if (!t.handle) {
        try { t.handle = await open(t.file, 'r'); } catch { continue; }
      }
      for (;;) {
        if (this.paused) {
          if (!toEnd) return;
          // Finishing: still wait for the disk, so the rest does not pile up in memory.
          await new Promise<void>((resolve) => this.waiters.push(resolve));
        }
        const { bytesRead } = await t.handle.read(this.buffer, 0, CHUNK, t.position);
        if (bytesRead === 0) break;
        t.position += bytesRead;
        // A view of the reused buffer: the line splitter decodes it at once (StringDecoder
        // copies the bytes of an incomplete character), nothing keeps a reference.
        this.onData(t.rank, t.stream, this.buffer.subarray(0, bytesRead));
        if (bytesRead < CHUNK) break;
      }
    }
  }
}
