/**
 * `salloc` in a terminal: on a remote cluster an SSH exec channel with a PTY (salloc without a
 * command starts a shell, which needs one), locally a node-pty terminal. The caller gets one
 * duplex byte stream for an xterm-like view, `resize`, and the job id once salloc prints
 * "Granted job allocation N".
 */
import { Duplex } from 'node:stream';
import type { CommandExit, PtySession, StreamedCommand, Transport } from '../transport/transport';
import { shellCommand, withEnv } from '../transport/shellQuote';

export interface Allocation {
  /** Terminal bytes both ways. */
  readonly stream: Duplex;
  resize(rows: number, cols: number): void;
  /** The allocation's job id, once granted; undefined if salloc ended without one. */
  readonly jobId: Promise<string | undefined>;
  readonly exit: Promise<CommandExit>;
  /** Ends the terminal (salloc then releases the allocation). */
  close(): void;
}

const GRANTED = /Granted job allocation (\d+)/;

/**
 * `terminal: false` (standard input is a pipe or /dev/null, as in CI): salloc runs without a
 * PTY, so the shell it starts reads commands from the input and ends at its end, and salloc
 * releases the allocation. In a PTY the end of the input never reaches the shell (a Ctrl-D sent
 * before the shell reads is lost), and the allocation stayed held.
 */
export async function startAllocation(transport: Transport, env: Readonly<Record<string, string>>, sallocArgs: readonly string[],
  size: { rows: number; cols: number }, options: { terminal?: boolean } = {}): Promise<Allocation> {
  if (options.terminal === false) return pipedAllocation(transport, env, sallocArgs);
  const session: PtySession = await transport.pty(withEnv(env, shellCommand(['salloc', ...sallocArgs])), size);
  const raw = session.stream;
  let seen = '';
  let resolveId!: (id: string | undefined) => void;
  const jobId = new Promise<string | undefined>((r) => { resolveId = r; });
  // Our own duplex in front of the channel: the job id is read from the output without taking
  // bytes away from whoever reads the stream, and backpressure reaches the channel.
  const stream = new Duplex({
    read() { raw.resume(); },
    write(chunk: Buffer, _enc, cb) { raw.write(chunk, cb); },
    final(cb) { raw.end(); cb(); },
  });
  raw.on('data', (d: Buffer) => {
    if (seen !== '\0') {
      seen = (seen + d.toString('utf8')).slice(-400);
      const m = GRANTED.exec(seen);
      if (m) { resolveId(m[1]); seen = '\0'; }
    }
    if (!stream.push(d)) raw.pause();
  });
  raw.on('end', () => stream.push(null));
  const exit = session.exit.then((e) => { resolveId(undefined); return e; });
  return { stream, resize: (r, c) => session.resize(r, c), jobId, exit, close: () => session.close() };
}

async function pipedAllocation(transport: Transport, env: Readonly<Record<string, string>>, sallocArgs: readonly string[]): Promise<Allocation> {
  const cmd: StreamedCommand = await transport.stream(withEnv(env, shellCommand(['salloc', ...sallocArgs])));
  let seen = '';
  let resolveId!: (id: string | undefined) => void;
  const jobId = new Promise<string | undefined>((r) => { resolveId = r; });
  const sources = [cmd.stdout, cmd.stderr];
  let open = sources.length;
  // Both output streams in one, as a terminal shows them; salloc says "Granted" on stderr.
  const stream = new Duplex({
    read() { for (const s of sources) s.resume(); },
    write(chunk: Buffer, _enc, cb) { cmd.write(chunk); cb(); },
    final(cb) { cmd.end(); cb(); },
  });
  for (const s of sources) {
    s.on('data', (d: Buffer) => {
      if (seen !== '\0') {
        seen = (seen + d.toString('utf8')).slice(-400);
        const m = GRANTED.exec(seen);
        if (m) { resolveId(m[1]); seen = '\0'; }
      }
      if (!stream.push(d)) for (const x of sources) x.pause();
    });
    s.on('end', () => { if (--open === 0) stream.push(null); });
  }
  const exit = cmd.exit.then((e) => { resolveId(undefined); return e; });
  return { stream, resize: () => undefined, jobId, exit, close: () => cmd.kill() };
}
