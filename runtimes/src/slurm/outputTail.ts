/**
 * Follows one output file on the cluster by byte offset: stat, then read what was added. The
 * offset moves only after bytes have been read AND split into lines, in one step, so when the
 * connection drops mid-read the next poll (after the transport reconnects) reads the same bytes
 * again — no line lost, none repeated. Polling SFTP (one channel shared by all files) rather
 * than one `tail -f` channel per file keeps within the server's MaxSessions.
 */
import { LineSplitter } from '../lineSplitter';
import type { OutputLine, OutputSource } from '../runtime';
import type { Transport } from '../transport/transport';

/** Bytes read per poll at most: a job printing fast is caught up over several polls. */
const CHUNK = 1 << 20;

export class FileTail {
  private offset = 0;
  private readonly splitter: LineSplitter;
  private pending: OutputLine[] = [];
  private ended = false;
  /** Whether the file has been seen at all. */
  seen = false;

  constructor(
    private readonly transport: Transport,
    readonly path: string,
    private readonly source: OutputSource,
    private readonly deliver: (lines: readonly OutputLine[]) => void,
    /** Where this job's output begins: an appended-to file's earlier content is not the job's. */
    startAt = 0,
  ) {
    this.offset = startAt;
    this.splitter = new LineSplitter((text) => this.pending.push({ ...this.source, text, time: Date.now() }));
  }

  /** Bytes consumed so far. */
  get position(): number { return this.offset; }

  /** Reads what was added since the last poll. Returns whether the file exists. Throws on transport errors (offset unchanged). */
  async poll(): Promise<boolean> {
    if (this.ended) return true;
    const st = await this.transport.stat(this.path);
    if (!st) return false;
    this.seen = true;
    if (st.size < this.offset) this.offset = 0; // truncated or replaced (a requeued job starts its file again)
    while (st.size > this.offset) {
      const buf = await this.transport.read(this.path, this.offset, Math.min(CHUNK, st.size - this.offset));
      if (buf.length === 0) break;
      this.offset += buf.length;
      this.splitter.push(buf);
      this.flush();
    }
    return true;
  }

  /** After the job ended: read to the end, then deliver a last line that has no newline. */
  async finish(): Promise<void> {
    if (this.ended) return;
    await this.poll();
    this.ended = true;
    this.splitter.end();
    this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.deliver(batch);
  }
}
