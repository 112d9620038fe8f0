/**
 * known_hosts as OpenSSH reads it (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"): one key per line,
 * `[@marker] patterns keytype base64 [comment]`. Patterns are comma lists with `*`/`?`/`!`,
 * a non-22 port is written `[host]:port`, and `HashKnownHosts` writes `|1|salt|hmac` where
 * hmac = HMAC-SHA1(salt, name). `@revoked` keys are refused wherever they appear;
 * `@cert-authority` lines are skipped (host certificates are not supported).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { makeDirs } from '../privateFiles';
import { matchPatternList } from './sshConfig';

export interface KnownHostEntry {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly marker?: 'revoked' | 'cert-authority';
  readonly patterns: readonly string[];
  readonly keyType: string;
  /** base64 of the public key blob. */
  readonly key: string;
}

export type HostKeyVerdict =
  | { readonly kind: 'known'; readonly entry: KnownHostEntry }
  | { readonly kind: 'changed'; readonly entry: KnownHostEntry }
  | { readonly kind: 'revoked'; readonly entry: KnownHostEntry }
  | { readonly kind: 'unknown' };

export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const s = raw.trim();
    if (s === '' || s.startsWith('#')) return;
    const words = s.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (words[0]!.startsWith('@')) {
      const m = words.shift()!;
      if (m === '@revoked') marker = 'revoked';
      else if (m === '@cert-authority') marker = 'cert-authority';
      else return; // unknown marker: OpenSSH ignores the line
    }
    if (words.length < 3) return;
    out.push({ file, line: i + 1, ...(marker ? { marker } : {}), patterns: words[0]!.split(','), keyType: words[1]!, key: words[2]! });
  });
  return out;
}

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise. */
export function hostLookupName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function hashedMatches(pattern: string, name: string): boolean {
  const parts = pattern.split('|'); // ['', '1', salt, hash]
  if (parts.length !== 4 || parts[1] !== '1') return false;
  const salt = Buffer.from(parts[2]!, 'base64');
  const want = Buffer.from(parts[3]!, 'base64');
  const got = createHmac('sha1', salt).update(name).digest();
  return want.length === got.length && timingSafeEqual(want, got);
}

/** Whether a line's host patterns cover `name` (as given by `hostLookupName`). */
export function entryMatches(entry: KnownHostEntry, name: string): boolean {
  const hashed = entry.patterns.filter((p) => p.startsWith('|'));
  if (hashed.some((p) => hashedMatches(p, name))) return true;
  const plain = entry.patterns.filter((p) => !p.startsWith('|'));
  return plain.length > 0 && matchPatternList(plain, name);
}

/** The type named inside an SSH public key blob (`ssh-ed25519`...). */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const len = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + len).toString('latin1');
}

/** `SHA256:…` as `ssh-keygen -l` and OpenSSH prompts print it. */
export function sha256Fingerprint(blob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

export function checkHostKey(entries: readonly KnownHostEntry[], host: string, port: number, blob: Buffer, alias?: string): HostKeyVerdict {
  const name = hostLookupName(alias ?? host, port);
  const b64 = blob.toString('base64');
  const revoked = entries.find((e) => e.marker === 'revoked' && e.key === b64);
  if (revoked) return { kind: 'revoked', entry: revoked };
  const forHost = entries.filter((e) => e.marker === undefined && entryMatches(e, name));
  const same = forHost.find((e) => e.key === b64);
  if (same) return { kind: 'known', entry: same };
  // Any other key recorded for this host means the key changed: refuse, as OpenSSH does for
  // the same type. (We also refuse for another type: the transport prefers known types, so a
  // server that no longer offers one has been changed or replaced.)
  const type = keyTypeOf(blob);
  const other = forHost.find((e) => e.keyType === type) ?? forHost[0];
  return other ? { kind: 'changed', entry: other } : { kind: 'unknown' };
}

/** Key types recorded for the host, to ask the server for those first (OpenSSH does too). */
export function knownKeyTypes(entries: readonly KnownHostEntry[], host: string, port: number, alias?: string): string[] {
  const name = hostLookupName(alias ?? host, port);
  return [...new Set(entries.filter((e) => e.marker === undefined && entryMatches(e, name)).map((e) => e.keyType))];
}

export function knownHostsLine(host: string, port: number, blob: Buffer): string {
  return `${hostLookupName(host, port)} ${keyTypeOf(blob)} ${blob.toString('base64')}`;
}

/** Reads every file that exists; missing files are simply empty. */
export async function loadKnownHosts(files: readonly string[]): Promise<KnownHostEntry[]> {
  const all: KnownHostEntry[] = [];
  for (const f of files) {
    try { all.push(...parseKnownHosts(await fs.readFile(f, 'utf8'), f)); } catch { /* missing */ }
  }
  return all;
}

/** "Trust and remember": one plain line at the end of the file (created 0600 with its folder). */
export async function appendKnownHost(file: string, host: string, port: number, blob: Buffer): Promise<void> {
  // Missing folders 0700, as OpenSSH makes ~/.ssh (makeDirs: node's `recursive` spins under /proc).
  makeDirs(path.dirname(file), 0o700);
  let prefix = '';
  try {
    const cur = await fs.readFile(file, 'utf8');
    if (cur.length > 0 && !cur.endsWith('\n')) prefix = '\n';
  } catch { /* new file */ }
  await fs.appendFile(file, `${prefix}${knownHostsLine(host, port, blob)}\n`, { mode: 0o600 });
}
