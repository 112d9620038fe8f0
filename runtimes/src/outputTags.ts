/**
 * Per-rank tags that MPI launchers put in front of every line, and the prefixes we write.
 *
 * Open MPI `--tag-output`:   `[1,3]<stdout>:text`  (4.x; 5.x/PRRTE: `[prterun-host-123@1,3]<stdout>: text`)
 * MPICH/Intel `-prepend-rank`: `[3] text`
 */
import { MAX_LINE_CHARS } from './lineSplitter';
import type { OutputSource } from './runtime';

export type TagStyle = 'openmpi' | 'mpich';

export interface TaggedLine {
  readonly rank: number;
  /** The stream the rank wrote to; Open MPI says so in the tag, MPICH keeps streams apart. */
  readonly stream?: 'stdout' | 'stderr';
  readonly text: string;
}

const OPENMPI = /^\[[^\],]*,(\d+)\]<(stdout|stderr|stddiag)>:(.*)$/s;
const MPICH = /^\[(\d+)\] ?(.*)$/s;

/** The rank and text of a tagged line, or undefined for a line the launcher wrote itself. */
export function parseTaggedLine(line: string, style: TagStyle, stripSpace = false): TaggedLine | undefined {
  // Fast path: every tagged line starts with '['.
  if (line.charCodeAt(0) !== 91) return undefined;
  if (style === 'openmpi') {
    const m = OPENMPI.exec(line);
    if (!m) return undefined;
    const text = stripSpace && m[3]!.startsWith(' ') ? m[3]!.slice(1) : m[3]!;
    return { rank: Number(m[1]), stream: m[2] === 'stdout' ? 'stdout' : 'stderr', text };
  }
  const m = MPICH.exec(line);
  return m ? { rank: Number(m[1]), text: m[2]! } : undefined;
}

const OPENMPI_TAG = /\[[^\],[\]]*,(\d+)\]<(stdout|stderr|stddiag)>:/g;

/**
 * Open MPI tags each chunk a rank writes, not each line: a rank that writes "text" and "\n"
 * separately (Python's unbuffered print does) comes out as `[1,0]<stdout>:text[1,0]<stdout>:`,
 * and another rank's chunk can land in the middle of a line. So a launcher line is a run of
 * segments, each tagged; a segment continues its rank's line, and the newline ends the line of
 * the rank whose segment came last.
 */
export class OpenMpiDemux {
  private readonly partial = new Map<string, { rank: number; stream: 'stdout' | 'stderr'; text: string }>();

  constructor(
    private readonly onRankLine: (rank: number, stream: 'stdout' | 'stderr', text: string) => void,
    private readonly onLauncherLine: (stream: 'stdout' | 'stderr', text: string) => void,
    private readonly stripSpace = false,
  ) {}

  line(launcherStream: 'stdout' | 'stderr', line: string): void {
    if (line.charCodeAt(0) !== 91) { this.onLauncherLine(launcherStream, line); return; }
    // Fast path: one tag, at the start (a whole line written at once).
    if (line.indexOf(']<std', 4) === line.lastIndexOf(']<std')) {
      const t = parseTaggedLine(line, 'openmpi', this.stripSpace);
      if (!t) { this.onLauncherLine(launcherStream, line); return; }
      this.complete(t.rank, t.stream!, t.text);
      return;
    }
    const tags = [...line.matchAll(OPENMPI_TAG)];
    if (tags.length === 0 || tags[0]!.index !== 0) { this.onLauncherLine(launcherStream, line); return; }
    tags.forEach((m, i) => {
      const rank = Number(m[1]);
      const stream = m[2] === 'stdout' ? 'stdout' : 'stderr';
      const start = m.index + m[0].length;
      let text = line.slice(start, i + 1 < tags.length ? tags[i + 1]!.index : line.length);
      if (this.stripSpace && text.startsWith(' ')) text = text.slice(1);
      if (i + 1 < tags.length) this.append(rank, stream, text);
      else this.complete(rank, stream, text);
    });
  }

  /** The launcher's output ended: what ranks left without a newline are lines too. */
  end(): void {
    for (const p of this.partial.values()) this.onRankLine(p.rank, p.stream, p.text);
    this.partial.clear();
  }

  private append(rank: number, stream: 'stdout' | 'stderr', text: string): void {
    const key = `${stream}${rank}`;
    const p = this.partial.get(key);
    if (!p) { this.partial.set(key, { rank, stream, text }); return; }
    p.text += text;
    // A rank that never ends its line must not grow memory: hand it on in pieces.
    if (p.text.length > MAX_LINE_CHARS) this.complete(rank, stream, '');
  }

  private complete(rank: number, stream: 'stdout' | 'stderr', text: string): void {
    const key = `${stream}${rank}`;
    const p = this.partial.get(key);
    if (p) { this.partial.delete(key); text = p.text + text; }
    this.onRankLine(rank, stream, text);
  }
}

/** `[rank 3] `, `[task 2 stderr] `, `[hpc-jobs] `; '' for a single process's stdout. */
export function linePrefix(source: OutputSource): string {
  if (source.system) return '[hpc-jobs] ';
  const who = source.rank !== undefined ? `rank ${source.rank}` : source.task !== undefined ? `task ${source.task}` : '';
  const err = source.stream === 'stderr';
  if (!who) return err ? '[stderr] ' : '';
  return err ? `[${who} stderr] ` : `[${who}] `;
}
