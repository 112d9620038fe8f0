/**
 * The local files a batch script runs, found so that a submission over SSH can take them along:
 * `python pythonMPI.py`, `srun ./solver input/params.txt`, `bash setup.sh`, and the modules and
 * packages a Python program imports from beside it. Only words of the script's commands that name a
 * regular file inside the script's folder count (no `..`, no absolute path, no `$VAR` or glob:
 * what the shell would expand on the cluster is not ours to guess); big files are left to the
 * person, and said.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** A file is not copied beyond this: data sets belong on the cluster's own file system. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;
export const MAX_TOTAL_BYTES = 64 * 1024 * 1024;
export const MAX_FILES = 100;

export interface ScriptFile {
  /** POSIX path relative to the script's folder: where it goes beside the remote script. */
  readonly rel: string;
  readonly abs: string;
  readonly size: number;
  /** Permission bits, kept on the cluster: `./solver` must stay executable. */
  readonly mode: number;
}

export interface ScriptFiles {
  readonly files: readonly ScriptFile[];
  /** Named by the script but not copied, with why ("2.1 GB: over 16 MB"). */
  readonly skipped: readonly { readonly rel: string; readonly reason: string }[];
}

/** The words of one shell line, quotes removed; `undefined` for a word with an expansion or one a `>` writes to. */
export function shellWords(line: string): (string | undefined)[] {
  const words: (string | undefined)[] = [];
  let word = '';
  let inWord = false;
  let expands = false;
  // The word after `>` or `>>` is what the command writes: never a file to take along.
  let written = false;
  const end = () => {
    if (inWord) { words.push(expands || written ? undefined : word); written = false; }
    word = '';
    inWord = false;
    expands = false;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const close = line.indexOf("'", i + 1);
      if (close < 0) { expands = true; inWord = true; break; }
      word += line.slice(i + 1, close);
      inWord = true;
      i = close;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && j + 1 < line.length) { word += line[++j]; continue; }
        if (line[j] === '$' || line[j] === '`') expands = true;
        word += line[j];
      }
      inWord = true;
      i = j;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (c === '#' && !inWord) {
      break;
    } else if (/\s/.test(c) || ';&|()<>'.includes(c)) {
      end();
      if (c === '>') written = true;
    } else {
      if ('$`*?[{~'.includes(c)) expands = true;
      word += c;
      inWord = true;
    }
  }
  end();
  return words;
}

/** Candidate paths in a script's commands: words (or `--opt=value` values) that look like files. */
export function candidatePaths(script: string): string[] {
  const out = new Set<string>();
  for (const raw of script.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    for (const w of shellWords(line)) {
      if (w === undefined || w === '') continue;
      const value = w.startsWith('-') ? (w.includes('=') ? w.slice(w.indexOf('=') + 1) : '') : w;
      if (value === '' || path.isAbsolute(value) || value.includes('=')) continue;
      out.add(value);
    }
  }
  return [...out];
}

/** Top-level modules a Python source imports: `import a, b.c` → a, b; `from x.y import z` → x (not relative imports). */
export function pythonImports(source: string): string[] {
  const out = new Set<string>();
  for (const m of source.matchAll(/^[ \t]*import[ \t]+([\w.]+(?:[ \t]+as[ \t]+\w+)?(?:[ \t]*,[ \t]*[\w.]+(?:[ \t]+as[ \t]+\w+)?)*)/gm)) {
    for (const part of m[1]!.split(',')) out.add(part.trim().split(/\s+/)[0]!.split('.')[0]!);
  }
  for (const m of source.matchAll(/^[ \t]*from[ \t]+([\w][\w.]*)[ \t]+import\b/gm)) out.add(m[1]!.split('.')[0]!);
  return [...out];
}

