/**
 * One persistent SSH connection per cluster, every command and file operation a channel on it
 * (a refresh is one channel open, not one TCP + key exchange + auth). Keepalives notice a dead
 * link; when the connection drops the transport reconnects with backoff, and commands issued
 * meanwhile wait for it — up to `reconnectWaitMs`, then fail with a clear message. Failures that
 * retrying cannot fix (authentication, host key) stop the reconnecting.
 */
import type { Duplex } from 'node:stream';
import type { ClientChannel, SFTPWrapper } from 'ssh2';
import { Emitter } from '../events';
import { SshConfig, parseDestination, type SshHostConfig } from './sshConfig';
import { openConnection, type ConnectSettings, type OpenConnection } from './sshConnect';
import type { SshPrompts } from './sshPrompts';
import type { ShellCommand } from './shellQuote';
import { sftpMkdirp, sftpRead, sftpReadFile, sftpRealpath, sftpStat, sftpWriteFile } from './sftpFiles';
import {
  DEFAULT_EXEC_TIMEOUT_MS, TransportError, type CommandExit, type ConnectionState, type ExecOptions, type ExecResult, type FileStat,
  type PtyOptions, type PtySession, type StreamedCommand, type Transport,
} from './transport';

export interface SshTransportOptions {
  /** `~/.ssh/config` alias, `host`, `user@host`, `user@host:port` or `ssh://user@host:port`. */
  readonly destination: string;
  /** Parsed ssh config; default: `~/.ssh/config`. */
  readonly sshConfig?: SshConfig;
  readonly prompts?: SshPrompts;
  /** Keys tried before the configured ones (e.g. a key named on the command line). */
  readonly identityFiles?: readonly string[];
  /** Instead of the configured UserKnownHostsFile/GlobalKnownHostsFile. */
  readonly knownHostsFiles?: readonly string[];
  /** ssh-agent socket; default `$SSH_AUTH_SOCK`; null for none. */
  readonly agentSocket?: string | null;
  readonly connectTimeoutMs?: number;
  /** Default: ServerAliveInterval, else 15 s. */
  readonly keepaliveIntervalMs?: number;
  /** How long a command waits for a reconnect before failing. */
  readonly reconnectWaitMs?: number;
  /** Channels open at once; OpenSSH's MaxSessions defaults to 10 (SFTP keeps one more). */
  readonly maxChannels?: number;
}

interface Live extends OpenConnection {
  closed: boolean;
  sftp?: Promise<SFTPWrapper>;
}

class NotOpened extends TransportError {}

const BACKOFF_MS = [100, 250, 500, 1000, 2000, 4000, 8000];
/** Reconnecting cannot fix these (a DNS failure can: networks come back). */
const FATAL: ReadonlySet<TransportError['kind']> = new Set(['auth', 'hostKeyUnknown', 'hostKeyChanged', 'hostKeyRevoked']);

/** A counting semaphore: channels beyond the server's MaxSessions would be refused. */
class Slots {
  private waiting: (() => void)[] = [];
  constructor(private free: number) {}
  async take(): Promise<() => void> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((r) => this.waiting.push(r));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next(); else this.free++;
    };
  }
}

export class SshTransport implements Transport {
  readonly kind = 'ssh' as const;
  readonly description: string;
  /** The resolved target (after ~/.ssh/config). */
  readonly target: SshHostConfig;
  private readonly config: SshConfig;
  private readonly settings: ConnectSettings;
  private readonly reconnectWaitMs: number;
  private readonly slots: Slots;
  private readonly stateEmitter = new Emitter<ConnectionState>();
  readonly onDidChangeState = this.stateEmitter.event;
  private currentState: ConnectionState = 'connecting';
  private live: Live | undefined;
  private pending: Promise<Live> | undefined;
  private fatal: TransportError | undefined;
  private disposed = false;
  private reconnects = 0;

