/**
 * A run's folder on disk: `<logDir>/<runId>/output.log` (every line, tagged `[rank N]`...) and
 * `run.json` (spec, state, exits, times). Written whether or not anyone listens, so a run's
 * output survives a closed panel or a crashed extension host.
 */
import { createWriteStream, mkdirSync, renameSync, writeFileSync, type WriteStream } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunResult, RunState } from './runtime';

/** Where runs go when the caller names no folder. */
export function defaultLogDir(): string {
  return process.env.HPC_JOBS_LOG_DIR || path.join(os.tmpdir(), 'hpc-jobs', 'runs');
}

/** `pool-20240601-101500-3fa2`: sortable, readable, unique enough with the random suffix. */
export function newRunId(backend: string, now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  return `${backend}-${stamp}-${Math.random().toString(16).slice(2, 6)}`;
}

export interface RunRecord {
  readonly id: string;
  readonly backend: string;
  readonly spec: unknown;
  readonly state: RunState;
  readonly createdAt: number;
  readonly result?: RunResult;
  readonly command?: readonly string[];
}

export class RunLog {
  readonly dir: string;
  readonly outputPath: string;
  readonly recordPath: string;
  private readonly stream: WriteStream;
  private closed?: Promise<void>;
  private failure?: Error;
  private corked = false;

  constructor(logDir: string, runId: string) {
    this.dir = path.join(logDir, runId);
    mkdirSync(this.dir, { recursive: true });
    this.outputPath = path.join(this.dir, 'output.log');
    this.recordPath = path.join(this.dir, 'run.json');
    // 256 KB: large writes are cheap; beyond this `write` asks the producers to pause.
    this.stream = createWriteStream(this.outputPath, { highWaterMark: 256 * 1024 });
    this.stream.on('error', (e) => { this.failure = e; });
  }

  /** False when the writer is behind: pause the sources until `onDrain`. */
  write(text: string): boolean {
    if (this.failure || this.closed) return true;
    // What one turn of the event loop writes goes to disk in one writev (a flood's chunk
    // makes several batches), not one write each through the thread pool.
    if (!this.corked) {
      this.corked = true;
      this.stream.cork();
      process.nextTick(() => { this.corked = false; this.stream.uncork(); });
    }
    return this.stream.write(text);
  }

  onDrain(listener: () => void): void {
    this.stream.once('drain', listener);
  }

  /** An error writing the log (disk full...), once; the run goes on without it. */
  get error(): Error | undefined { return this.failure; }

  writeRecord(record: RunRecord): void {
    // Write-then-rename: a reader never sees half a file.
    const tmp = `${this.recordPath}.tmp`;
    try {
      writeFileSync(tmp, JSON.stringify(record, null, 2) + '\n');
      renameSync(tmp, this.recordPath);
    } catch { /* best effort: the output log matters more */ }
  }

  close(): Promise<void> {
    this.closed ??= new Promise((resolve) => {
      if (this.failure) { this.stream.destroy(); resolve(); return; }
      this.stream.end(() => resolve());
      this.stream.once('error', () => resolve());
    });
    return this.closed;
  }
}
