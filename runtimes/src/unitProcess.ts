/**
 * Starts one unit of a run (a task, mpirun, a GPU process) in a process group of its own,
 * with pipes or, for programs that need a terminal, a pty. Both look the same to the run.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { loadPty, type PtyModule } from './ptyLoader';
import type { ResidentSpawner } from './residentSpawner';
import type { Pausable } from './runOutput';

export interface UnitCommand {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /** Added to `env` for this unit only (`env` itself is shared by many units and sent once). */
  readonly envAdd?: Readonly<Record<string, string>>;
  /** Run under a pseudo-terminal (stdout and stderr merged, as a terminal shows them). */
  readonly tty?: { readonly cols: number; readonly rows: number };
}

export interface UnitEnd {
  readonly code: number | null;
  readonly signal?: string;
  /** Why it did not start (ENOENT...). */
  readonly error?: string;
}

export interface StartedUnit {
  readonly pid: number | undefined;
  readonly via: 'pipes' | 'pty';
  /** Settles once `pid` is known, or the unit could not start (at once unless a spawner starts it). */
  readonly ready: Promise<void>;
  /** The unit's own process ended (its children may live on). */
  readonly exited: Promise<UnitEnd>;
  /** Every holder of the output pipes has closed them: all output has been read. */
  readonly drained: Promise<void>;
  /** Stops reading output that leftover processes keep open. */
  forceClose(): void;
  /** Input for a terminal run; pipes runs get no input (stdin is /dev/null). */
  write?(data: string): void;
  /** A terminal run's new window size (the program gets SIGWINCH). */
  resize?(cols: number, rows: number): void;
}

export interface UnitSink {
  chunk(stream: 'stdout' | 'stderr', data: Buffer | string): void;
  streamEnd(stream: 'stdout' | 'stderr'): void;
  addSource(s: Pausable): void;
  removeSource(s: Pausable): void;
}

/** The unit's whole environment. */
export function unitEnv(cmd: UnitCommand): Record<string, string> {
  return cmd.envAdd ? { ...cmd.env, ...cmd.envAdd } : { ...cmd.env };
}

const READY = Promise.resolve();

/**
 * Starts through `spawner` when one is given and usable (pipes only), else with Node's own
 * spawn. Returns a note for the run's output when a pty was asked for but could not be had.
 */
export function startUnit(cmd: UnitCommand, sink: UnitSink, spawner?: ResidentSpawner): { unit: StartedUnit; note?: string } {
  if (cmd.tty) {
    const pty = loadPty();
    if (pty.ok) return { unit: startPty(pty.pty, cmd, cmd.tty, sink) };
    return { unit: startPipes(cmd, sink), note: `${pty.reason} Running with pipes instead: a program that needs a terminal may behave differently.` };
  }
  if (spawner?.usable) return { unit: spawner.start(cmd, sink) };
  return { unit: startPipes(cmd, sink) };
}

function startPipes(cmd: UnitCommand, sink: UnitSink): StartedUnit {
  // detached: a new process group (and session), so one signal reaches the unit's children
  // and Ctrl-C in the caller's terminal does not hit them behind our back.
  const child = spawn(cmd.command, [...cmd.args], {
    cwd: cmd.cwd, env: unitEnv(cmd), detached: true, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true,
  });
  const stdout = child.stdout!;
  const stderr = child.stderr!;
  sink.addSource(stdout);
  sink.addSource(stderr);
  stdout.on('data', (d: Buffer) => sink.chunk('stdout', d));
  stderr.on('data', (d: Buffer) => sink.chunk('stderr', d));
  const ended = (name: 'stdout' | 'stderr', s: typeof stdout) => new Promise<void>((resolve) => {
    s.once('close', () => { sink.removeSource(s); sink.streamEnd(name); resolve(); });
  });
  const drained = Promise.all([ended('stdout', stdout), ended('stderr', stderr)]).then(() => undefined);
  const exited = new Promise<UnitEnd>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ? { code: null, signal } : { code: code ?? 0 }));
    child.once('error', (e) => {
      resolve({ code: 127, error: e.message });
      stdout.destroy();
      stderr.destroy();
    });
  });
  return {
    pid: child.pid, via: 'pipes', ready: READY, exited, drained,
    forceClose() { stdout.destroy(); stderr.destroy(); },
  };
}

function startPty(pty: PtyModule, cmd: UnitCommand, size: { cols: number; rows: number }, sink: UnitSink): StartedUnit {
  const proc = pty.spawn(cmd.command, [...cmd.args], { name: 'xterm-256color', cols: size.cols, rows: size.rows, cwd: cmd.cwd, env: unitEnv(cmd) });
  sink.addSource(proc);
  proc.onData((d) => sink.chunk('stdout', d));
  let closeDrain: () => void = () => undefined;
  const drained = new Promise<void>((resolve) => { closeDrain = resolve; });
  const exited = new Promise<UnitEnd>((resolve) => {
    proc.onExit(({ exitCode, signal }) => {
      sink.removeSource(proc);
      sink.streamEnd('stdout');
      closeDrain();
      resolve(signal ? { code: null, signal: signalName(signal) } : { code: exitCode });
    });
  });
  return {
    pid: proc.pid, via: 'pty', ready: READY, exited, drained,
    forceClose() { closeDrain(); },
    write(data: string) { proc.write(data); },
    resize(cols: number, rows: number) { proc.resize(cols, rows); },
  };
}

function signalName(n: number): string {
  return Object.entries(constants.signals).find(([, v]) => v === n)?.[0] ?? `signal ${n}`;
}
