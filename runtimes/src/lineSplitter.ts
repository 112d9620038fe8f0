/**
 * Turns a byte stream into whole lines. Chunks from a pipe end anywhere: inside a line, inside
 * a `\r\n`, inside a multi-byte UTF-8 character.
 *
 * Two kinds of line: text (`new LineSplitter`, `batched`: UTF-8 decoded, StringDecoder keeps
 * an incomplete character for the next chunk and turns invalid bytes into U+FFFD, a CRLF's
 * `\r` dropped), or bytes (`bytes`: one char per byte, nothing decoded or dropped, see
 * byteText.ts), which is what a run log keeps.
 */
import { isAscii } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';
import { cutBefore } from './byteText';

/** A line longer than this is cut into pieces: one program printing without newlines must not grow memory. */
export const MAX_LINE_CHARS = 64 * 1024;

/**
 * Lines handed on together at most: enough to share the per-call costs, few enough that they
 * die young (a whole 256 KB chunk of short lines at once outgrows V8's young generation).
 */
const GROUP_LINES = 1000;

/**
 * The lines a chunk completed. `open`: the last one is a piece of a longer line, cut at the
 * cap, that the next call continues (a log writes no newline after it). `ascii` (bytes only):
 * every byte of them is ASCII, so their bytes are their text (one SIMD check per chunk; a
 * regex over the lines costs more than splitting them).
 */
export type LinesListener = (lines: string[], open: boolean, ascii: boolean) => void;

export class LineSplitter {
  private readonly decoder: StringDecoder | undefined;
  private partial = '';
  private lines: string[] = [];
  /** Bytes: everything in `lines` and `partial` is ASCII. */
  private ascii = true;
  private onLines: LinesListener;

  /** `onLine` for each line of text; see `batched` for the lines of a chunk at once. */
  constructor(onLine: (text: string) => void, private readonly maxLine = MAX_LINE_CHARS, private readonly asBytes = false) {
    this.onLines = (lines) => { for (const l of lines) onLine(l); };
    this.decoder = asBytes ? undefined : new StringDecoder('utf8');
  }

  /**
   * The lines a chunk completes, in calls of up to GROUP_LINES (never empty), which the caller
   * may keep: a flood of short lines then costs one call, timestamp and log string per group.
   */
  static batched(onLines: LinesListener, maxLine = MAX_LINE_CHARS): LineSplitter {
    const splitter = new LineSplitter(() => undefined, maxLine);
    splitter.onLines = onLines;
    return splitter;
  }

  /** As `batched`, lines as byte strings: the program's bytes exactly, `\r` included; a cut never splits a UTF-8 character. */
  static bytes(onLines: LinesListener, maxLine = MAX_LINE_CHARS): LineSplitter {
    const splitter = new LineSplitter(() => undefined, maxLine, true);
    splitter.onLines = onLines;
    return splitter;
  }

  /** A chunk of output; a string is text already decoded (a pty's), taken as its UTF-8 bytes. */
  push(chunk: Buffer | string): void {
    let text: string;
    if (this.decoder) {
      text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    } else {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      // `lines` is empty here (each push delivers them); what is left over is `partial`.
      this.ascii = isAscii(bytes) && (this.ascii || this.partial.length === 0);
      text = bytes.toString('latin1');
    }
    if (text.length === 0) return;
    let start = 0;
    let nl = text.indexOf('\n');
    if (nl >= 0 && this.partial.length > 0) {
      this.emit(this.partial + text.slice(0, nl));
      this.partial = '';
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    while (nl >= 0) {
      this.emit(text.slice(start, nl));
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    if (start < text.length) {
      this.partial += start === 0 ? text : text.slice(start);
      while (this.partial.length > this.maxLine) {
        const cut = this.cut(this.partial);
        this.addPiece(this.partial.slice(0, cut));
        this.partial = this.partial.slice(cut);
      }
    }
    this.deliver(false);
  }

  /** The stream ended: a last line without a newline is still a line. */
  end(): void {
    const rest = this.partial + (this.decoder ? this.decoder.end() : '');
    this.partial = '';
    if (rest.length > 0) this.emit(rest);
    this.deliver(false);
  }

  private deliver(open: boolean): void {
    if (this.lines.length === 0) return;
    const lines = this.lines;
    this.lines = [];
    this.onLines(lines, open, this.asBytes && this.ascii);
  }

  private emit(line: string): void {
    // CRLF output (Windows-built tools, a pty) ends lines with \r\n: text drops the \r.
    const text = !this.asBytes && line.length > 0 && line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
    if (text.length <= this.maxLine) { this.add(text); return; }
    let at = 0;
    while (text.length - at > this.maxLine) {
      const cut = at + this.cut(text.slice(at, at + this.maxLine + 1));
      this.addPiece(text.slice(at, cut));
      at = cut;
    }
    this.add(text.slice(at));
  }

  /** Where to cut a line over the cap: not inside a UTF-8 character (bytes) or a surrogate pair (text). */
  private cut(line: string): number {
    const max = this.maxLine;
    if (this.asBytes) return cutBefore(line, max);
    const c = line.charCodeAt(max - 1);
    return c >= 0xd800 && c < 0xdc00 && max > 1 ? max - 1 : max;
  }

  private add(line: string): void {
    if (this.lines.push(line) >= GROUP_LINES) this.deliver(false);
  }

  private addPiece(piece: string): void {
    this.lines.push(piece);
    this.deliver(true);
  }
}
