/**
 * A server that accepts the TCP connection and closes it at once (sshd at MaxStartups, TCP
 * wrappers, a port with no SSH server): the connection fails as "closed" right away, not after
 * the connect timeout. A real TCP server on loopback.
 *
 * Run: node --import tsx --test test/unit/runtimes/transport/sshClosedServer.test.ts
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { SshConfig } from '../../../../runtimes/src/transport/sshConfig';
import { SshTransport } from '../../../../runtimes/src/transport/sshTransport';
import { TransportError } from '../../../../runtimes/src/transport/transport';

let server: net.Server;
let port = 0;
let dir = '';
before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'hpc-jobs-closed-'));
  server = net.createServer((s) => s.destroy());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as net.AddressInfo).port;
});
after(() => { server.close(); rmSync(dir, { recursive: true, force: true }); });

// The test's own timeout is far below the connect timeout: waiting for that would fail it.
test('closed at once: a "closed" error naming the host, without waiting for the connect timeout', { timeout: 20_000 }, async () => {
  const kh = path.join(dir, 'known_hosts');
  writeFileSync(kh, '');
  const t = new SshTransport({
    destination: `nobody@127.0.0.1:${port}`, sshConfig: SshConfig.parse(''), knownHostsFiles: [kh], agentSocket: null,
    connectTimeoutMs: 120_000,
  });
  try {
    const e = await t.connect().then(() => undefined, (x: unknown) => x);
    assert.ok(e instanceof TransportError, String(e));
    assert.equal(e.kind, 'closed');
    assert.match(e.message, new RegExp(`^127\\.0\\.0\\.1:${port} closed the connection before the SSH handshake completed\\.`));
  } finally {
    await t.dispose();
  }
});
