/**
 * A run's folder on disk: `<logDir>/<runId>/output.log` (every line, tagged `[rank N]`...) and
 * `run.json` (spec, state, exits, times). Written whether or not anyone listens, so a run's
 * output survives a closed panel or a crashed extension host.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createPrivateDir, createPrivateFile, ensurePrivateDir, makeDirs, rewritePrivateFile, writePrivateFile } from './privateFiles';
import { LaunchError } from './runtime';
import type { RunResult, RunState } from './runtime';

/**
 * Where runs go when the caller names no folder: `$HPC_JOBS_LOG_DIR`, else a folder of this
 * user's alone, made 0700 and checked (privateFiles.ts): `$XDG_STATE_HOME/hpc-jobs/runs`,
 * `~/.local/state/hpc-jobs/runs`, or where no home folder can be written,
 * `<tmp>/hpc-jobs-<uid>`. A shared `<tmp>/hpc-jobs` let other users read the logs, block
 * everyone but its creator, or plant links that a run wrote through.
 */
export function defaultLogDir(): string {
  if (process.env.HPC_JOBS_LOG_DIR) return process.env.HPC_JOBS_LOG_DIR;
  const candidates: string[] = [];
  const xdg = process.env.XDG_STATE_HOME;
  if (xdg && path.isAbsolute(xdg)) candidates.push(path.join(xdg, 'hpc-jobs', 'runs'));
  let home = '';
  try { home = os.homedir(); } catch { /* no home folder: the temporary one below */ }
  if (home && path.isAbsolute(home)) candidates.push(path.join(home, '.local', 'state', 'hpc-jobs', 'runs'));
  candidates.push(path.join(os.tmpdir(), `hpc-jobs-${process.getuid?.() ?? os.userInfo().username}`));
  let cannot: LaunchError | undefined;
  for (const dir of candidates) {
    try {
      return ensurePrivateDir(dir, 'log folder');
    } catch (e) {
      // One that exists but is not private is refused outright: falling back would hide it.
      if (!(e instanceof LaunchError) || e.message.startsWith('Refusing')) throw e;
      cannot ??= e;
    }
  }
  throw cannot!;
}

/** The folder of one run, new and 0700, inside `logDir` (created if missing). */
export function createRunDir(logDir: string, runId: string): string {
  try {
    makeDirs(logDir);
  } catch (e) {
    throw new LaunchError(`Cannot create the log folder ${logDir}: ${(e as Error).message}`);
  }
  return createPrivateDir(path.join(logDir, runId), 'run folder');
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
  /** The process that runs it (the CLI, an extension host), to tell a stale "running" (staleRuns.ts). */
  readonly launcher?: Launcher;
}

/** A process, told apart from a later one with the same pid by when it started. */
export interface Launcher {
  readonly pid: number;
  /** /proc/PID/stat's start time, clock ticks since boot. */
  readonly startTicks: number;
  /** The machine (os.hostname()): a pid means nothing on another one. */
  readonly host: string;
}

export class RunLog {
  readonly dir: string;
  readonly outputPath: string;
  readonly recordPath: string;
  private readonly stream: WriteStream;
  private closed?: Promise<void>;
  private failure?: Error;
  private readonly drainWaiters: (() => void)[] = [];
  private corked = false;

  /** `dirReady`: the run's folder was made by `createRunDir` already (a backend that puts files there first). */
  constructor(logDir: string, runId: string, dirReady = false) {
    this.dir = dirReady ? ensurePrivateDir(path.join(logDir, runId), 'run folder') : createRunDir(logDir, runId);
    this.outputPath = path.join(this.dir, 'output.log');
    this.recordPath = path.join(this.dir, 'run.json');
    let fd: number;
    try {
      fd = createPrivateFile(this.outputPath);
    } catch (e) {
      throw new LaunchError(`Cannot create ${this.outputPath}: ${(e as Error).message}`);
    }
    // 256 KB: large writes are cheap; beyond this `write` asks the producers to pause.
    this.stream = createWriteStream(this.outputPath, { fd, highWaterMark: 256 * 1024 });
    this.stream.on('error', (e) => {
      if (this.failure) return;
      this.failure = e;
      this.onFailure?.(e);
      this.drained();
    });
  }

  /**
   * Bytes for output.log, one char each (byteText.ts): written as they are, never re-encoded.
   * False when the writer is behind: pause the sources until `onDrain`.
   */
  write(bytes: string): boolean {
    if (this.failure || this.closed) return true;
    // What one turn of the event loop writes goes to disk in one writev (a flood's chunk
    // makes several batches), not one write each through the thread pool.
    if (!this.corked) {
      this.corked = true;
      this.stream.cork();
      process.nextTick(() => { this.corked = false; this.stream.uncork(); });
    }
    return this.stream.write(bytes, 'latin1');
  }

  onDrain(listener: () => void): void {
    // A failed stream never drains: the producers waiting for it would wait forever.
    if (this.failure) { queueMicrotask(listener); return; }
    this.drainWaiters.push(listener);
    if (this.drainWaiters.length === 1) this.stream.once('drain', () => this.drained());
  }

  private drained(): void {
    for (const w of this.drainWaiters.splice(0)) w();
  }

  /** An error writing the log (disk full...), once; the run goes on without it. */
  get error(): Error | undefined { return this.failure; }

  /** Told of that error when it happens, so the run can say so while it goes on. */
  onFailure: ((e: Error) => void) | undefined;

  writeRecord(record: RunRecord): void {
    // Write-then-rename: a reader never sees half a file.
    const text = JSON.stringify(record, null, 2) + '\n';
    try {
      writePrivateFile(this.recordPath, text);
    } catch {
      // A full disk has no room for a second copy: rewrite the file in place, which reuses its
      // space, so the record does not stay "running" forever. Best effort beyond that.
      try { rewritePrivateFile(this.recordPath, text); } catch { /* the output log matters more */ }
    }
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
