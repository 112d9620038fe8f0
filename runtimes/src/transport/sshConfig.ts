/**
 * Reads `~/.ssh/config` the way OpenSSH does for the keywords a cluster connection needs, so an
 * alias that works with `ssh` works here. Rules kept from ssh_config(5):
 *  - `Host` patterns use `*` and `?`; `!pattern` excludes; a block applies when some pattern
 *    matches the alias given and no negated one does.
 *  - The FIRST value obtained for a keyword wins (put specific hosts before `Host *`), except
 *    IdentityFile, which accumulates.
 *  - `Include` is read in place (glob `*` in the last path part; relative to ~/.ssh), only
 *    inside a block that applies to the host being resolved.
 *  - `Match` blocks are skipped: their conditions (exec, canonical...) need more than a parser;
 *    each one skipped is reported in `notes`.
 */
import { readdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readRegularFile } from '../boundedRead';

export interface JumpHost { readonly host: string; readonly user?: string; readonly port?: number }

export interface SshHostConfig {
  /** The name the user typed (alias or host). */
  readonly alias: string;
  readonly hostName: string;
  readonly port: number;
  readonly user: string;
  /** Expanded paths, in the order to try. Defaults (~/.ssh/id_*) when none is configured. */
  readonly identityFiles: readonly string[];
  /** Whether IdentityFile came from the config (then only those are offered with IdentitiesOnly). */
  readonly identityFilesConfigured: boolean;
  readonly identitiesOnly: boolean;
  /** Hops in order, first is reached directly. Empty: direct. */
  readonly proxyJump: readonly JumpHost[];
  /** ProxyCommand (tokens not yet expanded), when set and no ProxyJump is. */
  readonly proxyCommand?: string;
  /** Seconds; 0 = off. */
  readonly serverAliveInterval: number;
  readonly serverAliveCountMax: number;
  /** Seconds, when set. */
  readonly connectTimeout?: number;
  readonly userKnownHostsFiles: readonly string[];
  readonly globalKnownHostsFiles: readonly string[];
  readonly strictHostKeyChecking: 'yes' | 'no' | 'ask' | 'accept-new';
  /** Name to look up in known_hosts instead of the host name. */
  readonly hostKeyAlias?: string;
  /** Things read but not honoured (Match blocks...), for a log line. */
  readonly notes: readonly string[];
}

interface ConfigLine {
  readonly keyword: string;
  readonly args: readonly string[];
  /** What follows the keyword, as written: ProxyCommand is a shell line, its quotes are the shell's. */
  readonly rest: string;
  readonly file: string;
  readonly line: number;
}

export interface SshConfigEnv {
  readonly home: string;
  readonly localUser: string;
  /** Reads an included file; undefined when missing. */
  readFile(path: string): string | undefined;
  /** Lists a folder (for `Include dir/*`). */
  listDir(dir: string): readonly string[];
}

export function defaultConfigEnv(): SshConfigEnv {
  return {
    home: os.homedir(),
    localUser: os.userInfo().username,
    // Regular files of at most 1 MB: `Include /dev/zero` or a FIFO must not read forever.
    readFile: (p) => { try { return readRegularFile(p, 1024 * 1024).toString('utf8'); } catch { return undefined; } },
    listDir: (d) => { try { return readdirSync(d); } catch { return []; } },
  };
}

/** Splits one line into words: whitespace separates, double quotes group, `keyword=value` allowed. */
export function splitConfigLine(text: string): string[] {
  const words: string[] = [];
  let i = 0;
  const s = text.trim();
  // "Keyword=value" / "Keyword = value": the first `=` may separate the keyword.
  const m = /^([A-Za-z][A-Za-z0-9]*)\s*=\s*(.*)$/.exec(s) ?? /^([A-Za-z][A-Za-z0-9]*)\s+(.*)$/.exec(s);
  let rest = s;
  if (m) { words.push(m[1]!); rest = m[2]!; } else if (s) { return [s]; }
  while (i < rest.length) {
    while (i < rest.length && /\s/.test(rest[i]!)) i++;
    if (i >= rest.length) break;
    let w = '';
    while (i < rest.length && !/\s/.test(rest[i]!)) {
      if (rest[i] === '"') {
        const end = rest.indexOf('"', i + 1);
        w += end < 0 ? rest.slice(i + 1) : rest.slice(i + 1, end);
        i = end < 0 ? rest.length : end + 1;
      } else {
        w += rest[i++];
      }
    }
    words.push(w);
  }
  return words;
}

/**
 * Glob for Host patterns: `*` any run, `?` one character; case-insensitive like OpenSSH.
 * Matched by a scan that backs up only to the last `*` (at most pattern × name steps): the
 * `.*` regex it replaces took over 30 s for `*a*a…` (18 stars) against a 36-character name.
 */
