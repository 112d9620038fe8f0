/**
 * `ProxyCommand` from ssh_config: the command runs under /bin/sh and its standard input and
 * output are the connection to the server, as OpenSSH uses them (a bastion's `ssh -W %h:%p`,
 * `nc`, a corporate proxy helper). Ignoring it went straight to the host, around the bastion.
 * `%h %p %r %n` are expanded like OpenSSH's; a host or user name with shell characters is
 * refused, since the command is a shell line.
 */
import { spawn } from 'node:child_process';
import { Duplex } from 'node:stream';
import { TransportError } from './transport';

const SAFE = /^[A-Za-z0-9._:@+-]*$/;

export function proxyCommandLine(command: string, tokens: { h: string; p: string; r: string; n: string }): string {
  for (const [k, v] of Object.entries(tokens)) {
    if (!SAFE.test(v)) {
      throw new TransportError('protocol', `Refusing to run ProxyCommand: %${k} would be ${JSON.stringify(v)}, which holds characters a shell would read.`,
        'Use a plain host and user name (letters, digits, . _ - : @ +).');
    }
  }
  return command.replace(/%(.)/g, (m, c: string) => (c === '%' ? '%' : (tokens as Record<string, string>)[c] ?? m));
}

/** Starts the command; the returned stream is its stdin/stdout. Its last stderr lines are kept for messages. */
export function proxyCommandSocket(line: string): Duplex & { stderrTail(): string } {
  const child = spawn('/bin/sh', ['-c', line], { stdio: ['pipe', 'pipe', 'pipe'] });
  let tail = '';
  child.stderr.on('data', (d: Buffer) => { tail = (tail + d.toString('utf8')).slice(-2000); });
  const sock = new Duplex({
    read() { child.stdout.resume(); },
    write(chunk: Buffer, _enc, cb) { child.stdin.write(chunk, cb); },
    final(cb) { child.stdin.end(); cb(); },
    destroy(err, cb) { child.kill(); cb(err); },
  });
  child.stdout.on('data', (d: Buffer) => { if (!sock.push(d)) child.stdout.pause(); });
  child.stdout.on('end', () => sock.push(null));
  child.stdin.on('error', () => undefined); // the command ended: its end shows on stdout
  child.on('error', (e) => sock.destroy(e));
  child.on('exit', () => { if (!sock.readableEnded) sock.push(null); });
  return Object.assign(sock, { stderrTail: () => tail.trim() });
}
