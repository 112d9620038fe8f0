/**
 * The SSH transport against real servers: the cluster's sshd (host keys known, unknown,
 * changed; wrong key; ssh-agent), a second OpenSSH sshd we start as a ProxyJump host, ssh2's
 * own Server for keyboard-interactive (2FA) and encrypted keys, and sockets that refuse, stay
 * silent or do not resolve — each failure must say what went wrong.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Server, utils, type Connection } from 'ssh2';
import { ClusterRegistry } from '../../runtimes/src/slurm/clusterRegistry';
import { SlurmCluster } from '../../runtimes/src/slurm/slurmCluster';
import { sha256Fingerprint } from '../../runtimes/src/transport/knownHosts';
import { shellCommand } from '../../runtimes/src/transport/shellQuote';
import { SshConfig } from '../../runtimes/src/transport/sshConfig';
import type { HostKeyAnswer, HostKeyQuestion, KeyboardInteractiveQuestion } from '../../runtimes/src/transport/sshPrompts';
import { SshTransport } from '../../runtimes/src/transport/sshTransport';
import { TransportError } from '../../runtimes/src/transport/transport';
import {
  clusterAvailability, killSshdSession, knownHostsFor, requireEnv, scratch, sshdPidsForClientPort, suiteOptions, transport, waitFor, type ClusterEnv,
} from './slurmTestCluster';

const available = clusterAvailability();

function hostKeyBlob(pubFile: string): Buffer {
  return Buffer.from(readFileSync(pubFile, 'utf8').trim().split(/\s+/)[1]!, 'base64');
}

async function rejection(p: Promise<unknown>): Promise<TransportError> {
  try { await p; } catch (e) { if (e instanceof TransportError) return e; throw e; }
  throw new Error('expected a TransportError');
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); });
  });
}

const echo = shellCommand(['echo', 'ok']);

describe('SSH transport against the cluster\'s sshd', suiteOptions(available, { concurrency: true }), () => {
  let env: ClusterEnv;
  let dir: string;
  let knownHosts: string;
  before(() => {
    env = requireEnv(available);
    dir = scratch('ssh-transport-');
    knownHosts = knownHostsFor(env, dir);
  });

  test('known host key: connects, runs a command, one connection for many channels', async () => {
    const t = transport(env, knownHosts);
    try {
      const results = await Promise.all(Array.from({ length: 30 }, (_, i) => t.exec(shellCommand(['sh', '-c', `echo ${i}; exit ${i % 4}`]))));
      assert.deepEqual(results.map((r) => [r.stdout, r.code]), Array.from({ length: 30 }, (_, i) => [`${i}\n`, i % 4]));
      assert.equal(t.reconnectCount, 0);
      assert.equal(sshdPidsForClientPort(env.port, t.localPort!).length > 0, true);
      assert.equal(await t.homeDirectory(), `/home/${env.user}`);
    } finally { await t.dispose(); }
  });

  test('unknown host key: the callback sees the SHA256 fingerprint; reject refuses, once connects, remember appends', async () => {
    const kh = path.join(dir, 'kh-unknown');
    writeFileSync(kh, '');
    const want = sha256Fingerprint(hostKeyBlob(env.hostKeyPub));
    const asked: HostKeyQuestion[] = [];
    const answer = (a: HostKeyAnswer) => ({ unknownHostKey: async (q: HostKeyQuestion) => { asked.push(q); return a; } });

    const e = await rejection(transport(env, kh, { prompts: answer('reject') }).connect());
    assert.equal(e.kind, 'hostKeyUnknown');
    assert.ok(e.message.includes(want), e.message);
    assert.equal(asked[0]!.fingerprint, want);
    assert.equal(asked[0]!.port, env.port);

    const once = transport(env, kh, { prompts: answer('once') });
    assert.equal((await once.exec(echo)).stdout, 'ok\n');
    await once.dispose();
    assert.equal(readFileSync(kh, 'utf8'), '', '"once" writes nothing');

    const remember = transport(env, kh, { prompts: answer('remember') });
    await remember.connect();
    await remember.dispose();
    assert.match(readFileSync(kh, 'utf8'), new RegExp(`^\\[${env.host}\\]:${env.port} ssh-ed25519 `));
    const n = asked.length;
    const again = transport(env, kh, { prompts: answer('reject') });
    await again.connect();
    await again.dispose();
    assert.equal(asked.length, n, 'a remembered key is not asked about again');
  });

  test('a question answered after the connect timeout (a person reading the fingerprint): asked once, then connected', async () => {
    const kh = path.join(dir, 'kh-slow');
    writeFileSync(kh, '');
    let asked = 0;
    // The answer comes well after connectTimeoutMs: the time a person takes is not the server's.
    const slow = { unknownHostKey: async () => { asked++; await new Promise((r) => setTimeout(r, 2500)); return 'once' as const; } };
    const t = transport(env, kh, { prompts: slow, connectTimeoutMs: 1000 });
    try {
      assert.equal((await t.exec(echo)).stdout, 'ok\n');
      assert.equal(asked, 1);
      assert.equal(t.reconnectCount, 0);
    } finally { await t.dispose(); }
  });

  test('ProxyCommand: the connection goes through the command (the host name itself does not resolve)', async () => {
    const proxy = path.join(dir, 'proxy.js');
    const marker = path.join(dir, 'proxy-ran');
    // Connects to the real sshd whatever %h says, and leaves a mark with the tokens it got.
    writeFileSync(proxy, `require('fs').writeFileSync(${JSON.stringify(marker)}, process.argv.slice(2).join(' '));
const s = require('net').connect(${env.port}, ${JSON.stringify(env.host)}); process.stdin.pipe(s); s.pipe(process.stdout);`);
    const kh = path.join(dir, 'kh-proxied');
    const [type, key] = readFileSync(env.hostKeyPub, 'utf8').trim().split(/\s+/);
    writeFileSync(kh, `[proxied.invalid]:${env.port} ${type} ${key}\n`);
    const config = SshConfig.parse(`Host viaproxy\n  HostName proxied.invalid\n  Port ${env.port}\n  User ${env.user}\n  ProxyCommand ${process.execPath} ${proxy} %h %p %r\n`);
    const t = new SshTransport({ destination: 'viaproxy', sshConfig: config, identityFiles: [env.key], knownHostsFiles: [kh], agentSocket: null });
    try {
      assert.equal((await t.exec(echo)).stdout, 'ok\n');
      assert.equal(readFileSync(marker, 'utf8'), `proxied.invalid ${env.port} ${env.user}`);
    } finally { await t.dispose(); }
    const hostile = SshConfig.parse(`Host evil\n  HostName "a;touch ${marker}-pwned"\n  ProxyCommand ${process.execPath} ${proxy} %h %p\n`);
    const e = await rejection(new SshTransport({ destination: 'evil', sshConfig: hostile, knownHostsFiles: [kh], agentSocket: null }).connect());
    assert.match(e.message, /Refusing to run ProxyCommand: %h would be/);
    assert.equal(existsSync(`${marker}-pwned`), false);
  });

  test('unknown host key and nobody to ask: refused, never accepted silently', async () => {
    const kh = path.join(dir, 'kh-empty');
    writeFileSync(kh, '');
    const e = await rejection(transport(env, kh).connect());
    assert.equal(e.kind, 'hostKeyUnknown');
    assert.match(e.message, /is not known \(ssh-ed25519 SHA256:/);
  });

  test('changed host key: refused, naming the known_hosts line', async () => {
    const kh = path.join(dir, 'kh-changed');
    const other = utils.parseKey(utils.generateKeyPairSync('ed25519').public);
    if (other instanceof Error) throw other;
    writeFileSync(kh, `# first line\n[${env.host}]:${env.port} ssh-ed25519 ${other.getPublicSSH().toString('base64')}\n`);
    let asked = false;
    const e = await rejection(transport(env, kh, { prompts: { unknownHostKey: async () => { asked = true; return 'once'; } } }).connect());
    assert.equal(e.kind, 'hostKeyChanged');
    assert.ok(e.message.includes(`${kh} line 2`), e.message);
    assert.match(e.message, /CHANGED/);
    assert.match(e.hint ?? '', /ssh-keygen -R/);
    assert.equal(asked, false, 'a changed key is never offered for acceptance');
  });

  test('wrong key: an authentication error naming the user and what was tried', async () => {
    const wrong = path.join(dir, 'wrong_key');
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', wrong]);
    const t = new SshTransport({ destination: `${env.user}@${env.host}:${env.port}`, sshConfig: SshConfig.parse(''), identityFiles: [wrong], knownHostsFiles: [knownHosts], agentSocket: null });
    const e = await rejection(t.connect());
    assert.equal(e.kind, 'auth');
    assert.match(e.message, new RegExp(`refused to log in user "${env.user}" \\(tried: .*wrong_key`));
  });

  test('keys that cannot be used (missing, garbage, encrypted with nobody to ask) are named with their problem, not "tried: nothing"', async () => {
    const missing = path.join(dir, 'no_such_key');
    const garbage = path.join(dir, 'garbage_key');
    writeFileSync(garbage, 'this is not a key\n');
    const locked = path.join(dir, 'locked_key');
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'secret', '-f', locked]);
    const t = new SshTransport({ destination: `${env.user}@${env.host}:${env.port}`, sshConfig: SshConfig.parse(''), identityFiles: [missing, garbage, locked, '/dev/zero'], knownHostsFiles: [knownHosts], agentSocket: null });
    const e = await rejection(t.connect());
    assert.equal(e.kind, 'auth');
    assert.match(e.message, /\(tried: nothing; keys not usable: /);
    assert.match(e.message, /no_such_key: no such file/);
    assert.match(e.message, /garbage_key: not a private key ssh can read/);
    assert.match(e.message, /locked_key: encrypted, and nothing can ask for its passphrase \(load it into ssh-agent\)/);
    assert.match(e.message, /\/dev\/zero: is not a regular file/);
  });

  test('ssh-agent: the key comes from the agent (SSH_AUTH_SOCK), no key file given', async () => {
    const sock = path.join(dir, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    try {
      await waitFor('the agent socket', () => { try { readFileSync(sock); return undefined; } catch (e) { return (e as NodeJS.ErrnoException).code !== 'ENOENT' || undefined; } }, 5000);
      assert.equal(spawnSync('ssh-add', [env.key], { env: { SSH_AUTH_SOCK: sock }, stdio: 'ignore' }).status, 0);
      const t = new SshTransport({ destination: `${env.user}@${env.host}:${env.port}`, sshConfig: SshConfig.parse(''), knownHostsFiles: [knownHosts], agentSocket: sock });
      assert.equal((await t.exec(echo)).stdout, 'ok\n');
      await t.dispose();
    } finally { agent.kill(); }
  });

  test('nothing listening: "connection refused"', async () => {
    const port = await freePort();
    const t = new SshTransport({ destination: `u@127.0.0.1:${port}`, sshConfig: SshConfig.parse(''), agentSocket: null });
    const e = await rejection(t.connect());
    assert.equal(e.kind, 'unreachable');
    assert.match(e.message, new RegExp(`Cannot connect to 127\\.0\\.0\\.1:${port}: connection refused`));
  });

  test('a name that does not resolve: a DNS error', async () => {
    const e = await rejection(new SshTransport({ destination: 'u@no-such-host.invalid', sshConfig: SshConfig.parse(''), agentSocket: null }).connect());
    assert.equal(e.kind, 'dns');
    assert.match(e.message, /Cannot resolve the host name "no-such-host\.invalid"/);
  });

  test('a port that accepts but never speaks SSH: a handshake timeout', async () => {
    const silent = net.createServer(() => { /* say nothing */ });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const port = (silent.address() as net.AddressInfo).port;
      const e = await rejection(new SshTransport({ destination: `u@127.0.0.1:${port}`, sshConfig: SshConfig.parse(''), agentSocket: null, connectTimeoutMs: 1000 }).connect());
      assert.equal(e.kind, 'timeout');
      assert.match(e.message, /did not complete the SSH handshake within 1 s/);
    } finally { silent.close(); }
  });

  test('commands issued while the connection is down wait for the reconnect', async () => {
    const t = transport(env, knownHosts);
    try {
      await t.connect();
      const port = t.localPort!;
      assert.ok(killSshdSession(env.port, port) > 0);
      await waitFor('the drop to be noticed', () => t.state !== 'connected' || undefined, 5000, 5);
      const r = await t.exec(echo, { idempotent: true });
      assert.equal(r.stdout, 'ok\n');
      assert.equal(t.reconnectCount, 1);
      assert.notEqual(t.localPort, port);
    } finally { await t.dispose(); }
  });

  test('several clusters at once: each its own connection and state', async () => {
    const registry = new ClusterRegistry({ sshConfig: SshConfig.parse('') });
    const base = { ssh: `${env.user}@${env.host}:${env.port}`, identityFile: env.key, knownHostsFiles: [knownHosts] };
    registry.define({ name: 'a', ...base, workDir: '~/hpc-jobs-test/a' });
    registry.define({ name: 'b', ...base, workDir: '~/hpc-jobs-test/b', squeue: 'format' });
    try {
      const a = registry.get('a');
      const b = registry.get('b');
      assert.notEqual(a, b);
      assert.equal(registry.get('a'), a);
      const [pa, pb] = await Promise.all([a.profile(), b.profile()]);
      assert.deepEqual([pa.name, pb.name], ['a', 'b']);
      assert.notEqual((a.transport as SshTransport).localPort, (b.transport as SshTransport).localPort);
      assert.deepEqual([a.tracker.squeueMode, b.tracker.squeueMode], ['json', 'format']);
      assert.throws(() => registry.get('c'), /No cluster named "c" \(known: a, b\)/);
    } finally { await registry.disposeAsync(); }
  });
});

