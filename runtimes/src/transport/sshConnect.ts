/**
 * Opens one SSH connection, hop by hop for ProxyJump: the first hop over our own TCP socket
 * (so DNS, refusal and timeout errors are told apart, and the local port is known), each next
 * hop over a `direct-tcpip` channel of the previous one. Every hop's host key is checked
 * against known_hosts before any credential is sent.
 */
import * as net from 'node:net';
import type { Duplex } from 'node:stream';
import type { Client, ConnectConfig } from 'ssh2';
import { ssh2 } from './ssh2Module';
import { authHandler, type KeyCache } from './sshAuth';
import { describeHop, handshakeError, socketError, type HopName } from './sshErrors';
import type { SshPrompts } from './sshPrompts';
import type { SshConfig, SshHostConfig } from './sshConfig';
import {
  appendKnownHost, checkHostKey, hostLookupName, keyTypeOf, knownKeyTypes, loadKnownHosts, sha256Fingerprint, type HostKeyVerdict,
} from './knownHosts';
import { proxyCommandLine, proxyCommandSocket } from './proxyCommand';
import { TransportError } from './transport';

export interface ConnectSettings {
  readonly prompts: SshPrompts;
  readonly keyCache: KeyCache;
  /** Keys trusted "once" this session, by `[host]:port`, so a reconnect does not ask again. */
  readonly sessionTrust: Map<string, string>;
  readonly agentSocket?: string;
  /** Overrides the configured known_hosts files (tests, CLI --known-hosts). */
  readonly knownHostsFiles?: readonly string[];
  /** Tried before the configured identity files. */
  readonly extraIdentityFiles?: readonly string[];
  readonly connectTimeoutMs: number;
  readonly keepaliveIntervalMs: number;
  readonly keepaliveCountMax: number;
}

export interface OpenConnection {
  /** Every hop's client, first to last; the last one is the cluster. */
  readonly clients: readonly Client[];
  readonly client: Client;
  /** Local port of our TCP connection to the first hop. */
  readonly localPort: number;
}

/** Server host key algorithms per known_hosts key type, to ask for a known type first. */
const ALGORITHMS_FOR_TYPE: Record<string, string[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
};

function hostKeyError(verdict: HostKeyVerdict, hop: HopName, blob: Buffer): TransportError {
  const fp = `${keyTypeOf(blob)} ${sha256Fingerprint(blob)}`;
  const where = `${hop.host}:${hop.port}`;
  if (verdict.kind === 'changed') {
    const e = verdict.entry;
    return new TransportError('hostKeyChanged',
      `The host key of ${where} has CHANGED: the server now shows ${fp}, which is not the ${e.keyType} key recorded in ${e.file} line ${e.line}. ` +
      'Someone may be intercepting the connection, or the server was reinstalled. Refusing to connect.',
      `If the cluster's admins confirm the new key, remove the old one (ssh-keygen -R "${hostLookupName(hop.host, hop.port)}" -f ${e.file}) and connect again.`);
  }
  if (verdict.kind === 'revoked') {
    return new TransportError('hostKeyRevoked', `The host key of ${where} (${fp}) is marked @revoked in ${verdict.entry.file} line ${verdict.entry.line}. Refusing to connect.`);
  }
  return new TransportError('hostKeyUnknown', `The host key of ${where} is not known (${fp}), and it was not accepted. Refusing to connect.`,
    'Compare the fingerprint with the one your cluster publishes, then accept it (or add it to ~/.ssh/known_hosts).');
}

function openSocket(hop: HopName, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: hop.host, port: hop.port });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(socketError(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }), hop, Math.round(timeoutMs / 1000)));
    }, timeoutMs);
    sock.once('connect', () => { clearTimeout(timer); sock.setNoDelay(true); resolve(sock); });
    sock.once('error', (e) => { clearTimeout(timer); reject(socketError(e, hop, Math.round(timeoutMs / 1000))); });
  });
}

function forward(via: Client, hop: HopName, viaName: string): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    via.forwardOut('127.0.0.1', 0, hop.host, hop.port, (err, stream) => {
      if (err) {
        reject(new TransportError('unreachable', `The jump host ${viaName} could not open a connection to ${hop.host}:${hop.port}: ${err.message}.`,
          'Check the host and port, and that the jump host allows TCP forwarding (AllowTcpForwarding).', { cause: err }));
      } else {
        resolve(stream);
      }
    });
  });
}

