/**
 * The file operations of the transport over one SFTP session. SFTP does not expand `~`, and
 * OpenSSH's server starts in the home folder, so `~/x` becomes the relative path `x`.
 */
import type { SFTPWrapper, Stats } from 'ssh2';
import { tempBeside, TransportError, type FileStat } from './transport';

/** SSH_FX_NO_SUCH_FILE */
const NO_SUCH_FILE = 2;

export function sftpPath(p: string): string {
  if (p === '~' || p === '~/') return '.';
  return p.startsWith('~/') ? p.slice(2) : p;
}

function fileError(op: string, p: string, e: Error & { code?: number | string }): TransportError {
  const missing = e.code === NO_SUCH_FILE;
  return new TransportError('file', `Cannot ${op} ${p} on the cluster: ${missing ? 'no such file or folder' : e.message}.`, undefined, { cause: e });
}

export function sftpStat(sftp: SFTPWrapper, p: string): Promise<FileStat | undefined> {
  return new Promise((resolve, reject) => {
    sftp.stat(sftpPath(p), (err: (Error & { code?: number }) | undefined, st: Stats) => {
      if (err) { if (err.code === NO_SUCH_FILE) resolve(undefined); else reject(fileError('stat', p, err)); return; }
      resolve({ size: st.size, mtimeMs: st.mtime * 1000, isDirectory: st.isDirectory() });
    });
  });
}

export function sftpRead(sftp: SFTPWrapper, p: string, offset: number, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    sftp.open(sftpPath(p), 'r', (err, handle) => {
      if (err) { reject(fileError('read', p, err)); return; }
      const buf = Buffer.alloc(maxBytes);
      let got = 0;
      const finish = (e?: Error): void => {
        sftp.close(handle, () => { if (e) reject(fileError('read', p, e)); else resolve(buf.subarray(0, got)); });
      };
      // One READ returns at most the server's packet size (32 KiB for OpenSSH): loop to EOF or maxBytes.
      const step = (): void => {
        if (got >= maxBytes) { finish(); return; }
        sftp.read(handle, buf, got, maxBytes - got, offset + got, (e, n) => {
          if (e) { if ((e as Error & { code?: number }).code === 1 /* EOF */) finish(); else finish(e); return; }
          if (n === 0) { finish(); return; }
          got += n;
          step();
        });
      };
      step();
    });
  });
}

export function sftpReadFile(sftp: SFTPWrapper, p: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    sftp.readFile(sftpPath(p), (err, data) => (err ? reject(fileError('read', p, err)) : resolve(data)));
  });
}

/**
 * Writes a temporary file beside `p` and renames it over `p` (OpenSSH's posix-rename): a job
 * that reads `p` while the next submission replaces it sees the old file or the new one, never
 * half of one. A server without that extension gets `p` written in place.
 */
export async function sftpWriteFile(sftp: SFTPWrapper, p: string, data: string | Buffer, mode: number): Promise<void> {
  const target = sftpPath(p);
  const write = (file: string) => new Promise<void>((resolve, reject) => {
    sftp.writeFile(file, data, { mode }, (err) => (err ? reject(fileError('write', p, err)) : resolve()));
  });
  const atomic = (sftp as unknown as { _extensions?: Record<string, string> })._extensions?.['posix-rename@openssh.com'] !== undefined;
  if (!atomic) { await write(target); return; }
  const temp = tempBeside(target);
  await write(temp);
  await new Promise<void>((resolve, reject) => {
    sftp.ext_openssh_rename(temp, target, (err) => {
      if (!err) { resolve(); return; }
      sftp.unlink(temp, () => reject(fileError('write', p, err)));
    });
  });
}

export function sftpRealpath(sftp: SFTPWrapper, p: string): Promise<string> {
  return new Promise((resolve, reject) => {
    sftp.realpath(sftpPath(p), (err, abs) => (err ? reject(fileError('resolve', p, err)) : resolve(abs)));
  });
}

function mkdirOne(sftp: SFTPWrapper, p: string): Promise<void> {
  return new Promise((resolve, reject) => {
    sftp.mkdir(p, (err) => {
      if (!err) { resolve(); return; }
      // Already there (SSH_FX_FAILURE from OpenSSH): fine if it is a folder.
      sftp.stat(p, (e2, st) => (e2 || !st.isDirectory() ? reject(fileError('create folder', p, err)) : resolve()));
    });
  });
}

export async function sftpMkdirp(sftp: SFTPWrapper, p: string): Promise<void> {
  const rel = sftpPath(p);
  if (rel === '.' || rel === '/') return;
  const parts = rel.split('/');
  let cur = rel.startsWith('/') ? '' : '.';
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    cur = cur === '' ? `/${part}` : `${cur}/${part}`;
    await mkdirOne(sftp, cur);
  }
}