export function matchPattern(pattern: string, name: string): boolean {
  const p = pattern.toLowerCase();
  const n = name.toLowerCase();
  let i = 0;
  let j = 0;
  let star = -1;
  let resume = 0;
  while (j < n.length) {
    if (i < p.length && (p[i] === '?' || (p[i] !== '*' && p[i] === n[j]))) { i++; j++; continue; }
    if (i < p.length && p[i] === '*') { star = i++; resume = j; continue; }
    if (star < 0) return false;
    i = star + 1;
    j = ++resume;
  }
  while (p[i] === '*') i++;
  return i === p.length;
}

/** A pattern list with `!negations`: some positive matches and no negated one does. */
export function matchPatternList(patterns: readonly string[], name: string): boolean {
  let positive = false;
  for (const p of patterns) {
    if (p.startsWith('!')) { if (matchPattern(p.slice(1), name)) return false; } else if (matchPattern(p, name)) positive = true;
  }
  return positive;
}

function expandTilde(p: string, home: string): string {
  if (p === '~') return home;
  if (p.startsWith('~/')) return path.join(home, p.slice(2));
  return p;
}

/** One file's lines, `Include` lines kept as they are (expanded where a block applies, see SshConfig.walk). */
function parseLines(text: string, file: string): ConfigLine[] {
  const out: ConfigLine[] = [];
  text.split(/\r?\n/).forEach((raw, idx) => {
    const stripped = raw.replace(/^\s+/, '');
    if (stripped === '' || stripped.startsWith('#')) return;
    const words = splitConfigLine(stripped);
    if (words.length === 0) return;
    const rest = stripped.replace(/^[A-Za-z][A-Za-z0-9]*(\s*=\s*|\s+)/, '').trimEnd();
    out.push({ keyword: words[0]!.toLowerCase(), args: words.slice(1), rest, file, line: idx + 1 });
  });
  return out;
}

/** Files an Include may bring in, all levels together, and how deep Includes nest. */
const MAX_INCLUDED_FILES = 256;
const MAX_INCLUDE_DEPTH = 16;

function expandGlob(p: string, env: SshConfigEnv): string[] {
  const base = path.basename(p);
  if (!/[*?]/.test(base)) return [p];
  const dir = path.dirname(p);
  return env.listDir(dir).filter((n) => matchPattern(base, n)).sort().map((n) => path.join(dir, n));
}

export class SshConfig {
  /** Included files read so far (undefined: missing or unreadable): each read once per SshConfig. */
  private readonly included = new Map<string, ConfigLine[] | undefined>();

  private constructor(private readonly lines: readonly ConfigLine[], private readonly file: string, private readonly env: SshConfigEnv) {}

  static parse(text: string, env: SshConfigEnv = defaultConfigEnv(), file = '~/.ssh/config'): SshConfig {
    return new SshConfig(parseLines(text, file), file, env);
  }

  /** The user's `~/.ssh/config` (empty when there is none). */
  static load(file?: string, env: SshConfigEnv = defaultConfigEnv()): SshConfig {
    const p = file ?? path.join(env.home, '.ssh', 'config');
    return SshConfig.parse(env.readFile(p) ?? '', env, p);
  }

  /**
   * Every name `Host` lines give, patterns included, in file order (for pickers). Includes
   * are followed where they apply to every host: before a file's first Host or Match line,
   * or under `Host *`.
   */
  hostNames(): string[] {
    const names: string[] = [];
    this.walk((args) => args.includes('*') && !args.some((a) => a.startsWith('!')), (l) => { if (l.keyword === 'host') names.push(...l.args); });
    return [...new Set(names)];
  }

  /**
   * Calls `each` with the lines that apply, in order: Host lines always, other lines when
   * their block applies (`hostApplies`; Match blocks never do). As OpenSSH: an Include is read
   * in place, only where its block applies (one in another host's block is never opened: it
   * could be a FIFO, a huge glob), and a Host line inside an included file ends with that
   * file. A file is included once per walk (and read once per SshConfig), at most
   * MAX_INCLUDED_FILES of them: `Include *` in a file it matches (or files including each
   * other) otherwise multiplied the lines at every level, up to gigabytes.
   */
  private walk(hostApplies: (patterns: readonly string[]) => boolean, each: (l: ConfigLine, applies: boolean) => void): void {
    const seen = new Set<string>([this.file]);
    const visit = (lines: readonly ConfigLine[], depth: number): void => {
      let applies = true;
      for (const l of lines) {
        if (l.keyword === 'host') { applies = hostApplies(l.args); each(l, applies); continue; }
        if (l.keyword === 'match') { applies = false; each(l, applies); continue; }
        if (l.keyword !== 'include') { if (applies) each(l, applies); continue; }
        if (!applies || depth >= MAX_INCLUDE_DEPTH) continue;
        for (const pattern of l.args) {
          const expanded = expandTilde(pattern, this.env.home);
          const abs = path.isAbsolute(expanded) ? expanded : path.join(this.env.home, '.ssh', pattern);
          for (const f of expandGlob(abs, this.env)) {
            if (seen.has(f) || seen.size > MAX_INCLUDED_FILES) continue;
            seen.add(f);
            const included = this.linesOf(f);
            if (included) visit(included, depth + 1);
          }
        }
      }
    };
    visit(this.lines, 0);
  }