async function connectHop(cfg: SshHostConfig, sock: Duplex, settings: ConnectSettings): Promise<Client> {
  const hop: HopName = { user: cfg.user, host: cfg.hostName, port: cfg.port };
  const knownFiles = settings.knownHostsFiles ?? [...cfg.userKnownHostsFiles, ...cfg.globalKnownHostsFiles];
  const entries = await loadKnownHosts(knownFiles);
  const lookupHost = cfg.hostKeyAlias ?? cfg.hostName;
  const preferred = knownKeyTypes(entries, lookupHost, cfg.port).flatMap((t) => ALGORITHMS_FOR_TYPE[t] ?? []);
  const tried: string[] = [];
  const unusable: string[] = [];
  let refusal: TransportError | undefined;
  const timeoutS = Math.round(settings.connectTimeoutMs / 1000);

  // Our own handshake timeout instead of ssh2's readyTimeout: it stops while a question waits
  // for the person (host key, passphrase, code). ssh2's ran on, so a slow answer met a timeout,
  // a reconnect and the same question again, while the first one still waited for input.
  let timer: NodeJS.Timeout | undefined;
  let onTimeout = (): void => undefined;
  const arm = (): void => { clearTimeout(timer); timer = setTimeout(() => onTimeout(), settings.connectTimeoutMs); };
  let settled = false;
  const asking = <A extends unknown[], R>(f: ((...a: A) => Promise<R>) | undefined) => f && (async (...a: A): Promise<R> => {
    clearTimeout(timer);
    try { return await f(...a); } finally { if (!settled) arm(); }
  });
  const prompts: SshPrompts = {
    ...settings.prompts,
    ...(settings.prompts.unknownHostKey ? { unknownHostKey: asking(settings.prompts.unknownHostKey.bind(settings.prompts)) } : {}),
    ...(settings.prompts.passphrase ? { passphrase: asking(settings.prompts.passphrase.bind(settings.prompts)) } : {}),
    ...(settings.prompts.keyboardInteractive ? { keyboardInteractive: asking(settings.prompts.keyboardInteractive.bind(settings.prompts)) } : {}),
  };

  const verify = (blob: Buffer, done: (ok: boolean) => void): void => {
    const verdict = checkHostKey(entries, lookupHost, cfg.port, blob);
    const trustKey = hostLookupName(lookupHost, cfg.port);
    if (verdict.kind === 'known') { done(true); return; }
    if (verdict.kind === 'unknown' && settings.sessionTrust.get(trustKey) === blob.toString('base64')) { done(true); return; }
    if (verdict.kind !== 'unknown' || cfg.strictHostKeyChecking === 'yes' || !prompts.unknownHostKey) {
      refusal = hostKeyError(verdict, hop, blob);
      done(false);
      return;
    }
    const file = knownFiles[0] ?? cfg.userKnownHostsFiles[0]!;
    prompts.unknownHostKey({
      alias: cfg.alias, host: lookupHost, port: cfg.port, keyType: keyTypeOf(blob), fingerprint: sha256Fingerprint(blob), knownHostsFile: file,
    }).then(async (answer) => {
      if (answer === 'reject') { refusal = hostKeyError(verdict, hop, blob); done(false); return; }
      settings.sessionTrust.set(trustKey, blob.toString('base64'));
      if (answer === 'remember') await appendKnownHost(file, lookupHost, cfg.port, blob);
      done(true);
    }).catch((e: unknown) => { refusal = new TransportError('hostKeyUnknown', `Could not record the host key: ${String(e)}`); done(false); });
  };

  const identityFiles = [...(settings.extraIdentityFiles ?? []), ...cfg.identityFiles];
  const config: ConnectConfig = {
    sock: sock as ConnectConfig['sock'],
    username: cfg.user,
    readyTimeout: 0, // see `arm` above
    keepaliveInterval: settings.keepaliveIntervalMs,
    keepaliveCountMax: settings.keepaliveCountMax,
    hostVerifier: verify,
    authHandler: authHandler({
      user: cfg.user, host: cfg.hostName, identityFiles,
      skipAgent: cfg.identitiesOnly && cfg.identityFilesConfigured,
      ...(settings.agentSocket ? { agentSocket: settings.agentSocket } : {}),
      prompts,
    }, settings.keyCache, tried, unusable),
    ...(preferred.length ? { algorithms: { serverHostKey: { prepend: preferred } as never } } : {}),
  };
  const client = new (ssh2().Client)();
  return new Promise<Client>((resolve, reject) => {
    const onError = (e: Error & { level?: string }): void => {
      settled = true;
      clearTimeout(timer);
      client.removeListener('ready', onReady);
      // ssh2 may follow with a second error ("Connection lost before handshake"): never unhandled.
      client.on('error', () => undefined);
      client.end();
      reject(refusal ?? handshakeError(e, hop, tried, timeoutS, unusable));
    };
    const onReady = (): void => {
      settled = true;
      clearTimeout(timer);
      client.removeListener('error', onError);
      // Later errors surface as 'close'; keep one listener so they are never unhandled.
      client.on('error', (e) => settings.prompts.log?.(`${describeHop(hop)}: ${e.message}`));
      resolve(client);
    };
    client.once('ready', onReady);
    client.once('error', onError);
    // A server that accepts and closes at once (MaxStartups, TCP wrappers, no SSH there): say so
    // now, not at the timeout. It may have closed before ssh2 got the socket, which then waits.
    const closed = (): void => {
      if (settled) return;
      const proxy = (sock as Partial<ReturnType<typeof proxyCommandSocket>>).stderrTail?.();
      refusal ??= new TransportError('closed', `${hop.host}:${hop.port} closed the connection before the SSH handshake completed${proxy ? ` (ProxyCommand said: ${proxy})` : ''}.`,
        'The server may refuse connections from here (MaxStartups, a firewall, TCP wrappers), or it is not an SSH server.');
      onError(new Error('closed'));
    };
    client.once('close', closed);
    sock.once('end', closed);
    sock.once('close', closed);
    if (sock.destroyed || sock.readableEnded) setImmediate(closed);
    onTimeout = () => {
      onError(Object.assign(new Error('Timed out while waiting for handshake'), { level: 'client-timeout' }));
      sock.destroy();
    };
    arm();
    client.connect(config);
  });
}

