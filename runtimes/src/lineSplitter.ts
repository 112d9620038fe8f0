/**
 * Turns a byte stream into whole lines. Chunks from a pipe end anywhere: inside a line, inside
 * a `\r\n`, inside a multi-byte UTF-8 character. StringDecoder keeps an incomplete character
 * for the next chunk and turns invalid bytes into U+FFFD, so odd output never throws.
 */
import { StringDecoder } from 'node:string_decoder';

/** A line longer than this is cut into pieces: one program printing without newlines must not grow memory. */
export const MAX_LINE_CHARS = 64 * 1024;

/**
 * Lines handed on together at most: enough to share the per-call costs, few enough that they
 * die young (a whole 256 KB chunk of short lines at once outgrows V8's young generation).
 */
const GROUP_LINES = 1000;

export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';
  private lines: string[] = [];
  private onLines: (lines: string[]) => void;

  /** `onLine` for each line; see `batched` for the lines of a chunk at once. */
  constructor(onLine: (text: string) => void, private readonly maxLine = MAX_LINE_CHARS) {
    this.onLines = (lines) => { for (const l of lines) onLine(l); };
  }

  /**
   * The lines a chunk completes, in calls of up to GROUP_LINES (never empty), which the caller
   * may keep: a flood of short lines then costs one call, timestamp and log string per group.
   */
  static batched(onLines: (lines: string[]) => void, maxLine = MAX_LINE_CHARS): LineSplitter {
    const splitter = new LineSplitter(() => undefined, maxLine);
    splitter.onLines = onLines;
    return splitter;
  }

  push(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
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
        this.add(this.partial.slice(0, this.maxLine));
        this.partial = this.partial.slice(this.maxLine);
      }
    }
    this.deliver();
  }

  /** The stream ended: a last line without a newline is still a line. */
  end(): void {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    if (rest.length > 0) this.emit(rest);
    this.deliver();
  }

  private deliver(): void {
    if (this.lines.length === 0) return;
    const lines = this.lines;
    this.lines = [];
    this.onLines(lines);
  }

  private emit(line: string): void {
    // CRLF output (Windows-built tools, a pty) ends lines with \r\n: drop the \r.
    const text = line.length > 0 && line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
    if (text.length <= this.maxLine) { this.add(text); return; }
    for (let i = 0; i < text.length; i += this.maxLine) this.add(text.slice(i, i + this.maxLine));
  }

  private add(line: string): void {
    if (this.lines.push(line) >= GROUP_LINES) this.deliver();
  }
}
