/**
 * Reading a file a user named, with a bound: regular files only (a FIFO would block forever,
 * /dev/zero never ends) and a size limit, checked on the open descriptor so the file cannot be
 * swapped between the check and the read. What OpenSSH does for its config and key files.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

export class BoundedReadError extends Error {}

function human(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${Math.round(bytes / 1024)} KB`;
}

/** The whole file, or a BoundedReadError saying why not ("not a regular file", "larger than 1 MB"); errno errors pass through. */
export function readRegularFile(file: string, maxBytes: number): Buffer {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new BoundedReadError('is a folder, not a file');
    if (!st.isFile()) throw new BoundedReadError('is not a regular file (a device, FIFO or socket)');
    if (st.size > maxBytes) throw new BoundedReadError(`is ${human(st.size)}, larger than ${human(maxBytes)}`);
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let n = 0;
    for (;;) {
      const r = readSync(fd, buf, n, buf.length - n, n);
      if (r === 0) break;
      n += r;
      if (n > maxBytes) throw new BoundedReadError(`grew larger than ${human(maxBytes)} while being read`);
      if (n === buf.length) break;
    }
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}