/** Host config for one ProxyJump hop: its own ~/.ssh/config entry, with user/port from the hop spec winning. */
function hopConfig(config: SshConfig, hop: { host: string; user?: string; port?: number }): SshHostConfig {
  const c = config.resolve(hop.host);
  return { ...c, ...(hop.user ? { user: hop.user } : {}), ...(hop.port ? { port: hop.port } : {}) };
}

export async function openConnection(target: SshHostConfig, config: SshConfig, settings: ConnectSettings): Promise<OpenConnection> {
  // The jump hosts' own ProxyJump settings are not followed (OpenSSH would recurse); list every hop on the target instead.
  const chain = [...target.proxyJump.map((h) => hopConfig(config, h)), target];
  const clients: Client[] = [];
  try {
    const first = chain[0]!;
    let sock: Duplex;
    let localPort = 0;
    if (target.proxyCommand && chain.length === 1) {
      sock = proxyCommandSocket(proxyCommandLine(target.proxyCommand, { h: target.hostName, p: String(target.port), r: target.user, n: target.alias }));
    } else {
      const socket = await openSocket({ user: first.user, host: first.hostName, port: first.port }, settings.connectTimeoutMs);
      localPort = socket.localPort ?? 0;
      sock = socket;
    }
    for (let i = 0; i < chain.length; i++) {
      const cfg = chain[i]!;
      if (i > 0) sock = await forward(clients[i - 1]!, { user: cfg.user, host: cfg.hostName, port: cfg.port }, chain[i - 1]!.alias);
      clients.push(await connectHop(cfg, sock, settings));
    }
    return { clients, client: clients[clients.length - 1]!, localPort };
  } catch (e) {
    for (const c of clients.reverse()) c.end();
    throw e;
  }
}