  constructor(options: SshTransportOptions) {
    this.config = options.sshConfig ?? SshConfig.load();
    const dest = parseDestination(options.destination);
    const resolved = this.config.resolve(dest.host);
    this.target = { ...resolved, ...(dest.user ? { user: dest.user } : {}), ...(dest.port ? { port: dest.port } : {}) };
    this.description = `${this.target.user}@${this.target.hostName}:${this.target.port}`;
    const prompts = options.prompts ?? {};
    for (const n of this.target.notes) prompts.log?.(n);
    const agent = options.agentSocket === null ? undefined : options.agentSocket ?? process.env['SSH_AUTH_SOCK'];
    this.settings = {
      prompts,
      keyCache: new Map(),
      sessionTrust: new Map(),
      ...(agent ? { agentSocket: agent } : {}),
      ...(options.knownHostsFiles ? { knownHostsFiles: options.knownHostsFiles } : {}),
      ...(options.identityFiles ? { extraIdentityFiles: options.identityFiles } : {}),
      connectTimeoutMs: options.connectTimeoutMs ?? (this.target.connectTimeout ? this.target.connectTimeout * 1000 : 15_000),
      keepaliveIntervalMs: options.keepaliveIntervalMs ?? (this.target.serverAliveInterval > 0 ? this.target.serverAliveInterval * 1000 : 15_000),
      keepaliveCountMax: this.target.serverAliveCountMax,
    };
    this.reconnectWaitMs = options.reconnectWaitMs ?? 20_000;
    this.slots = new Slots(options.maxChannels ?? 8);
  }

  get state(): ConnectionState { return this.currentState; }

  /** How many times the connection was re-established. */
  get reconnectCount(): number { return this.reconnects; }

  /** Local TCP port of the current connection (to find its sshd process in tests and diagnostics). */
  get localPort(): number | undefined { return this.live && !this.live.closed ? this.live.localPort : undefined; }

  /** Connects now (commands connect on first use anyway); rejects with a TransportError. */
  async connect(): Promise<void> { await this.connection(); }

  private setState(s: ConnectionState): void {
    if (s === this.currentState) return;
    this.currentState = s;
    this.stateEmitter.fire(s);
  }

  private adopt(open: OpenConnection): Live {
    const live: Live = { ...open, closed: false };
    const onClose = (): void => {
      if (live.closed) return;
      live.closed = true;
      for (const c of live.clients) c.end();
      if (this.live === live) this.live = undefined;
      if (!this.disposed) {
        this.settings.prompts.log?.(`Connection to ${this.description} lost; reconnecting.`);
        this.setState('reconnecting');
        this.pending = this.reconnectLoop();
        this.pending.catch(() => { /* surfaced to the next caller */ });
      }
    };
    for (const c of live.clients) c.once('close', onClose);
    this.live = live;
    this.setState('connected');
    return live;
  }

