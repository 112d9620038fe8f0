/**
 * The ONE way a remote command is built. sshd hands the command string to the user's login
 * shell (`$SHELL -c`), so every word from a user (file, folder, job name) must reach that shell
 * as a single literal word. POSIX single quotes do that for every byte except `'` itself, which
 * is written as `'\''`. Commands are a branded type: only the builders below make one, so a raw
 * string cannot reach `Transport.exec` by accident.
 */

declare const brand: unique symbol;
/** A shell command line made only from quoted words. */
export type ShellCommand = string & { readonly [brand]: 'ShellCommand' };

/** An environment variable of the remote shell, expanded there: `"$USER"`, or `user="$USER"` with a prefix. */
export interface EnvRef { readonly env: string; readonly prefix?: string }
/** A path under the remote home folder, written `~/x`: expanded there, the rest quoted. */
export interface HomePath { readonly home: string }
export type Word = string | EnvRef | HomePath;

// No leading `=` (zsh expands `=cmd` to a path) and no `~`. The login shell must be POSIX-like
// (sh, bash, zsh, ksh): csh and fish read quotes differently.
const SAFE = /^[A-Za-z0-9_@%+:,./-][A-Za-z0-9_@%+=:,./-]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** One literal word for a POSIX shell. Bare when it cannot be misread, single-quoted otherwise. */
export function quote(word: string): string {
  if (word.includes('\0')) throw new Error('A shell word cannot contain a NUL byte.');
  if (word !== '' && SAFE.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export function envRef(name: string, prefix?: string): EnvRef {
  if (!ENV_NAME.test(name)) throw new Error(`Not an environment variable name: ${JSON.stringify(name)}`);
  return prefix ? { env: name, prefix } : { env: name };
}

/** `~/rest` or `~` → a word the remote shell expands to the home folder; other paths unchanged. */
export function remotePath(path: string): Word {
  if (path === '~') return { home: '' };
  if (path.startsWith('~/')) return { home: path.slice(2) };
  return path;
}

function renderWord(w: Word): string {
  if (typeof w === 'string') return quote(w);
  if ('env' in w) {
    envRef(w.env);
    return `${w.prefix ? quote(w.prefix) : ''}"$${w.env}"`;
  }
  return w.home === '' ? '"$HOME"' : `"$HOME"/${quote(w.home)}`;
}

/** argv → one command line: `['sbatch', '--parsable', "a b.sh"]` → `sbatch --parsable 'a b.sh'`. */
export function shellCommand(argv: readonly Word[]): ShellCommand {
  if (argv.length === 0) throw new Error('An empty command.');
  return argv.map(renderWord).join(' ') as ShellCommand;
}

/** `env K=V ... cmd`: environment for one SIMPLE command (not `cd x && y`: put withEnv inside inDirectory). */
export function withEnv(env: Readonly<Record<string, string>>, cmd: ShellCommand): ShellCommand {
  const names = Object.keys(env);
  if (names.length === 0) return cmd;
  for (const n of names) envRef(n);
  return `env ${names.map((n) => quote(`${n}=${env[n]}`)).join(' ')} ${cmd}` as ShellCommand;
}

/** `cd DIR && cmd`: run in a folder (fails, and runs nothing, when the folder is missing). */
export function inDirectory(dir: string, cmd: ShellCommand): ShellCommand {
  return `cd ${renderWord(remotePath(dir))} && ${cmd}` as ShellCommand;
}

/** Commands where each runs only if the previous one succeeded. */
export function allOf(cmds: readonly ShellCommand[]): ShellCommand {
  return cmds.join(' && ') as ShellCommand;
}
