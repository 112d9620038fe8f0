/**
 * How the Slurm backend reaches a cluster: run commands and touch files, either on this machine
 * (a login node, VS Code Remote-SSH) or over one multiplexed SSH connection. Paths are POSIX
 * strings on the cluster; `~/x` and relative paths are under the remote home folder.
 */
import { randomBytes } from 'node:crypto';
import type { Duplex, Readable } from 'node:stream';
import type { Event } from '../events';
import type { ShellCommand } from './shellQuote';

export interface ExecOptions {
  /** Bytes for the command's stdin (then closed). */
  readonly stdin?: string | Buffer;
  /** Kill the command and reject with a 'timeout' TransportError after this long. */
  readonly timeoutMs?: number;
  /**
   * Safe to run twice (squeue, stat...): when the connection drops mid-command, run it again
   * once the connection is back instead of failing. Never set for sbatch.
   */
  readonly idempotent?: boolean;
}

export interface ExecResult {
  readonly stdout: string;
  readonly stderr: string;
  /** Exit status; null when killed by a signal. */
  readonly code: number | null;
  readonly signal?: string;
}

export interface CommandExit { readonly code: number | null; readonly signal?: string }

/** A command whose output arrives as it is written. */
export interface StreamedCommand {
  readonly stdout: Readable;
  readonly stderr: Readable;
  write(data: string | Buffer): void;
  end(): void;
  readonly exit: Promise<CommandExit>;
  kill(): void;
}

export interface PtyOptions { readonly rows: number; readonly cols: number; readonly term?: string }

/** A command in a terminal: one duplex byte stream (both output streams merged, as a terminal does). */
export interface PtySession {
  readonly stream: Duplex;
  resize(rows: number, cols: number): void;
  readonly exit: Promise<CommandExit>;
  close(): void;
}

export interface FileStat {
  readonly size: number;
  readonly mtimeMs: number;
  readonly isDirectory: boolean;
}

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

export interface Transport {
  /** For messages: "hpcuser@login.example.org:22" or "this machine". */
  readonly description: string;
  readonly kind: 'local' | 'ssh';
  readonly state: ConnectionState;
  readonly onDidChangeState: Event<ConnectionState>;
  exec(cmd: ShellCommand, options?: ExecOptions): Promise<ExecResult>;
  stream(cmd: ShellCommand): Promise<StreamedCommand>;
  pty(cmd: ShellCommand, options: PtyOptions): Promise<PtySession>;
  readFile(path: string): Promise<Buffer>;
  /** Creates or replaces the file (mode applied on creation, default 0o644). */
  writeFile(path: string, data: string | Buffer, mode?: number): Promise<void>;
  /** `mkdir -p`. */
  mkdirp(path: string): Promise<void>;
  /** undefined when nothing is there. */
  stat(path: string): Promise<FileStat | undefined>;
  /** Up to `maxBytes` from `offset` (fewer at the end of the file); for tailing. */
  read(path: string, offset: number, maxBytes: number): Promise<Buffer>;
  /** Absolute path of the (remote) home folder. */
  homeDirectory(): Promise<string>;
  dispose(): Promise<void>;
}

export type TransportErrorKind =
  | 'dns' | 'unreachable' | 'timeout' | 'auth' | 'hostKeyUnknown' | 'hostKeyChanged' | 'hostKeyRevoked'
  | 'disconnected' | 'closed' | 'protocol' | 'file';

/** A failure to reach the cluster or talk to it, worded for the user. `kind` is for code. */
export class TransportError extends Error {
  readonly failureKind = 'transport';
  constructor(readonly kind: TransportErrorKind, message: string, readonly hint?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransportError';
  }
}

/** Bounded waits: one place for the numbers. */
export const DEFAULT_EXEC_TIMEOUT_MS = 120_000;

/**
 * Where `writeFile` puts a file before renaming it over `target` (a POSIX path, relative or
 * not): a hidden name beside it, so the rename stays on one file system.
 */
export function tempBeside(target: string): string {
  const slash = target.lastIndexOf('/');
  return `${target.slice(0, slash + 1)}.${target.slice(slash + 1)}.hpc-jobs-${randomBytes(4).toString('hex')}`;
}
