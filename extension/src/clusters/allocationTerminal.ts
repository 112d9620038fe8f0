/**
 * salloc in a VS Code terminal: a Pseudoterminal over the runtimes' Allocation (an SSH channel
 * with a PTY, or node-pty on this machine). Keys go to the PTY, output to the terminal, the
 * terminal's size to the PTY; closing the terminal closes the channel, and salloc, hung up,
 * releases the allocation. When salloc ends on its own, an error stays readable until a key.
 */
import { StringDecoder } from 'node:string_decoder';
import * as vscode from 'vscode';
import type { Allocation, CommandExit } from '../../../runtimes/src/slurm/index';

/** Kept of the output for `transcript` (tests and diagnostics), not for the terminal. */
const TRANSCRIPT_CHARS = 64 * 1024;

export class AllocationTerminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  readonly onDidWrite = this.writeEmitter.event;
  private readonly closeEmitter = new vscode.EventEmitter<number | void>();
  readonly onDidClose = this.closeEmitter.event;
  private allocation: Allocation | undefined;
  private size = { rows: 24, cols: 80 };
  private readonly pendingInput: string[] = [];
  private userClosed = false;
  /** salloc has ended: the next key closes the terminal. */
  private ended = false;
  private text = '';
  private resolveExit!: (e: CommandExit | undefined) => void;
  /** salloc's exit, or undefined when it never started. */
  readonly exit = new Promise<CommandExit | undefined>((r) => { this.resolveExit = r; });
  private resolveJobId!: (id: string | undefined) => void;
  /** The allocation's job id once granted; undefined if there was none. */
  readonly jobId = new Promise<string | undefined>((r) => { this.resolveJobId = r; });

  constructor(
    private readonly commandLine: string,
    private readonly start: (size: { rows: number; cols: number }) => Promise<Allocation>,
    private readonly failed: (err: unknown) => void,
  ) {}

  /** The last 64 KiB written to the terminal. */
  get transcript(): string { return this.text; }

  open(dimensions: vscode.TerminalDimensions | undefined): void {
    if (dimensions) this.size = { rows: dimensions.rows, cols: dimensions.columns };
    this.write(`\x1b[2m${this.commandLine}\x1b[0m\r\n`);
    this.start(this.size).then((a) => this.attach(a), (err: unknown) => {
      this.failed(err);
      this.resolveJobId(undefined);
      this.resolveExit(undefined);
      const message = err instanceof Error ? err.message : String(err);
      this.finish(`\x1b[31m${message.replace(/\r?\n/g, '\r\n')}\x1b[0m`);
    });
  }

  private attach(a: Allocation): void {
    this.allocation = a;
    void a.jobId.then((id) => this.resolveJobId(id));
    if (this.userClosed) { a.close(); return; }
    const decoder = new StringDecoder('utf8');
    a.stream.on('data', (d: Buffer) => this.write(decoder.write(d)));
    a.stream.on('error', () => undefined); // the exit below says how it ended
    void a.exit.then((e) => {
      const rest = decoder.end();
      if (rest) this.write(rest);
      this.resolveExit(e);
      if (this.userClosed) return;
      // Leaving the shell (exit 0) closes the terminal as any shell's would; a failure stays.
      if (e.code === 0) { this.closeEmitter.fire(0); return; }
      this.finish(`salloc ended (${e.signal ? `signal ${e.signal}` : `exit ${e.code ?? 'unknown'}`}).`);
    });
    a.resize(this.size.rows, this.size.cols);
    for (const data of this.pendingInput.splice(0)) a.stream.write(data);
  }

  private finish(line: string): void {
    this.ended = true;
    this.write(`\r\n${line}\r\n\x1b[2mPress any key to close the terminal.\x1b[0m\r\n`);
  }

  private write(data: string): void {
    this.text = (this.text + data).slice(-TRANSCRIPT_CHARS);
    this.writeEmitter.fire(data);
  }

  handleInput(data: string): void {
    if (this.ended) { this.closeEmitter.fire(); return; }
    if (this.allocation) this.allocation.stream.write(data);
    else this.pendingInput.push(data);
  }

  setDimensions(dimensions: vscode.TerminalDimensions): void {
    this.size = { rows: dimensions.rows, cols: dimensions.columns };
    this.allocation?.resize(dimensions.rows, dimensions.columns);
  }

  /** The terminal was closed: hang up, and salloc releases the allocation. */
  close(): void {
    this.userClosed = true;
    this.allocation?.close();
  }
}
