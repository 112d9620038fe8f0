/**
 * Starts a run's units through one small resident process instead of forking Node for each.
 *
 * libuv (Node 20) starts a child with fork(), which copies the page tables of the whole Node
 * process: from a 100 MB CLI, let alone an extension host, each task then costs several times
 * what it costs `xargs`. The spawner (spawnerScript.ts: Python, whose os.posix_spawn uses a
 * vfork-style clone) starts each unit in a session of its own with its own pipes, forwards the
 * output as framed chunks and reports exits. To the run a unit looks exactly like one started
 * by `spawn`: the same pid (own process group), the same output events, the same end.
 *
 * One spawner per run that has many units; when it cannot start (no Python 3.8+, an old libc)
 * the run spawns by itself. It is also the run's guardian (runGuardian.ts): killed without
 * saying bye, the launcher leaves the spawner to end every unit.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { constants } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import { isFile } from './executables';
import { resolvePython } from './pythonInterpreter';
import type { RunGuard } from './runGuardian';
import type { Pausable } from './runOutput';
import { SPAWNER_SOURCE } from './spawnerScript';
import { type StartedUnit, type UnitCommand, type UnitEnd, type UnitSink } from './unitProcess';

const HEADER = 9;
const READY_TIMEOUT_MS = 15_000;

interface SpawnedUnit {
  readonly sink: UnitSink;
  readonly source: Pausable;
  pid?: number;
  open: { stdout: boolean; stderr: boolean };
  ready(): void;
  exit(end: UnitEnd): void;
  drained(): void;
  exited: boolean;
  finished: boolean;
}

/** The interpreter for the spawner: the system's (pyenv-style shims on PATH start slowly). */
async function spawnerPython(): Promise<string | undefined> {
  if (isFile('/usr/bin/python3')) return '/usr/bin/python3';
  try { return (await resolvePython('python3')).executable; } catch { return undefined; }
}

export class ResidentSpawner implements RunGuard {
  private readonly units = new Map<number, SpawnedUnit>();
  private readonly envIds = new WeakMap<object, number>();
  private nextUnit = 1;
  private nextEnv = 1;
  private rest: Buffer = Buffer.alloc(0);
  private readonly holders = new Set<number>();
  /** Pids of the units it started: it watches their groups by itself. */
  private readonly own = new Set<number>();
  private alive = true;
  private stderr = '';

  private constructor(private readonly proc: ChildProcessByStdio<Writable, Readable, Readable>) {}

