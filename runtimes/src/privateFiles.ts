/**
 * Folders and files that are the user's alone, on a machine shared with other accounts (a login
 * node): folders made 0700 and checked (ours, a real folder, closed to others), files created
 * exclusive, without following a link, mode 0600 — OpenSSH's care with ~/.ssh. Another user who
 * pre-creates a folder or plants a link where we write gets a refusal, never our output.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { LaunchError } from './runtime';

const { O_WRONLY, O_RDONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = constants;
const myUid = (): number | undefined => process.getuid?.();

/**
 * `mkdir -p` with `mode` for the folders it makes. Not node's `recursive: true`, which loops
 * forever where mkdir answers ENOENT under a folder that exists (/proc/x: `--log-dir` there hung).
 */
export function makeDirs(dir: string, mode = 0o700): void {
  const missing: string[] = [];
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    try {
      statSync(d);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      missing.push(d);
      if (path.dirname(d) === d) break;
    }
  }
  for (const d of missing.reverse()) {
    try { mkdirSync(d, { mode }); } catch (e) { if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e; }
  }
}

/** Why `dir` (which exists) is not a private folder of ours, or undefined when it is. */
function notPrivate(dir: string): string | undefined {
  const st = lstatSync(dir);
  if (st.isSymbolicLink()) return 'it is a symbolic link';
  if (!st.isDirectory()) return 'it is not a folder';
  const uid = myUid();
  if (uid === undefined) return undefined; // Windows: no owners or modes to check
  if (st.uid !== uid) return `it belongs to another user (uid ${st.uid})`;
  if ((st.mode & 0o077) !== 0) return `others may use it (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')})`;
  return undefined;
}

/**
 * Makes `dir` as a folder only we can use (0700; missing parents too), or accepts it when it is
 * already one. Refuses a link, another user's folder, or one open to others.
 */
export function ensurePrivateDir(dir: string, what = 'folder'): string {
  try {
    makeDirs(path.dirname(dir));
    mkdirSync(dir, { mode: 0o700 });
    chmodSync(dir, 0o700); // whatever the umask
    return dir;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code !== 'EEXIST') throw new LaunchError(`Cannot create the ${what} ${dir}: ${err.message}`);
  }
  const why = notPrivate(dir);
  if (why) {
    throw new LaunchError(`Refusing to use the ${what} ${dir}: ${why}.`,
      'Files written there could be read or replaced by another user. Remove it, or name another folder (HPC_JOBS_LOG_DIR, --log-dir, hpcJobs.run.logDirectory).');
  }
  return dir;
}

/** A new folder that must not exist yet (a run's own), made 0700. */
export function createPrivateDir(dir: string, what = 'folder'): string {
  try {
    mkdirSync(dir, { mode: 0o700 });
    chmodSync(dir, 0o700);
    return dir;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new LaunchError(err.code === 'EEXIST'
      ? `Refusing to use the ${what} ${dir}: it exists already, and a new one was expected.`
      : `Cannot create the ${what} ${dir}: ${err.message}`);
  }
}

/** A new file (exclusive, no link followed, 0600) open for writing: its descriptor. */
export function createPrivateFile(file: string): number {
  return openSync(file, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
}

/** Replaces `file` with `data` as a whole: a private temporary file, then a rename (which replaces a link, never follows it). */
export function writePrivateFile(file: string, data: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}`);
  const fd = createPrivateFile(tmp);
  try {
    writeSync(fd, data);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Overwrites an existing file of ours in place (truncate, write), without following a link. */
export function rewritePrivateFile(file: string, data: string): void {
  const fd = openSync(file, O_WRONLY | O_NOFOLLOW | constants.O_TRUNC);
  try { writeSync(fd, data); } finally { closeSync(fd); }
}

/** A small regular file's text, without following a link; undefined when it is missing, a link, not a plain file, or large. */
export function readSmallFile(file: string, maxBytes = 4096): string | undefined {
  let fd: number;
  try { fd = openSync(file, O_RDONLY | O_NOFOLLOW | constants.O_NONBLOCK); } catch { return undefined; }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > maxBytes) return undefined;
    // Its size, not the limit: a limit of megabytes would be zeroed for a file of a few hundred bytes.
    const buf = Buffer.alloc(st.size);
    const n = readSync(fd, buf, 0, st.size, 0);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
