/**
 * A run in a terminal: the Pseudoterminal behind `hpc` tasks and behind runs that need a TTY.
 *
 * A run under a pty (pool with `tty`) is shown as the program wrote it — prompts without a
 * newline, colours, `\r` progress bars — and gets the keys typed and the terminal's size. Any
 * other run is shown line by line, tagged per rank or task; Ctrl-C cancels it (twice: at once).
 * Closing the terminal cancels a run that is still going.
 */
import * as vscode from 'vscode';
import { exitCodeOf, FINAL_STATES, type RunHandle, type RunResult } from '../../../runtimes/src/index';
import type { TerminalRun } from '../../../runtimes/src/runtime';
import type { Services } from '../services';
import { terminalLines, terminalNote } from './terminalText';

/** What a run under a pty offers, as it declares it (LocalRun). */
function asTerminalRun(h: RunHandle): TerminalRun | undefined {
  return h.capabilities?.terminal;
}

/** Starts the run once the terminal is open; or says why it did not start, with an exit code. */
export type RunStarter = () => Promise<
  | { readonly handle: RunHandle; /** Written first: what runs where. */ readonly note?: string }
  | { readonly error: string; readonly exitCode: number }>;

export interface RunTerminalOptions {
  /**
   * true (tasks): the terminal closes with the run's exit code as soon as it ends. false: it
   * stays, with the output, until a key is pressed.
   */
  readonly closeOnExit: boolean;
}

/** Writes made before VS Code opened the terminal are kept (bounded) and written on open. */
const MAX_PENDING_CHARS = 4 * 1024 * 1024;
const CTRL_C = '\x03';

export class RunPseudoterminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;

  private handle: RunHandle | undefined;
  private terminalRun: TerminalRun | undefined;
  private readonly subscriptions: { dispose(): void }[] = [];
  private pending: string[] = [];
  private pendingChars = 0;
  private opened = false;
  /** The terminal was closed (by the person, or by us): nothing more is written. */
  private closed = false;
  private exitCode: number | undefined;
  private atLineStart = true;
  private size: vscode.TerminalDimensions | undefined;

  private readonly starter: RunStarter | undefined;

  constructor(source: RunHandle | RunStarter, private readonly options: RunTerminalOptions) {
    if (typeof source === 'function') this.starter = source;
    else this.attach(source);
  }

  open(dimensions: vscode.TerminalDimensions | undefined): void {
    this.opened = true;
    const pending = this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    if (pending) this.writeEmitter.fire(pending);
    if (dimensions) this.setDimensions(dimensions);
    if (this.starter && !this.handle) void this.start(this.starter);
    else if (this.exitCode !== undefined && this.options.closeOnExit) this.end(this.exitCode);
  }

  /** The person closed the terminal (or killed the task): the run ends with it. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const h = this.handle;
    if (h && this.exitCode === undefined && !FINAL_STATES.has(h.state)) void h.cancel();
    this.dispose();
  }

  handleInput(data: string): void {
    if (this.exitCode !== undefined) {
      if (!this.options.closeOnExit) this.end();
      return;
    }
    const h = this.handle;
    if (!h) return;
    if (this.terminalRun?.viaPty) { this.terminalRun.write(data); return; }
    // Pipes: the program reads no input; Ctrl-C is the one key that means something.
    if (data.includes(CTRL_C)) {
      this.write('^C\r\n');
      void h.cancel();
    }
  }

  setDimensions(dimensions: vscode.TerminalDimensions): void {
    this.size = dimensions;
    this.applySize();
  }

  /** The pty takes the terminal's size (once it exists: the unit starts after the handle). */
  private applySize(): void {
    if (this.size && this.terminalRun?.viaPty) this.terminalRun.resize(this.size.columns, this.size.rows);
  }

  private async start(starter: RunStarter): Promise<void> {
    let started: Awaited<ReturnType<RunStarter>>;
    try {
      started = await starter();
    } catch (err) {
      started = { error: err instanceof Error ? err.message : String(err), exitCode: 125 };
    }
    if ('error' in started) {
      this.write(terminalNote(started.error, 'error'));
      this.exitCode = started.exitCode;
      this.end(started.exitCode);
      return;
    }
    // Closed while it was starting: it must not run on with nobody watching.
    if (this.closed) { void started.handle.cancel(); return; }
    if (started.note) this.write(terminalNote(started.note));
    this.attach(started.handle);
  }

  private attach(handle: RunHandle): void {
    this.handle = handle;
    this.terminalRun = asTerminalRun(handle);
    // What it printed before this terminal existed, then what comes. Under a pty that is the raw
    // output (a prompt has no newline, so it is in no line yet); the lines would repeat it.
    const raw = this.terminalRun?.viaPty ? this.terminalRun.terminalTail() : '';
    const earlier = (handle.tail?.() ?? []).filter((l) => !raw || l.system);
    if (earlier.length) this.write(terminalLines(earlier));
    if (raw) this.write(raw);
    this.subscriptions.push(handle.onDidOutput((lines) => {
      // Under a pty the program's own output comes raw (below); its lines would repeat it.
      const shown = this.terminalRun?.viaPty ? lines.filter((l) => l.system) : lines;
      if (shown.length === 0) return;
      this.write((this.atLineStart ? '' : '\r\n') + terminalLines(shown));
    }));
    let sized = false;
    if (this.terminalRun) {
      this.subscriptions.push(this.terminalRun.onDidTerminalData((d) => {
        if (!sized) { sized = true; this.applySize(); }
        this.write(d);
      }));
    }
    this.applySize();
    void handle.result.then((r) => this.ended(r));
  }

  private ended(result: RunResult): void {
    this.exitCode = exitCodeOf(result.state, result.exits);
    const h = this.handle!;
    const tail = `log: ${h.logPath}` + (this.options.closeOnExit ? '' : '\nPress any key to close the terminal.');
    this.write((this.atLineStart ? '' : '\r\n') + terminalNote(tail));
    if (this.options.closeOnExit && this.opened) this.end(this.exitCode);
  }

  private end(exitCode?: number): void {
    if (this.closed) return;
    this.closed = true;
    this.closeEmitter.fire(exitCode);
    this.dispose();
  }

  private write(text: string): void {
    if (this.closed || text.length === 0) return;
    this.atLineStart = text.endsWith('\n');
    if (this.opened) { this.writeEmitter.fire(text); return; }
    this.pending.push(text);
    this.pendingChars += text.length;
    while (this.pendingChars > MAX_PENDING_CHARS && this.pending.length > 1) this.pendingChars -= this.pending.shift()!.length;
  }

  /** The terminal is gone or done: the run's events stop here (the store keeps the run). */
  private dispose(): void {
    for (const s of this.subscriptions.splice(0)) s.dispose();
    this.writeEmitter.dispose();
    this.closeEmitter.dispose();
  }
}

/**
 * Shows a run that is already going in a terminal of its own (for runs started with `tty`:
 * the program gets the keys typed there and the terminal's size). Closing it cancels the run.
 */
export function openRunTerminal(services: Services, handle: RunHandle, title: string): vscode.Terminal {
  const pty = new RunPseudoterminal(handle, { closeOnExit: false });
  const terminal = vscode.window.createTerminal({ name: title, pty, iconPath: new vscode.ThemeIcon('server-process') });
  services.context.subscriptions.push(terminal);
  terminal.show();
  return terminal;
}