  private async reconnectLoop(): Promise<Live> {
    for (let attempt = 0; !this.disposed; attempt++) {
      await new Promise((r) => setTimeout(r, BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)]));
      if (this.disposed) break;
      try {
        const live = this.adopt(await openConnection(this.target, this.config, this.settings));
        this.reconnects++;
        this.pending = undefined;
        this.settings.prompts.log?.(`Reconnected to ${this.description}.`);
        return live;
      } catch (e) {
        if (e instanceof TransportError && FATAL.has(e.kind)) {
          this.fatal = e;
          this.setState('closed');
          throw e;
        }
        this.settings.prompts.log?.(`Reconnect to ${this.description} failed (${(e as Error).message}); retrying.`);
      }
    }
    throw new TransportError('closed', `The connection to ${this.description} was closed.`);
  }

  private async connection(): Promise<Live> {
    if (this.disposed) throw new TransportError('closed', `The connection to ${this.description} was closed.`);
    if (this.fatal) throw this.fatal;
    if (this.live && !this.live.closed) return this.live;
    if (!this.pending) {
      // First connection: fail fast and let the caller see why (no silent retries).
      this.setState('connecting');
      this.pending = openConnection(this.target, this.config, this.settings).then(
        (open) => { this.pending = undefined; return this.adopt(open); },
        (e: unknown) => { this.pending = undefined; this.setState('closed'); throw e; });
      return this.pending;
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TransportError('disconnected',
        `Lost the connection to ${this.description} and could not restore it within ${Math.round(this.reconnectWaitMs / 1000)} s.`,
        'The cluster or the network may be down; the transport keeps trying in the background.')), this.reconnectWaitMs);
    });
    try { return await Promise.race([this.pending, timeout]); } finally { clearTimeout(timer); }
  }

  private disconnected(): TransportError {
    return new TransportError('disconnected', `The connection to ${this.description} dropped while a command was running.`);
  }

  /** The channel could not even be opened: nothing ran, so any command may be retried. */
  private notOpened(): TransportError {
    return new NotOpened('disconnected', `The connection to ${this.description} dropped before the command could start.`);
  }

  /** Opens a channel, retrying once on a fresh connection when an idempotent operation lost its own. */
  private async withConnection<T>(idempotent: boolean, use: (live: Live) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const live = await this.connection();
      try {
        return await use(live);
      } catch (e) {
        const lost = live.closed || (e instanceof TransportError && e.kind === 'disconnected');
        if (lost && (idempotent || e instanceof NotOpened) && attempt < 3 && !this.disposed) {
          // ssh2 may report the dead link before its 'close' event: let that arrive, then reconnect.
          for (let i = 0; i < 40 && !live.closed; i++) await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        if (lost && !(e instanceof TransportError)) throw this.disconnected();
        throw e;
      }
    }
  }

  /**
   * Opens an exec channel and hands it to `use` SYNCHRONOUSLY inside ssh2's callback: a quick
   * command's `exit` event can arrive in the same packet batch as the channel confirmation,
   * and an event has no buffer — a listener added one microtask later misses it.
   */
  private openExec<T>(live: Live, cmd: string, opts: { pty?: PtyOptions }, use: (ch: ClientChannel) => T): Promise<T> {
    return new Promise((resolve, reject) => {
      // ssh2 says "Not connected" (thrown) or "No response from server" when the link died before we heard.
      const gone = (m: string): boolean => live.closed || /Not connected|No response from server/.test(m);
      const cb = (err: Error | undefined, ch: ClientChannel): void => {
        if (err) reject(gone(err.message) ? this.notOpened() : new TransportError('protocol', `${this.description} refused a new channel: ${err.message}`, 'The server may limit sessions per connection (MaxSessions).', { cause: err }));
        else resolve(use(ch));
      };
      try {
        if (opts.pty) live.client.exec(cmd, { pty: { rows: opts.pty.rows, cols: opts.pty.cols, term: opts.pty.term ?? 'xterm-256color' } }, cb);
        else live.client.exec(cmd, cb);
      } catch (e) {
        reject(gone((e as Error).message) ? this.notOpened() : e);
      }
    });
  }

  exec(cmd: ShellCommand, options: ExecOptions = {}): Promise<ExecResult> {
    return this.withConnection(options.idempotent ?? false, async (live) => {
      const release = await this.slots.take();
      try {
        const done = await this.openExec(live, cmd, {}, (ch) => new Promise<ExecResult>((resolve, reject) => {
          const out: Buffer[] = [];
          const err: Buffer[] = [];
          let exit: CommandExit | undefined;
          const timeoutMs = options.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
          const timer = setTimeout(() => {
            ch.close();
            reject(new TransportError('timeout', `The command did not finish within ${Math.round(timeoutMs / 1000)} s on ${this.description}.`));
          }, timeoutMs);
          ch.on('data', (d: Buffer) => out.push(d));
          ch.stderr.on('data', (d: Buffer) => err.push(d));
          ch.on('exit', (code: number | null, signal?: string) => { exit = { code: code ?? null, ...(signal ? { signal } : {}) }; });
          ch.on('close', () => {
            clearTimeout(timer);
            if (!exit && live.closed) { reject(this.disconnected()); return; }
            resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code: exit?.code ?? null, ...(exit?.signal ? { signal: exit.signal } : {}) });
          });
          ch.end(options.stdin ?? undefined);
        }));
        return await done;
      } finally {
        release();
      }
    });
  }

  async stream(cmd: ShellCommand): Promise<StreamedCommand> {
    return this.withConnection(false, async (live) => {
      const release = await this.slots.take();
      try {
        return await this.openExec(live, cmd, {}, (ch): StreamedCommand => ({
          stdout: ch, stderr: ch.stderr, exit: channelExit(ch, release),
          write: (d) => { ch.write(d); },
          end: () => { ch.end(); },
          kill: () => { try { ch.signal('KILL'); } catch { /* older servers */ } ch.close(); },
        }));
      } catch (e) {
        release();
        throw e;
      }
    });
  }

  async pty(cmd: ShellCommand, options: PtyOptions): Promise<PtySession> {
    return this.withConnection(false, async (live) => {
      const release = await this.slots.take();
      try {
        return await this.openExec(live, cmd, { pty: options }, (ch): PtySession => ({
          stream: ch as Duplex,
          resize: (rows, cols) => { ch.setWindow(rows, cols, 0, 0); },
          exit: channelExit(ch, release),
          close: () => { ch.close(); },
        }));
      } catch (e) {
        release();
        throw e;
      }
    });
  }

  private sftp(live: Live): Promise<SFTPWrapper> {
    if (!live.sftp) {
      live.sftp = new Promise<SFTPWrapper>((resolve, reject) => {
        live.client.sftp((err, sftp) => {
          if (err) { live.sftp = undefined; reject(new TransportError('protocol', `${this.description} has no SFTP subsystem: ${err.message}`, 'Ask the admins to enable "Subsystem sftp" in sshd_config.', { cause: err })); return; }
          sftp.once('close', () => { if (live.sftp) live.sftp = undefined; });
          resolve(sftp);
        });
      });
    }
    return live.sftp;
  }

  private files<T>(use: (sftp: SFTPWrapper) => Promise<T>): Promise<T> {
    return this.withConnection(true, async (live) => use(await this.sftp(live)));
  }

  readFile(path: string): Promise<Buffer> { return this.files((s) => sftpReadFile(s, path)); }
  writeFile(path: string, data: string | Buffer, mode = 0o644): Promise<void> { return this.files((s) => sftpWriteFile(s, path, data, mode)); }
  mkdirp(path: string): Promise<void> { return this.files((s) => sftpMkdirp(s, path)); }
  stat(path: string): Promise<FileStat | undefined> { return this.files((s) => sftpStat(s, path)); }
  read(path: string, offset: number, maxBytes: number): Promise<Buffer> { return this.files((s) => sftpRead(s, path, offset, maxBytes)); }
  homeDirectory(): Promise<string> { return this.files((s) => sftpRealpath(s, '.')); }

  async dispose(): Promise<void> {
    this.disposed = true;
    const live = this.live;
    this.live = undefined;
    if (live) { live.closed = true; for (const c of [...live.clients].reverse()) c.end(); }
    this.setState('closed');
    this.stateEmitter.dispose();
  }
}

function channelExit(ch: ClientChannel, release: () => void): Promise<CommandExit> {
  return new Promise((resolve) => {
    let exit: CommandExit = { code: null };
    ch.on('exit', (code: number | null, signal?: string) => { exit = { code: code ?? null, ...(signal ? { signal } : {}) }; });
    ch.on('close', () => { release(); resolve(exit); });
  });
}