  private linesOf(file: string): ConfigLine[] | undefined {
    if (!this.included.has(file)) {
      const text = this.env.readFile(file);
      this.included.set(file, text === undefined ? undefined : parseLines(text, file));
    }
    return this.included.get(file);
  }

  /** Everything OpenSSH would use to connect to `alias`. */
  resolve(alias: string): SshHostConfig {
    const values = new Map<string, readonly string[]>();
    const identityFiles: string[] = [];
    const notes: string[] = [];
    this.walk((patterns) => matchPatternList(patterns, alias), (l, applies) => {
      if (l.keyword === 'match') {
        notes.push(`${l.file}:${l.line}: "Match" blocks are not read; their settings are ignored.`);
        return;
      }
      if (!applies || l.keyword === 'host') return;
      if (l.keyword === 'identityfile') { identityFiles.push(...l.args); return; }
      if (!values.has(l.keyword)) values.set(l.keyword, l.keyword === 'proxycommand' ? [l.rest] : l.args);
    });
    const first = (k: string): string | undefined => values.get(k)?.[0];
    const home = this.env.home;
    const hostName = expandTokens(first('hostname') ?? '%h', { h: alias, n: alias, d: home, u: this.env.localUser });
    const user = first('user') ?? this.env.localUser;
    const port = parsePort(first('port')) ?? 22;
    const tokens = { h: hostName, n: alias, d: home, u: this.env.localUser, r: user, p: String(port) };
    const configured = identityFiles.length > 0;
    const idFiles = (configured ? identityFiles : ['~/.ssh/id_rsa', '~/.ssh/id_ecdsa', '~/.ssh/id_ed25519'])
      .map((f) => expandTilde(expandTokens(f, tokens), home));
    const jump = first('proxyjump');
    const strict = (first('stricthostkeychecking') ?? 'ask').toLowerCase();
    const knownFiles = (k: string, d: string[]): string[] => (values.get(k) ?? d).map((f) => expandTilde(expandTokens(f, tokens), home));
    const alive = Number(first('serveraliveinterval') ?? '0');
    const connectTimeout = first('connecttimeout');
    return {
      alias, hostName, port, user,
      identityFiles: [...new Set(idFiles)],
      identityFilesConfigured: configured,
      identitiesOnly: (first('identitiesonly') ?? 'no').toLowerCase() === 'yes',
      proxyJump: jump && jump.toLowerCase() !== 'none' ? parseProxyJump(values.get('proxyjump')!.join(',')) : [],
      ...(!(jump && jump.toLowerCase() !== 'none') && values.get('proxycommand') && first('proxycommand')!.toLowerCase() !== 'none'
        ? { proxyCommand: first('proxycommand')! } : {}),
      serverAliveInterval: Number.isFinite(alive) ? alive : 0,
      serverAliveCountMax: Number(first('serveralivecountmax') ?? '3') || 3,
      ...(connectTimeout && Number(connectTimeout) > 0 ? { connectTimeout: Number(connectTimeout) } : {}),
      userKnownHostsFiles: knownFiles('userknownhostsfile', ['~/.ssh/known_hosts', '~/.ssh/known_hosts2']),
      globalKnownHostsFiles: knownFiles('globalknownhostsfile', ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2']),
      strictHostKeyChecking: strict === 'yes' || strict === 'no' || strict === 'accept-new' ? strict : strict === 'off' ? 'no' : 'ask',
      ...(first('hostkeyalias') ? { hostKeyAlias: first('hostkeyalias')! } : {}),
      notes,
    };
  }
}

/** `%h %n %d %u %r %p %%` as ssh_config(5) TOKENS describes them. */
export function expandTokens(s: string, tokens: Readonly<Record<string, string>>): string {
  return s.replace(/%(.)/g, (m, c: string) => (c === '%' ? '%' : tokens[c] ?? m));
}

function parsePort(s: string | undefined): number | undefined {
  if (s === undefined || !/^\d+$/.test(s)) return undefined;
  const n = Number(s);
  return n > 0 && n < 65536 ? n : undefined;
}

/** `[user@]host[:port]`, `[user@][v6addr]:port` or `ssh://[user@]host[:port]`. */
export function parseDestination(s: string): JumpHost {
  let rest = s.startsWith('ssh://') ? s.slice(6).replace(/\/$/, '') : s;
  let user: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) { user = rest.slice(0, at); rest = rest.slice(at + 1); }
  let host = rest;
  let port: number | undefined;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
  if (v6) {
    host = v6[1]!;
    port = parsePort(v6[2]);
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon > 0 && rest.indexOf(':') === colon) {
      const p = parsePort(rest.slice(colon + 1));
      if (p !== undefined) { host = rest.slice(0, colon); port = p; }
    }
  }
  return { host, ...(user ? { user } : {}), ...(port !== undefined ? { port } : {}) };
}

/** `ProxyJump a,user@b:2222` → hops in order. */
export function parseProxyJump(value: string): JumpHost[] {
  return value.split(',').map((s) => s.trim()).filter(Boolean).map(parseDestination);
}