describe('ProxyJump through a second sshd', suiteOptions(available), () => {
  let env: ClusterEnv;
  let sshd: ChildProcess | undefined;
  let log = '';
  let jumpPort = 0;
  let dir: string;
  before(async () => {
    env = requireEnv(available);
    dir = scratch('proxyjump-');
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'host_key')]);
    jumpPort = await freePort();
    const conf = path.join(dir, 'sshd_config');
    writeFileSync(conf, [
      `Port ${jumpPort}`, 'ListenAddress 127.0.0.1', `HostKey ${path.join(dir, 'host_key')}`, `PidFile ${path.join(dir, 'sshd.pid')}`,
      'AuthorizedKeysFile .ssh/authorized_keys', 'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'UsePAM no',
      `AllowUsers ${env.user}`, 'AllowTcpForwarding yes', 'PermitOpen any', '',
    ].join('\n'));
    sshd = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    sshd.stderr!.on('data', (d: Buffer) => { log += d.toString(); });
    await waitFor('the jump sshd to listen', () => new Promise<boolean | undefined>((r) => {
      const s = net.connect(jumpPort, '127.0.0.1').once('connect', () => { s.destroy(); r(true); }).once('error', () => r(undefined));
    }), 10_000);
  });
  after(() => { sshd?.kill('SIGTERM'); });

  test('the cluster is reached through the jump host, both host keys checked', async () => {
    const kh = path.join(dir, 'known_hosts');
    const [jt, jk] = readFileSync(path.join(dir, 'host_key.pub'), 'utf8').split(' ');
    const [ct, ck] = readFileSync(env.hostKeyPub, 'utf8').split(' ');
    writeFileSync(kh, `[127.0.0.1]:${jumpPort} ${jt} ${jk}\n[${env.host}]:${env.port} ${ct} ${ck}\n`);
    const config = SshConfig.parse([
      'Host cluster-via-jump', `  HostName ${env.host}`, `  Port ${env.port}`, `  User ${env.user}`, `  ProxyJump ${env.user}@127.0.0.1:${jumpPort}`,
      'Host *', `  IdentityFile ${env.key}`, `  UserKnownHostsFile ${kh}`, '  IdentitiesOnly yes', '',
    ].join('\n'));
    const t = new SshTransport({ destination: 'cluster-via-jump', sshConfig: config, agentSocket: null });
    try {
      assert.deepEqual(t.target.proxyJump, [{ host: '127.0.0.1', user: env.user, port: jumpPort }]);
      const r = await t.exec(shellCommand(['squeue', '--version']));
      assert.match(r.stdout, /22\.05/);
      const c = new SlurmCluster({ name: 'jumped', transport: t });
      assert.equal((await c.profile()).partitions.length, 3);
      c.dispose();
      await waitFor('the jump sshd to log the login', () => /Accepted publickey for hpcuser/.test(log) || undefined, 5000);
    } finally { await t.dispose(); }
    // The jump host's key is checked too: a wrong one there stops the chain at the first hop.
    writeFileSync(kh, `[127.0.0.1]:${jumpPort} ${ct} ${ck}\n[${env.host}]:${env.port} ${ct} ${ck}\n`);
    const bad = new SshTransport({ destination: 'cluster-via-jump', sshConfig: config, agentSocket: null });
    const e = await rejection(bad.connect());
    assert.equal(e.kind, 'hostKeyChanged');
    assert.ok(e.message.includes(`127.0.0.1:${jumpPort}`), e.message);
  });
});

