/**
 * Where a local unit's output goes: its lines tagged with its rank or task (or the rank a
 * launcher put in front of each line), the per-rank files MPI ranks write, and copies of the raw
 * output in files, as Slurm writes them (sbatch-local).
 */
import { constants, createWriteStream, openSync, type WriteStream } from 'node:fs';
import { LineSplitter } from './lineSplitter';
import { OpenMpiDemux, parseTaggedLine } from './outputTags';
import { RankFileReader } from './rankOutputFiles';
import type { RunOutput } from './runOutput';
import type { UnitPlan } from './runPlan';
import type { OutputSource } from './runtime';

/** Per-rank output files, read while the ranks run; `finish` reads the rest once they have ended. */
export function readRankFiles(output: RunOutput, files: { dir: string; ranks: number }): { finish(): Promise<void> } {
  const splitters = new Map<string, LineSplitter>();
  const splitter = (rank: number, stream: 'stdout' | 'stderr') => {
    const key = `${stream}${rank}`;
    let sp = splitters.get(key);
    if (!sp) {
      const source: OutputSource = { stream, rank };
      splitters.set(key, sp = LineSplitter.bytes((lines, open, ascii) => output.pushLines(source, lines, open, ascii)));
    }
    return sp;
  };
  const reader = new RankFileReader(files.dir, files.ranks, (rank, stream, data) => splitter(rank, stream).push(data));
  output.addSource(reader);
  return {
    finish: async () => {
      await reader.finish();
      output.removeSource(reader);
      for (const sp of splitters.values()) sp.end();
    },
  };
}

const OUTPUT_FILE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK;

export function openFiles(output: RunOutput, plan: UnitPlan): { stdout: WriteStream | undefined; stderr: WriteStream | undefined } | undefined {
  if (!plan.files) return undefined;
  const why = (e: NodeJS.ErrnoException) => (e.code === 'ELOOP' ? 'it is a symbolic link, which is not followed' : e.message);
  const open = (p: string): WriteStream | undefined => {
    // 0600 and no link followed, as the run log (a link planted there would be written
    // through); non-blocking, so a FIFO nobody reads is refused (ENXIO), not waited on.
    let fd: number;
    try {
      fd = openSync(p, OUTPUT_FILE_FLAGS | (plan.files!.append ? constants.O_APPEND : constants.O_TRUNC), 0o600);
    } catch (e) {
      output.system(`cannot write ${p}: ${why(e as NodeJS.ErrnoException)}`);
      return undefined;
    }
    const w = createWriteStream(p, { fd });
    w.on('error', (e: NodeJS.ErrnoException) => output.system(`cannot write ${p}: ${why(e)}`));
    return w;
  };
  const stdout = open(plan.files.stdout);
  return { stdout, stderr: plan.files.stderr === plan.files.stdout ? stdout : open(plan.files.stderr) };
}

/** Line handler for one unit: its own tag, or the rank a launcher put in front of the line. */
export function unitRouter(output: RunOutput, plan: UnitPlan): { lines(stream: 'stdout' | 'stderr', texts: readonly string[], open: boolean, ascii: boolean): void; end(): void } {
  const own = (stream: 'stdout' | 'stderr'): OutputSource => ({
    stream, ...(plan.rank !== undefined ? { rank: plan.rank } : {}), ...(plan.task !== undefined ? { task: plan.task } : {}),
  });
  const sources = { stdout: own('stdout'), stderr: own('stderr') };
  const plain = (stream: 'stdout' | 'stderr', text: string) => output.push(sources[stream], text);
  const tags = plan.tags;
  if (!tags) return { lines: (stream, texts, open, ascii) => output.pushLines(sources[stream], texts, open, ascii), end: () => undefined };
  const each = (line: (stream: 'stdout' | 'stderr', text: string) => void) =>
    (stream: 'stdout' | 'stderr', texts: readonly string[]) => { for (const t of texts) line(stream, t); };
  const byRank = new Map<string, OutputSource>();
  const rankLine = (rank: number, stream: 'stdout' | 'stderr', text: string) => {
    const key = `${stream}${rank}`;
    let source = byRank.get(key);
    if (!source) byRank.set(key, source = { stream, rank });
    output.push(source, text);
  };
  if (tags.style === 'openmpi') {
    const demux = new OpenMpiDemux(rankLine, plain, tags.stripSpace);
    return { lines: each((stream, text) => demux.line(stream, text)), end: () => demux.end() };
  }
  return {
    lines: each((stream, text) => {
      const t = parseTaggedLine(text, tags.style, tags.stripSpace);
      if (t) rankLine(t.rank, t.stream ?? stream, t.text); else plain(stream, text);
    }),
    end: () => undefined,
  };
}