  /**
   * A running spawner, or undefined (with nothing left running) when this machine cannot have
   * one. `python`: the interpreter to run it with (default: the system's python3). `guard`:
   * the run whose marked processes it ends if this process dies without `close()`.
   */
  static async open(python?: string, guard?: { readonly runId: string; readonly graceMs: number }): Promise<ResidentSpawner | undefined> {
    python ??= await spawnerPython();
    if (!python) return undefined;
    const args = ['-I', '-S', '-c', SPAWNER_SOURCE, guard?.runId ?? '', String((guard?.graceMs ?? 3000) / 1000)];
    // detached: its own session, so Ctrl-C in the caller's terminal, or a signal to the
    // caller's whole process group, does not end it mid-run.
    const proc = spawn(python, args, { detached: true, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    const spawner = new ResidentSpawner(proc);
    return spawner.waitReady();
  }

  /**
   * The spawner's pid: a child subreaper (where the kernel allows), so the run's orphans are
   * its children (processTree.ts's `reaper`).
   */
  get pid(): number | undefined { return this.proc.pid; }

  /** Whether units can still be started here (false once the spawner has ended). */
  get usable(): boolean { return this.alive; }

  private waitReady(): Promise<ResidentSpawner | undefined> {
    return new Promise((resolve) => {
      let settled = false;
      const settle = (ok: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (!ok) { this.alive = false; this.proc.kill('SIGKILL'); }
        resolve(ok ? this : undefined);
      };
      const timer = setTimeout(() => settle(false), READY_TIMEOUT_MS);
      this.proc.stdin.on('error', () => undefined);
      this.proc.stderr.setEncoding('utf8');
      this.proc.stderr.on('data', (d: string) => { if (this.stderr.length < 4096) this.stderr += d; });
      this.proc.on('error', () => { settle(false); this.lost(); });
      this.proc.on('exit', () => settle(false));
      // After its last frames are read: an exit it reported is not lost.
      this.proc.on('close', () => this.lost());
      this.proc.stdout.on('data', (chunk: Buffer) => this.read(chunk, () => settle(true)));
    });
  }

  /** Starts one unit; its pid is known once `ready` settles. */
  start(cmd: UnitCommand, sink: UnitSink): StartedUnit {
    const id = this.nextUnit++;
    let markReady!: () => void;
    let markExited!: (end: UnitEnd) => void;
    let markDrained!: () => void;
    const ready = new Promise<void>((r) => { markReady = r; });
    const exited = new Promise<UnitEnd>((r) => { markExited = r; });
    const drained = new Promise<void>((r) => { markDrained = r; });
    const unit: SpawnedUnit = {
      sink, open: { stdout: true, stderr: true }, exited: false, finished: false,
      source: { pause: () => this.hold(id), resume: () => this.release(id) },
      ready: markReady,
      exit: (end) => { if (!unit.exited) { unit.exited = true; markReady(); markExited(end); } },
      drained: markDrained,
    };
    this.units.set(id, unit);
    sink.addSource(unit.source);
    let envId = this.envIds.get(cmd.env);
    if (envId === undefined) {
      this.envIds.set(cmd.env, envId = this.nextEnv++);
      this.send({ d: envId, env: cmd.env });
    }
    this.send({ s: id, exe: cmd.command, argv: [cmd.command, ...cmd.args], cwd: cmd.cwd, e: envId, add: cmd.envAdd ?? {} });
    return {
      get pid() { return unit.pid; },
      via: 'pipes', ready, exited, drained,
      forceClose: () => {
        if (unit.finished) return;
        this.send({ c: id });
        this.endStream(id, unit, 'stdout');
        this.endStream(id, unit, 'stderr');
      },
    };
  }

  /** A process group started elsewhere (a unit under a pty) that ends with the run if the launcher is killed. */
  watch(pgid: number): void {
    if (!this.own.has(pgid)) this.send({ w: pgid });
  }

  /** The group's unit has ended and its leftovers with it. */
  unwatch(pgid: number): void {
    this.own.delete(pgid);
    this.send({ u: pgid });
  }

  /** No more units: the spawner exits once it has read this (and only then stays out of the way). */
  close(): void {
    if (!this.alive) return;
    this.send({ b: 1 });
    this.alive = false;
    this.proc.stdin.end();
  }

  private send(message: object): void {
    if (this.alive) this.proc.stdin.write(JSON.stringify(message) + '\n');
  }

  // Output is paused for everyone while any unit's reader is (the disk is behind, a file is full):
  // one pipe carries all of it.
  private hold(id: number): void {
    this.holders.add(id);
    this.proc.stdout.pause();
  }

  private release(id: number): void {
    this.holders.delete(id);
    if (this.holders.size === 0) this.proc.stdout.resume();
  }

  private read(chunk: Buffer, ready: () => void): void {
    const buf = this.rest.length > 0 ? Buffer.concat([this.rest, chunk]) : chunk;
    let p = 0;
    while (buf.length - p >= HEADER) {
      const length = buf.readUInt32LE(p + 5);
      if (buf.length - p - HEADER < length) break;
      const kind = buf[p]!;
      const id = buf.readUInt32LE(p + 1);
      const data = buf.subarray(p + HEADER, p + HEADER + length);
      p += HEADER + length;
      if (kind === 0x52 /* R */) { ready(); continue; }
      const unit = this.units.get(id);
      if (unit) this.frame(kind, id, unit, data);
    }
    this.rest = p === buf.length ? Buffer.alloc(0) : buf.subarray(p);
  }

  private frame(kind: number, id: number, unit: SpawnedUnit, data: Buffer): void {
    switch (kind) {
      case 0x4f: /* O */ if (unit.open.stdout) unit.sink.chunk('stdout', data); break;
      case 0x45: /* E */ if (unit.open.stderr) unit.sink.chunk('stderr', data); break;
      case 0x6f: /* o */ this.endStream(id, unit, 'stdout'); break;
      case 0x65: /* e */ this.endStream(id, unit, 'stderr'); break;
      case 0x50: /* P */ unit.pid = Number(data.toString('latin1')); this.own.add(unit.pid); unit.ready(); break;
      case 0x46: /* F */
        unit.exit({ code: 127, error: data.toString('utf8') });
        this.endStream(id, unit, 'stdout');
        this.endStream(id, unit, 'stderr');
        break;
      case 0x58: /* X */ {
        const n = Number(data.toString('latin1'));
        unit.exit(n < 0 ? { code: null, signal: signalName(-n) } : { code: n });
        this.forget(id, unit);
        break;
      }
    }
  }

  private endStream(id: number, unit: SpawnedUnit, stream: 'stdout' | 'stderr'): void {
    if (!unit.open[stream]) return;
    unit.open[stream] = false;
    unit.sink.streamEnd(stream);
    if (unit.open.stdout || unit.open.stderr) return;
    unit.finished = true;
    unit.sink.removeSource(unit.source);
    this.release(id);
    unit.drained();
    this.forget(id, unit);
  }

  private forget(id: number, unit: SpawnedUnit): void {
    if (unit.exited && unit.finished) this.units.delete(id);
  }

  /** The spawner ended: units it had started lose their pipes; their process groups remain known. */
  private lost(): void {
    if (!this.alive && this.units.size === 0) return;
    this.alive = false;
    const why = `the spawner process ended unexpectedly${this.stderr.trim() ? `: ${this.stderr.trim().split('\n').pop()}` : ''}`;
    for (const [id, unit] of [...this.units]) {
      unit.exit({ code: null, error: why });
      this.endStream(id, unit, 'stdout');
      this.endStream(id, unit, 'stderr');
    }
    this.units.clear();
  }
}

function signalName(n: number): string {
  return Object.entries(constants.signals).find(([, v]) => v === n)?.[0] ?? `signal ${n}`;
}
