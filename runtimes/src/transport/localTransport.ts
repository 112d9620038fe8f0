/**
 * The transport for a machine that is itself a Slurm login node (or a VS Code Remote-SSH
 * window on one): child processes through `/bin/sh -c` — the same parsing sshd's login shell
 * applies, so one quoting function serves both — and plain file-system calls.
 */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Duplex } from 'node:stream';
import { Emitter } from '../events';
import { makeDirs } from '../privateFiles';
import { loadPty } from '../ptyLoader';
import { LaunchError } from '../runtime';
import type { ShellCommand } from './shellQuote';
import {
  DEFAULT_EXEC_TIMEOUT_MS, tempBeside, TransportError, type CommandExit, type ExecOptions, type ExecResult, type FileStat,
  type PtyOptions, type PtySession, type StreamedCommand, type Transport,
} from './transport';

function localPath(p: string): string {
  if (p === '~') return os.homedir();
  if (p.startsWith('~/')) return path.join(os.homedir(), p.slice(2));
  return path.isAbsolute(p) ? p : path.join(os.homedir(), p);
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ }
}

export class LocalTransport implements Transport {
  readonly description = 'this machine';
  readonly kind = 'local' as const;
  readonly state = 'connected' as const;
  private readonly stateEmitter = new Emitter<'connected'>();
  readonly onDidChangeState = this.stateEmitter.event;

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  exec(cmd: ShellCommand, options: ExecOptions = {}): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      // Own process group, so a timeout ends the command and everything it started.
      const child = spawn('/bin/sh', ['-c', cmd], { env: this.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (d: Buffer) => out.push(d));
      child.stderr.on('data', (d: Buffer) => err.push(d));
      const timeoutMs = options.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
      const timer = setTimeout(() => {
        killGroup(child.pid);
        reject(new TransportError('timeout', `The command did not finish within ${Math.round(timeoutMs / 1000)} s on this machine.`));
      }, timeoutMs);
      child.on('error', (e) => { clearTimeout(timer); reject(new TransportError('file', `Cannot run /bin/sh: ${e.message}`, undefined, { cause: e })); });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code, ...(signal ? { signal } : {}) });
      });
      child.stdin.on('error', () => { /* the command need not read its stdin */ });
      child.stdin.end(options.stdin ?? '');
    });
  }

  async stream(cmd: ShellCommand): Promise<StreamedCommand> {
    const child = spawn('/bin/sh', ['-c', cmd], { env: this.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.on('error', () => { /* ignore EPIPE */ });
    const exit = new Promise<CommandExit>((resolve) => {
      child.on('error', () => resolve({ code: 127 }));
      child.on('close', (code, signal) => resolve({ code, ...(signal ? { signal } : {}) }));
    });
    return {
      stdout: child.stdout, stderr: child.stderr, exit,
      write: (d) => { child.stdin.write(d); },
      end: () => { child.stdin.end(); },
      kill: () => killGroup(child.pid),
    };
  }

  /** A local terminal through the runtimes' node-pty helper (loaded only now: it is a native module). */
  async pty(cmd: ShellCommand, options: PtyOptions): Promise<PtySession> {
    const loaded = loadPty();
    if (!loaded.ok) throw new LaunchError(loaded.reason, 'Or run salloc in a VS Code terminal yourself.');
    const env = Object.fromEntries(Object.entries(this.env).filter((e): e is [string, string] => e[1] !== undefined));
    const proc = loaded.pty.spawn('/bin/sh', ['-c', cmd], { name: options.term ?? 'xterm-256color', rows: options.rows, cols: options.cols, env });
    const stream = new Duplex({
      read() { proc.resume(); },
      write(chunk: Buffer, _enc, cb) { proc.write(chunk.toString('utf8')); cb(); },
    });
    proc.onData((d) => { if (!stream.push(Buffer.from(d, 'utf8'))) proc.pause(); });
    const exit = new Promise<CommandExit>((resolve) => proc.onExit((e) => {
      stream.push(null);
      resolve(e.signal ? { code: null, signal: `signal ${e.signal}` } : { code: e.exitCode });
    }));
    return { stream, exit, resize: (rows, cols) => proc.resize(cols, rows), close: () => proc.kill() };
  }

  async readFile(p: string): Promise<Buffer> { return fs.readFile(localPath(p)); }

  /** Through a temporary file renamed over `p`, as over SSH (sftpFiles.ts): a reader never sees half of it. */
  async writeFile(p: string, data: string | Buffer, mode = 0o644): Promise<void> {
    const target = localPath(p);
    const temp = tempBeside(target);
    await fs.writeFile(temp, data, { mode });
    try {
      await fs.rename(temp, target);
    } catch (e) {
      await fs.rm(temp, { force: true });
      throw e;
    }
  }

  /**
   * As `mkdir -p` and SFTP's mkdir (0777 less the umask), through makeDirs: node's
   * `recursive: true` spins forever where mkdir answers ENOENT under a folder that exists (/proc).
   */
  async mkdirp(p: string): Promise<void> { makeDirs(localPath(p), 0o777); }

  async stat(p: string): Promise<FileStat | undefined> {
    try {
      const s = await fs.stat(localPath(p));
      return { size: s.size, mtimeMs: s.mtimeMs, isDirectory: s.isDirectory() };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
      throw e;
    }
  }

  async read(p: string, offset: number, maxBytes: number): Promise<Buffer> {
    const fh = await fs.open(localPath(p), 'r');
    try {
      const buf = Buffer.alloc(maxBytes);
      const { bytesRead } = await fh.read(buf, 0, maxBytes, offset);
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  }

  async homeDirectory(): Promise<string> { return os.homedir(); }

  async dispose(): Promise<void> { this.stateEmitter.dispose(); }
}
