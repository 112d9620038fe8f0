/**
 * What Add Cluster and salloc ask for, checked before anything connects: the hosts of
 * `~/.ssh/config`, a typed `user@host[:port]`, a cluster name, key files, salloc options.
 * Plain functions (no `vscode`), so they are unit-tested in plain Node.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseDestination, type SshConfig } from '../../../runtimes/src/slurm/index';

export interface ConfiguredHost {
  /** The `Host` name, as `ssh ALIAS` takes it. */
  readonly alias: string;
  /** `user@hostname:port` as the alias resolves (port left out when 22). */
  readonly description: string;
  /** Whether the config names an IdentityFile (otherwise ssh-agent and the default keys). */
  readonly identityFilesConfigured: boolean;
}

/** The `Host` entries one can connect to by name: patterns (`*`, `?`, `!x`) are not hosts. */
export function configuredHosts(config: SshConfig): ConfiguredHost[] {
  return config.hostNames().filter((h) => !/[*?!]/.test(h)).map((alias) => {
    const r = config.resolve(alias);
    return {
      alias,
      description: `${r.user}@${r.hostName}${r.port === 22 ? '' : `:${r.port}`}`,
      identityFilesConfigured: r.identityFilesConfigured,
    };
  });
}

const USER = /^[A-Za-z0-9._][A-Za-z0-9._-]*$/;
const HOST = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
const IPV6 = /^[0-9A-Fa-f:.]+$/;

/** Why `text` is not a `[user@]host[:port]` destination, or undefined when it is one. */
export function destinationProblem(text: string): string | undefined {
  const s = text.trim();
  if (s === '') return 'Type a destination such as alice@login.example.org or alice@login.example.org:2222.';
  if (/\s/.test(s)) return 'A destination has no spaces: user@host or user@host:port.';
  const at = s.lastIndexOf('@');
  if (at === 0) return 'The user name before "@" is missing.';
  const d = parseDestination(s);
  if (d.user !== undefined && !USER.test(d.user)) return `"${d.user}" is not a user name.`;
  const hostPart = at >= 0 ? s.slice(at + 1) : s;
  if (hostPart === '') return 'The host after "@" is missing.';
  const bracketed = hostPart.startsWith('[');
  if (!bracketed && /:/.test(hostPart) && d.port === undefined) {
    const port = hostPart.slice(hostPart.lastIndexOf(':') + 1);
    return /^\d+$/.test(port) ? `Port ${port} is out of range (1–65535).` : `"${port}" is not a port number.`;
  }
  if (bracketed ? !IPV6.test(d.host) || (hostPart.includes(']:') && d.port === undefined) : !HOST.test(d.host)) {
    return `"${d.host}" is not a host name or address.`;
  }
  return undefined;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Why `name` cannot name a new cluster, or undefined when it can. */
export function clusterNameProblem(name: string, existing: readonly string[]): string | undefined {
  if (name.trim() === '') return 'Give the cluster a name.';
  if (name.length > 64) return 'Keep the name to 64 characters.';
  // The name is part of job keys (slurm:<cluster>:<job>) and of the tree: no ':' or spaces.
  if (!NAME.test(name)) return 'Use letters, digits, ".", "_" and "-", starting with a letter or digit.';
  if (existing.includes(name)) return `There is already a cluster named "${name}".`;
  return undefined;
}

/**
 * A name for the cluster: the alias, or the first label of the host name (`login` of
 * login.hpc.org; an address stays whole), made unique with -2, -3...
 */
export function suggestClusterName(source: string, existing: readonly string[]): string {
  const { host } = parseDestination(source);
  const ip = /^[\d.]+$/.test(host) || host.includes(':');
  let base = (ip ? host : host.split('.')[0] ?? host).replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  if (base === '') base = 'cluster';
  base = base.slice(0, 60);
  if (!existing.includes(base)) return base;
  for (let i = 2; ; i++) if (!existing.includes(`${base}-${i}`)) return `${base}-${i}`;
}

const DEFAULT_KEYS = new Set(['id_rsa', 'id_ecdsa', 'id_ed25519', 'id_dsa', 'id_ecdsa_sk', 'id_ed25519_sk']);

/** Key files in `dir` besides the default ones ssh tries anyway: a file with a `.pub` beside it. */
export function extraKeyFiles(dir: string): string[] {
  let names: string[];
  try { names = readdirSync(dir); } catch { return []; }
  return names.filter((n) => !DEFAULT_KEYS.has(n) && names.includes(`${n}.pub`)).sort().map((n) => path.join(dir, n));
}

/** Why `file` cannot be a private key file, or undefined. */
export function keyFileProblem(file: string): string | undefined {
  if (file.trim() === '') return 'Type the path of a private key file.';
  if (!path.isAbsolute(file)) return 'Give the full path (e.g. /home/alice/.ssh/cluster_key).';
  if (!existsSync(file)) return `There is no file ${file}.`;
  if (!statSync(file).isFile()) return `${file} is not a file.`;
  return undefined;
}

/** `~/x` → absolute. */
export function expandHome(p: string, home: string): string {
  return p === '~' ? home : p.startsWith('~/') ? path.join(home, p.slice(2)) : p;
}

/**
 * salloc options as typed (`--ntasks=4 -t 30 --job-name="my shell"`) split into words the way
 * a shell would for plain words, quotes and backslashes; a message when they cannot be.
 */
export function splitSallocOptions(text: string): { readonly args: string[] } | { readonly problem: string } {
  const args: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && /["\\$`]/.test(text[i + 1] ?? '')) word += text[++i]!;
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      word ??= '';
    } else if (c === '\\') {
      if (i + 1 >= text.length) return { problem: 'The options end with a lone backslash.' };
      word = (word ?? '') + text[++i]!;
    } else if (/\s/.test(c)) {
      if (word !== undefined) args.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (quote) return { problem: `A ${quote === '"' ? 'double' : 'single'} quote is not closed.` };
  if (word !== undefined) args.push(word);
  const first = args[0];
  if (first !== undefined && !first.startsWith('-')) {
    return { problem: `"${first}" is not an option: salloc's options start with "-" (the allocation opens a shell).` };
  }
  return { args };
}
