// Reads a .vsix (a zip) from its central directory: the files' names, sizes and Unix modes, and
// their contents. Enough for what vsce writes (no zip64, one disk); no unzip tool needed.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, normalize, sep } from 'node:path';
import { inflateRawSync } from 'node:zlib';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function centralDirectory(zip, file) {
  // The end-of-central-directory record is the last 22 bytes plus an optional comment.
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === EOCD) return { count: zip.readUInt16LE(i + 10), offset: zip.readUInt32LE(i + 16) };
  }
  throw new Error(`${file} is not a zip file (no end-of-central-directory record)`);
}

function entriesOf(zip, file) {
  const { count, offset } = centralDirectory(zip, file);
  const entries = [];
  let at = offset;
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(at) !== CENTRAL) throw new Error(`${file}: bad central directory entry ${n}`);
    const nameLength = zip.readUInt16LE(at + 28);
    const external = zip.readUInt32LE(at + 38);
    entries.push({
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
      size: zip.readUInt32LE(at + 24),
      compressedSize: zip.readUInt32LE(at + 20),
      mode: zip.readUInt8(at + 5) === 3 ? (external >>> 16) & 0o7777 : undefined, // made on Unix
      method: zip.readUInt16LE(at + 10),
      local: zip.readUInt32LE(at + 42),
    });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}

function contentsOf(zip, file, e) {
  if (zip.readUInt32LE(e.local) !== LOCAL) throw new Error(`${file}: bad local header for ${e.name}`);
  const start = e.local + 30 + zip.readUInt16LE(e.local + 26) + zip.readUInt16LE(e.local + 28);
  const data = zip.subarray(start, start + e.compressedSize);
  if (e.method === 0) return data;
  if (e.method === 8) return inflateRawSync(data);
  throw new Error(`${file}: ${e.name} uses compression method ${e.method}`);
}

/** @returns {Promise<import('./vsixEntries.d.mts').VsixEntry[]>} */
export async function readVsixEntries(file) {
  return entriesOf(await readFile(file), file).map(({ name, size, compressedSize, mode }) => ({ name, size, compressedSize, mode }));
}

/** Writes every file of the .vsix under `dir`, with its mode; returns the entries. */
export async function extractVsix(file, dir) {
  const zip = await readFile(file);
  const entries = entriesOf(zip, file);
  for (const e of entries) {
    const target = normalize(join(dir, e.name));
    if (!target.startsWith(normalize(dir) + sep)) throw new Error(`${file}: ${e.name} points outside the folder`);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, contentsOf(zip, file, e), { mode: e.mode ?? 0o644 });
  }
  return entries.map(({ name, size, compressedSize, mode }) => ({ name, size, compressedSize, mode }));
}