/** An ssh2 Server on loopback: keyboard-interactive (password + code) or a public key, and `exec`. */
async function testServer(auth: (ctx: Parameters<Parameters<Connection['on']>[1]>[0] & { method: string }) => void) {
  const hostKey = utils.generateKeyPairSync('ed25519');
  const clients = new Set<Connection>();
  const server = new Server({ hostKeys: [hostKey.private] }, (client) => {
    clients.add(client);
    client.on('error', () => undefined);
    client.on('close', () => clients.delete(client));
    client.on('authentication', (ctx) => auth(ctx as never));
    client.on('ready', () => client.on('session', (accept) => {
      accept().on('exec', (acc, _rej, info) => { const ch = acc(); ch.write(`ran: ${info.command}\n`); ch.exit(0); ch.end(); });
    }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const pub = utils.parseKey(hostKey.public);
  if (pub instanceof Error) throw pub;
  const dir = scratch('ssh2server-');
  const kh = path.join(dir, 'known_hosts');
  writeFileSync(kh, `[127.0.0.1]:${port} ssh-ed25519 ${pub.getPublicSSH().toString('base64')}\n`);
  return {
    port, kh, dir,
    dropClients: () => { for (const c of clients) c.end(); },
    close: () => new Promise<void>((r) => { for (const c of clients) c.end(); server.close(() => r()); }),
  };
}

describe('ssh2 Server: keyboard-interactive, encrypted keys, bounded reconnect waits', () => {
  test('keyboard-interactive (password + 2FA code) is forwarded to the callback', async () => {
    const srv = await testServer((ctx) => {
      if (ctx.method !== 'keyboard-interactive') { (ctx as unknown as { reject(m: string[]): void }).reject(['keyboard-interactive']); return; }
      const c = ctx as unknown as { prompt(p: { prompt: string; echo: boolean }[], title: string, instr: string, cb: (a: string[]) => void): void; accept(): void; reject(): void };
      c.prompt([{ prompt: 'Password: ', echo: false }, { prompt: 'Verification code: ', echo: true }], 'Two-factor login', 'Both, please.',
        (a) => (a[0] === 's3cret' && a[1] === '123456' ? c.accept() : c.reject()));
    });
    try {
      const asked: KeyboardInteractiveQuestion[] = [];
      const t = new SshTransport({
        destination: `alice@127.0.0.1:${srv.port}`, sshConfig: SshConfig.parse(''), knownHostsFiles: [srv.kh], agentSocket: null,
        prompts: { keyboardInteractive: async (q) => { asked.push(q); return ['s3cret', '123456']; } },
      });
      assert.equal((await t.exec(shellCommand(['hostname']))).stdout, 'ran: hostname\n');
      await t.dispose();
      assert.deepEqual(asked[0]!.prompts, [{ prompt: 'Password: ', echo: false }, { prompt: 'Verification code: ', echo: true }]);
      assert.equal(asked[0]!.instructions, 'Both, please.');
      assert.equal(asked[0]!.user, 'alice');
      const wrong = new SshTransport({
        destination: `alice@127.0.0.1:${srv.port}`, sshConfig: SshConfig.parse(''), knownHostsFiles: [srv.kh], agentSocket: null,
        prompts: { keyboardInteractive: async () => ['s3cret', '000000'] },
      });
      const e = await rejection(wrong.connect());
      assert.equal(e.kind, 'auth');
      assert.match(e.message, /tried: keyboard-interactive/);
    } finally { await srv.close(); }
  });

  test('an encrypted key: the passphrase is asked once, kept for reconnects', async () => {
    const dir = scratch('enckey-');
    const key = path.join(dir, 'id_enc');
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'open sesame', '-f', key]);
    const allowed = utils.parseKey(readFileSync(`${key}.pub`));
    if (allowed instanceof Error) throw allowed;
    const srv = await testServer((ctx) => {
      const c = ctx as unknown as { method: string; key?: { data: Buffer }; accept(): void; reject(m?: string[]): void };
      if (c.method === 'publickey' && c.key && c.key.data.equals(allowed.getPublicSSH())) c.accept(); else c.reject(['publickey']);
    });
    try {
      const attempts: number[] = [];
      const t = new SshTransport({
        destination: `bob@127.0.0.1:${srv.port}`, sshConfig: SshConfig.parse(''), identityFiles: [key], knownHostsFiles: [srv.kh], agentSocket: null,
        prompts: { passphrase: async (_f, attempt) => { attempts.push(attempt); return attempt === 1 ? 'wrong' : 'open sesame'; } },
        reconnectWaitMs: 5000,
      });
      assert.equal((await t.exec(echo)).stdout, 'ran: echo ok\n');
      srv.dropClients();
      await waitFor('the drop', () => t.state !== 'connected' || undefined, 5000, 5);
      assert.equal((await t.exec(echo, { idempotent: true })).stdout, 'ran: echo ok\n');
      assert.deepEqual(attempts, [1, 2], 'asked until right, and not again on reconnect');
      await t.dispose();
    } finally { await srv.close(); }
  });

  test('the server gone for good: a waiting command fails after the bound, with a clear message', async () => {
    const srv = await testServer((ctx) => (ctx as unknown as { accept(): void }).accept());
    const t = new SshTransport({ destination: `u@127.0.0.1:${srv.port}`, sshConfig: SshConfig.parse(''), knownHostsFiles: [srv.kh], agentSocket: null, reconnectWaitMs: 1500 });
    try {
      await t.connect();
      await srv.close();
      const started = Date.now();
      const e = await rejection(t.exec(echo));
      assert.equal(e.kind, 'disconnected');
      assert.match(e.message, /Lost the connection to u@127\.0\.0\.1:\d+ and could not restore it within 2 s/);
      assert.ok(Date.now() - started < 5000);
    } finally { await t.dispose(); }
  });
});
