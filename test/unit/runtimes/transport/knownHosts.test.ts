import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import {
  appendKnownHost, checkHostKey, entryMatches, hostLookupName, keyTypeOf, knownKeyTypes, loadKnownHosts, parseKnownHosts, sha256Fingerprint,
} from '../../../../runtimes/src/transport/knownHosts';

const FX = path.join(__dirname, 'fixtures');
const blob = (name: string): Buffer => Buffer.from(readFileSync(path.join(FX, `key-${name}.pub`), 'utf8').trim().split(' ')[1]!, 'base64');
const A = blob('a');
const B = blob('b');
const R = blob('r');
const plain = parseKnownHosts(readFileSync(path.join(FX, 'known_hosts-plain'), 'utf8'), 'known_hosts-plain');
const hashed = parseKnownHosts(readFileSync(path.join(FX, 'known_hosts-hashed'), 'utf8'), 'known_hosts-hashed');

describe('known_hosts parsing', () => {
  test('comments, unknown markers and short lines are skipped; markers kept', () => {
    assert.equal(plain.length, 5);
    assert.deepEqual(plain.map((e) => e.marker ?? '-'), ['-', '-', '-', 'revoked', 'cert-authority']);
    assert.deepEqual(plain[0]!.patterns, ['login.example.org', '10.0.0.1']);
    assert.equal(plain[2]!.line, 4);
  });

  test('lookup names: bare on port 22, [host]:port otherwise', () => {
    assert.equal(hostLookupName('h', 22), 'h');
    assert.equal(hostLookupName('h', 2222), '[h]:2222');
  });

  test('key type and SHA256 fingerprint as ssh-keygen -l prints them', () => {
    assert.equal(keyTypeOf(A), 'ssh-ed25519');
    assert.equal(sha256Fingerprint(A), 'SHA256:3UiLZGUREm1/yDlgdh8oEi/yNmDVbZ2Lu6LYPeGgQWI');
  });
});

describe('checkHostKey', () => {
  const rows: [string, string, number, Buffer, string][] = [
    ['known by name', 'login.example.org', 22, A, 'known'],
    ['known by address', '10.0.0.1', 22, A, 'known'],
    ['[host]:port entry', 'gw.example.org', 2222, B, 'known'],
    ['port matters', 'gw.example.org', 22, B, 'unknown'],
    ['wildcard', 'node7.wild.example.org', 22, A, 'known'],
    ['negated wildcard', 'bad.wild.example.org', 22, A, 'unknown'],
    ['changed key', 'login.example.org', 22, B, 'changed'],
    ['revoked key, any host', 'anything.example.net', 22, R, 'revoked'],
    ['unknown host', 'other.example.net', 22, A, 'unknown'],
    ['cert-authority lines do not vouch for a plain key', 'x.example.org', 22, B, 'unknown'],
  ];
  for (const [name, host, port, key, want] of rows) {
    test(name, () => assert.equal(checkHostKey(plain, host, port, key).kind, want));
  }

  test('a changed key names the file and line to fix', () => {
    const v = checkHostKey(plain, 'login.example.org', 22, B);
    assert.equal(v.kind, 'changed');
    if (v.kind === 'changed') assert.deepEqual([v.entry.file, v.entry.line], ['known_hosts-plain', 2]);
  });

  test('hashed entries (ssh-keygen -H): |1|salt|hmac-sha1', () => {
    assert.equal(checkHostKey(hashed, 'hashed.example.org', 22, A).kind, 'known');
    assert.equal(checkHostKey(hashed, 'hashed.example.org', 2200, B).kind, 'known');
    assert.equal(checkHostKey(hashed, 'hashed.example.org', 2200, A).kind, 'changed');
    assert.equal(checkHostKey(hashed, 'hashed.example.org', 2201, A).kind, 'unknown');
    assert.equal(checkHostKey(hashed, 'HASHED.example.org', 22, A).kind, 'unknown'); // hashes are exact
    assert.equal(entryMatches(hashed[0]!, 'hashed.example.org'), true);
  });

  test('HostKeyAlias: the alias is looked up instead of the host', () => {
    assert.equal(checkHostKey(plain, '192.0.2.7', 22, A, 'login.example.org').kind, 'known');
  });

  test('known key types, to ask the server for them first', () => {
    assert.deepEqual(knownKeyTypes(plain, 'login.example.org', 22), ['ssh-ed25519']);
    assert.deepEqual(knownKeyTypes(plain, 'nowhere', 22), []);
  });
});

describe('trust and remember', () => {
  test('appends one plain line (file created 0600, newline added when missing)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kh-'));
    try {
      const f = path.join(dir, 'sub', 'known_hosts');
      await appendKnownHost(f, '127.0.0.1', 2222, A);
      assert.equal(statSync(f).mode & 0o777, 0o600);
      writeFileSync(f, readFileSync(f, 'utf8').trimEnd());
      await appendKnownHost(f, 'h', 22, B);
      const entries = await loadKnownHosts([f, path.join(dir, 'missing')]);
      assert.equal(checkHostKey(entries, '127.0.0.1', 2222, A).kind, 'known');
      assert.equal(checkHostKey(entries, 'h', 22, B).kind, 'known');
      assert.equal(readFileSync(f, 'utf8').split('\n').length, 3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the folders it makes are 0700, as OpenSSH makes ~/.ssh; a folder mkdir cannot make is an error, not a hang', { timeout: 10_000 }, async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kh-'));
    const umask = process.umask(0o022);
    try {
      const f = path.join(dir, 'a', 'b', 'known_hosts');
      await appendKnownHost(f, 'h', 22, A);
      assert.deepEqual([path.join(dir, 'a'), path.join(dir, 'a', 'b')].map((d) => statSync(d).mode & 0o777), [0o700, 0o700]);
      // node's mkdir({ recursive: true }) spins forever here (ENOENT under /proc/self, which exists).
      await assert.rejects(appendKnownHost('/proc/self/no-such/known_hosts', 'h', 22, A), /ENOENT/);
    } finally {
      process.umask(umask);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