function human(bytes: number): string {
  const [n, unit] = bytes >= 1024 ** 3 ? [bytes / 1024 ** 3, 'GB'] : bytes >= 1024 ** 2 ? [bytes / 1024 ** 2, 'MB'] : [Math.ceil(bytes / 1024), 'KB'];
  return `${n.toFixed(1).replace(/\.0$/, '')} ${unit}`;
}

/**
 * The files `script` (text of the file at `scriptPath`) runs from its folder, with the sibling
 * modules of each Python file among them (and of `alsoPython`, a program submitted as a job).
 */
export async function scriptFiles(script: string, scriptPath: string, alsoPython: readonly string[] = []): Promise<ScriptFiles> {
  const dir = path.resolve(path.dirname(scriptPath));
  const self = path.resolve(scriptPath);
  const files: ScriptFile[] = [];
  const skipped: { rel: string; reason: string }[] = [];
  const seen = new Set<string>([self]);
  let total = 0;

  const realDir = await fs.realpath(dir).catch(() => dir);
  const outside = (rel: string) => rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);

  const consider = async (abs: string): Promise<ScriptFile | undefined> => {
    if (seen.has(abs)) return undefined;
    seen.add(abs);
    const rel = path.relative(dir, abs);
    if (outside(rel)) return undefined;
    let st;
    try { st = await fs.stat(abs); } catch { return undefined; }
    if (!st.isFile()) return undefined;
    const posix = rel.split(path.sep).join('/');
    // A link in the folder to a file elsewhere (a cloned repository's `data -> ~/.ssh/id_rsa`) is not sent.
    if (outside(path.relative(realDir, await fs.realpath(abs).catch(() => abs)))) {
      skipped.push({ rel: posix, reason: 'a link to a file outside the script\'s folder' });
      return undefined;
    }
    if (st.size > MAX_FILE_BYTES) { skipped.push({ rel: posix, reason: `${human(st.size)}: over ${human(MAX_FILE_BYTES)}` }); return undefined; }
    if (total + st.size > MAX_TOTAL_BYTES || files.length >= MAX_FILES) {
      skipped.push({ rel: posix, reason: `the files taken along would pass ${files.length >= MAX_FILES ? `${MAX_FILES} files` : human(MAX_TOTAL_BYTES)}` });
      return undefined;
    }
    total += st.size;
    const f = { rel: posix, abs, size: st.size, mode: st.mode & 0o777 };
    files.push(f);
    return f;
  };

  // Python files: their sibling modules too (import helpers → helpers.py beside it), transitively.
  const pythonQueue: string[] = [...alsoPython.map((p) => path.resolve(p))];
  for (const p of alsoPython) seen.add(path.resolve(p));
  for (const c of candidatePaths(script)) {
    const f = await consider(path.resolve(dir, c));
    if (f?.rel.endsWith('.py')) pythonQueue.push(f.abs);
  }
  while (pythonQueue.length > 0) {
    const py = pythonQueue.shift()!;
    let source: string;
    try { source = await fs.readFile(py, 'utf8'); } catch { continue; }
    for (const mod of pythonImports(source)) {
      const beside = path.join(path.dirname(py), mod);
      const f = await consider(`${beside}.py`);
      if (f) { pythonQueue.push(f.abs); continue; }
      // A package beside it (mod/__init__.py): its Python files, however deep.
      for (const file of await packageFiles(beside)) {
        const g = await consider(file);
        if (g) pythonQueue.push(g.abs);
      }
    }
  }
  return { files, skipped };
}

/** The .py files of the package folder `dir` (none unless it has an __init__.py), sorted. */
async function packageFiles(dir: string): Promise<string[]> {
  try {
    if (!(await fs.stat(path.join(dir, '__init__.py'))).isFile()) return [];
  } catch {
    return [];
  }
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of (await fs.readdir(d, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isDirectory() && e.name !== '__pycache__' && !e.name.startsWith('.')) await walk(path.join(d, e.name));
      else if (e.isFile() && e.name.endsWith('.py')) out.push(path.join(d, e.name));
    }
  };
  await walk(dir);
  return out;
}
