/**
 * The RunHandle every local backend returns. A backend turns its spec into a plan (units to
 * start, how many at once, time limits, how to read tags); this class starts the units in
 * process groups of their own, routes their output, enforces limits, ends whole process trees
 * on cancel or timeout, and records the outcome.
 */
import type { WriteStream } from 'node:fs';
import * as path from 'node:path';
import { Emitter, type Disposable } from './events';
import { LineSplitter } from './lineSplitter';
import { findRunProcesses, groupAlive, killTree, ticksNow, type ProcessInfo, type TreeSelector } from './processTree';
import { UsageMeter } from './runUsage';
import { ResidentSpawner } from './residentSpawner';
import { ShellGuardian, type RunGuard } from './runGuardian';
import { defaultLogDir, newRunId, RunLog, type Launcher } from './runLog';
import { RunOutput, type Pausable } from './runOutput';
import { wantsSpawner, type RunPlan, type UnitPlan } from './runPlan';
import type { BackendKind, Metric, OutputLine, RunCapabilities, RunHandle, RunResult, RunState, StateChange, UnitExit } from './runtime';
import { FINAL_STATES } from './runtime';
import { finalState, summarize, unitName } from './runSummary';
import { markStaleRuns, thisLauncher } from './staleRuns';
import { startUnit, type StartedUnit } from './unitProcess';
import { describeProcesses, endLeftovers } from './unitLeftovers';
import { openFiles, readRankFiles, unitRouter } from './unitOutput';

/** What the usage meter can miss of a process is its last quarter second (see runUsage.ts). */
const USAGE_SAMPLE_MS = 250;

/** Environment variable that marks every process of a run: `<runId>/<unit index>`. */
export const RUN_MARKER = 'HPC_JOBS_RUN_ID';

interface ActiveUnit {
  readonly index: number;
  readonly plan: UnitPlan;
  readonly started: StartedUnit;
  timedOut: boolean;
  timer?: NodeJS.Timeout;
  stopping?: Promise<void>;
}

export const DEFAULT_KILL_GRACE_MS = 3000;
const RAW_TAIL_CHARS = 64 * 1024;

export class LocalRun implements RunHandle {
  readonly id: string;
  readonly backend: BackendKind;
  readonly logPath: string;
  readonly launcherName?: string;
  readonly result: Promise<RunResult>;

  private currentState: RunState = 'queued';
  private readonly states = new Emitter<StateChange>();
  private readonly outputs = new Emitter<readonly OutputLine[]>();
  private readonly metrics = new Emitter<Metric>();
  private readonly terminalData = new Emitter<string>();
  readonly onDidChangeState = this.states.event;
  readonly onDidOutput = this.outputs.event;
  readonly onDidMetric = this.metrics.event;
  /**
   * What units under a pty write, as it comes (escape sequences, prompts without a newline):
   * a terminal shows this instead of the lines, which only appear once a line is complete.
   */
  readonly onDidTerminalData = this.terminalData.event;
  readonly capabilities: RunCapabilities = { terminal: this };
  private ptyStarted = false;
  /** The last of the raw pty output, for a terminal opened after the program began (a prompt has no newline yet). */
  private rawTail = '';

  private readonly log: RunLog;
  private readonly output: RunOutput;
  private resolveResult!: (r: RunResult) => void;
  private next = 0;
  private notStarted = 0;
  private readonly running = new Map<number, ActiveUnit>();
  private readonly exits: UnitExit[] = [];
  private cancelRequested = false;
  private finishing = false;
  private startedAt: number | undefined;
  private readonly createdAt = Date.now();
  private sampler: Disposable | undefined;
  private disposed = false;
  /** Processes older than the run cannot be its own: their environment need not be read. */
  private readonly sinceTicks = ticksNow();
  private spawner: ResidentSpawner | undefined;
  /** Ends the units if this process is killed (runGuardian.ts): the spawner, or a shell. */
  private guard: RunGuard | undefined;
  /** CPU time and peak memory of the run's processes, sampled while it runs. */
  private readonly meter = new UsageMeter(() => this.usageSelector(), USAGE_SAMPLE_MS);
  private readonly launcher: Launcher | undefined = thisLauncher();
  /** Earlier runs in the log folder left "running" by a killed launcher: marked, their processes ended. */
  private staleSweep: Promise<void> | undefined;

  constructor(private readonly plan: RunPlan) {
    this.backend = plan.backend;
    if (plan.launcherName) this.launcherName = plan.launcherName;
    this.id = plan.runId ?? newRunId(plan.backend);
    this.log = new RunLog(plan.logDir ?? defaultLogDir(), this.id, plan.runDirReady);
    this.logPath = this.log.outputPath;
    this.log.onFailure = (e) => this.output.system(
      `cannot write the log ${this.logPath} (${e.message}): the output from here on is not in it, only here`);
    this.output = new RunOutput(this.log, (lines) => { if (!this.disposed) this.outputs.fire(lines); }, plan.output);
    this.result = new Promise((resolve) => { this.resolveResult = resolve; });
    this.record();
  }

  get state(): RunState { return this.currentState; }

  /** The run's folder: output.log, run.json. */
  get dir(): string { return this.log.dir; }

  /** Starts on the next turn of the event loop, so a caller can subscribe first. */
  start(): this {
    setImmediate(() => void this.begin());
    return this;
  }

  private async begin(): Promise<void> {
    if (this.cancelRequested) return;
    this.startedAt = Date.now();
    this.setState('running');
    for (const note of this.plan.notes ?? []) this.output.system(note);
    if (this.plan.sampler) this.sampler = this.plan.sampler((m) => { if (!this.disposed) this.metrics.fire(m); });
    this.meter.start();
    if (wantsSpawner(this.plan)) {
      const spawner = await ResidentSpawner.open(undefined, { runId: this.id, graceMs: this.graceMs });
      // Cancelled while it started: no unit will need it.
      if (this.finishing) spawner?.close(); else this.guard = this.spawner = spawner;
    }
    this.schedule();
    // After the first units have started, so that a run of one unit does not wait for the
    // guardian's fork; they are watched as their `ready` settles (a microtask, after this).
    if (!this.guard && !this.finishing) this.guard = ShellGuardian.start(this.id, this.graceMs);
    this.staleSweep = this.endStaleRuns().catch(() => undefined);
  }

  private async endStaleRuns(): Promise<void> {
    for (const stale of markStaleRuns(path.dirname(this.log.dir), this.id)) {
      const r = await killTree({
        roots: [], groups: [], marker: { name: RUN_MARKER, value: `${stale.id}/`, prefix: true }, sinceTicks: stale.launcher.startTicks,
      }, this.graceMs);
      const ended = r.terminated.length > 0 ? `; ended ${describeProcesses(r.terminated)} it left running` : '';
      this.output.system(`marked the earlier run ${stale.id} as failed: ${stale.result.summary}${ended}`);
    }
  }

  private get graceMs(): number { return this.plan.killGraceMs ?? DEFAULT_KILL_GRACE_MS; }

  tail(): readonly OutputLine[] { return this.output.tail(); }

  /** The programs wait (their writes block) until `until` settles: whoever reads the output is behind. */
  holdOutput(until: Promise<unknown>): void { this.output.hold(until); }

  /** Input for a terminal run (the first unit that has a pty); ignored otherwise. */
  write(data: string): void {
    for (const a of this.running.values()) {
      if (a.started.write) { a.started.write(data); return; }
    }
  }

  /** The terminal's new size, for every unit under a pty. */
  resize(cols: number, rows: number): void {
    for (const a of this.running.values()) a.started.resize?.(cols, rows);
  }

  /** What units under a pty wrote so far (the last 64 KiB, raw), to show before `onDidTerminalData`'s next chunk. */
  terminalTail(): string { return this.rawTail; }

  /** A unit started under a pty: its output comes through `onDidTerminalData` too. */
  get viaPty(): boolean { return this.ptyStarted; }

  /**
   * Ends every process of the run: SIGTERM, then SIGKILL after the grace period. Called again
   * while cancelling (a second Ctrl-C), it sends SIGKILL at once.
   */
  async cancel(): Promise<void> {
    if (FINAL_STATES.has(this.currentState)) return;
    if (this.cancelRequested) {
      this.killNow();
    } else {
      this.cancelRequested = true;
      this.notStarted = this.plan.units.length - this.next;
      this.next = this.plan.units.length;
      if (this.running.size > 0) {
        this.output.system('cancelling: ending every process of the run');
        await Promise.all([...this.running.values()].map((a) => this.stopUnit(a)));
      } else {
        void this.finish();
      }
    }
    await this.result;
  }

  private killNow(): void {
    for (const a of this.running.values()) {
      void a.started.ready.then(() => findRunProcesses(this.selector(a, true))).then((ps) => {
        for (const p of ps) {
          try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ }
        }
      });
    }
  }

  dispose(): void {
    this.disposed = true;
    this.meter.dispose();
    this.states.dispose();
    this.outputs.dispose();
    this.metrics.dispose();
    this.terminalData.dispose();
    this.output.clearTail();
  }

  private setState(state: RunState, message?: string): void {
    const previous = this.currentState;
    if (previous === state) return;
    this.currentState = state;
    this.record();
    if (!this.disposed) this.states.fire({ state, previous, ...(message ? { message } : {}) });
  }

  private record(result?: RunResult): void {
    this.log.writeRecord({
      id: this.id, backend: this.backend, spec: this.plan.spec, state: this.currentState, createdAt: this.createdAt,
      ...(result ? { result } : {}),
      ...(this.launcher ? { launcher: this.launcher } : {}),
      command: this.plan.units.length > 0 ? [this.plan.units[0]!.command.command, ...this.plan.units[0]!.command.args] : [],
    });
  }

  private schedule(): void {
    while (!this.cancelRequested && this.running.size < this.plan.maxParallel && this.next < this.plan.units.length) {
      const index = this.next++;
      void this.runUnit(index);
    }
    if (this.running.size === 0 && this.next >= this.plan.units.length) void this.finish();
  }

  private async runUnit(index: number): Promise<void> {
    const plan = this.plan.units[index]!;
    const label = unitName(plan, this.plan.launcherName);
    const files = openFiles(this.output, plan);
    const sources = new Set<Pausable>();
    const throttle = (w: WriteStream) => {
      for (const s of sources) s.pause();
      // A file that failed (a link refused, a full disk) never drains: it closes.
      const go = () => { w.off('drain', go); w.off('close', go); for (const s of sources) s.resume(); };
      w.once('drain', go);
      w.once('close', go);
    };
    const route = unitRouter(this.output, plan);
    const splitters = { stdout: LineSplitter.bytes((t, open, ascii) => route.lines('stdout', t, open, ascii)), stderr: LineSplitter.bytes((t, open, ascii) => route.lines('stderr', t, open, ascii)) };
    let openStreams = 2;
    let unitVia: 'pipes' | 'pty' = 'pipes';
    const envAdd = { ...plan.env, [RUN_MARKER]: `${this.id}/${index}` };
    const { unit, note } = startUnit({ ...plan.command, envAdd }, {
      chunk: (stream, data) => {
        if (unitVia === 'pty' && !this.disposed) {
          const text = String(data);
          this.rawTail = (this.rawTail + text).slice(-RAW_TAIL_CHARS);
          this.terminalData.fire(text);
        }
        const file = stream === 'stdout' ? files?.stdout : files?.stderr;
        if (file && !file.destroyed && !file.write(data)) throttle(file);
        splitters[stream].push(data);
      },
      streamEnd: (stream) => {
        splitters[stream].end();
        // a pty has one stream: its end is the end of the output
        if (--openStreams === 0 || unitVia === 'pty') route.end();
      },
      addSource: (s) => { sources.add(s); this.output.addSource(s); },
      removeSource: (s) => { sources.delete(s); this.output.removeSource(s); },
    }, this.spawner);
    unitVia = unit.via;
    // The spawner ended mid-run: the units started without it need a guardian of their own.
    if (this.spawner && this.guard === this.spawner && !this.spawner.usable && !this.finishing) {
      this.guard = ShellGuardian.start(this.id, this.graceMs);
    }
    if (unit.via === 'pty') this.ptyStarted = true;
    if (note) this.output.system(note);
    const ranks = plan.rankFiles ? readRankFiles(this.output, plan.rankFiles) : undefined;
    const active: ActiveUnit = { index, plan, started: unit, timedOut: false };
    this.running.set(index, active);
    void unit.ready.then(() => { if (unit.pid !== undefined) this.guard?.watch(unit.pid); });
    if (plan.timeLimitMs !== undefined && Number.isFinite(plan.timeLimitMs)) {
      active.timer = setTimeout(() => {
        active.timedOut = true;
        this.output.system(`${label} reached its time limit${this.plan.timeLimitText ? ` (${this.plan.timeLimitText})` : ''}: stopping it`);
        void this.stopUnit(active);
      }, plan.timeLimitMs);
    }

    const end = await unit.exited;
    if (active.timer) clearTimeout(active.timer);
    if (end.error) this.output.system(unit.pid === undefined ? `${label} could not start: ${end.error}` : `${label}: ${end.error}`);
    await endLeftovers(unit, {
      label, selector: this.selector(active, false), graceMs: this.graceMs, inGroup: unit.pid !== undefined && !active.stopping && groupAlive(unit.pid),
      say: (text) => this.output.system(text), survivors: (ps) => this.reportSurvivors(ps),
    });
    await active.stopping;
    if (unit.pid !== undefined) this.guard?.unwatch(unit.pid);
    await ranks?.finish();
    await Promise.all([files?.stdout, files?.stderr].filter((f, i, a): f is WriteStream => f !== undefined && a.indexOf(f) === i)
      .map((f) => new Promise<void>((resolve) => f.end(() => resolve()))));

    const exits = plan.exits ? plan.exits(end, active.timedOut) : [{
      ...(plan.rank !== undefined ? { rank: plan.rank } : {}),
      ...(plan.task !== undefined ? { task: plan.task } : {}),
      code: end.code,
      ...(end.signal ? { signal: end.signal } : {}),
      ...(active.timedOut ? { timedOut: true } : {}),
    }];
    this.exits.push(...exits);
    this.running.delete(index);
    this.schedule();
  }

  private selector(a: ActiveUnit, withRoot: boolean): TreeSelector {
    const pid = a.started.pid;
    return {
      roots: withRoot && pid !== undefined ? [pid] : [],
      groups: pid !== undefined ? [pid] : [],
      marker: { name: RUN_MARKER, value: `${this.id}/${a.index}` },
      sinceTicks: this.sinceTicks,
    };
  }

  /** The running units' processes and everything carrying the run's marker. */
  private usageSelector(): TreeSelector {
    const pids = [...this.running.values()].flatMap((a) => (a.started.pid !== undefined ? [a.started.pid] : []));
    return { ...this.runSelector(pids), groups: pids };
  }

  /** Every process of the run, whichever unit it came from. */
  private runSelector(roots: readonly number[] = []): TreeSelector {
    return {
      roots, groups: [], marker: { name: RUN_MARKER, value: `${this.id}/`, prefix: true }, sinceTicks: this.sinceTicks,
      // Only while it lives: a dead spawner's pid may be another process's by now.
      ...(this.spawner?.usable && this.spawner.pid !== undefined ? { reaper: this.spawner.pid } : {}),
    };
  }

  private stopUnit(a: ActiveUnit): Promise<void> {
    // A unit a spawner is starting has no pid yet: wait for it, or it would start after the sweep.
    a.stopping ??= a.started.ready
      .then(() => killTree(this.selector(a, true), this.graceMs))
      .then((r) => this.reportSurvivors(r.survivors));
    return a.stopping;
  }

  private reportSurvivors(survivors: readonly ProcessInfo[]): void {
    if (survivors.length > 0) this.output.system(`could not end ${describeProcesses(survivors)} (even with SIGKILL)`);
  }

  private async finish(): Promise<void> {
    if (this.finishing) return;
    this.finishing = true;
    await this.staleSweep;
    // A last look before leftovers are ended: what they used counts too.
    await this.meter.sample();
    this.meter.dispose();
    // Anything still carrying the run's marker (a daemon that left every group) ends with the run.
    const stray = await findRunProcesses(this.runSelector());
    if (stray.length > 0) {
      this.output.system(`ending ${describeProcesses(stray)} left over from the run`);
      const r = await killTree(this.runSelector(stray.map((p) => p.pid)), this.graceMs);
      this.reportSurvivors(r.survivors);
    }
    this.sampler?.dispose();
    this.guard?.close();
    const exits = [...this.exits].sort(byUnit);
    const input = {
      exits, cancelled: this.cancelRequested, notStarted: this.notStarted,
      ...(this.plan.launcherName ? { launcherName: this.plan.launcherName } : {}),
      ...(this.plan.timeLimitText ? { timeLimit: this.plan.timeLimitText } : {}),
    };
    const state = finalState(input);
    const logError = this.log.error?.message;
    const summary = summarize(input) + (logError ? `; the log ${this.logPath} is incomplete (${logError})` : '');
    this.output.system(summary.startsWith(state) ? summary : `${state}: ${summary}`);
    this.output.end();
    await this.log.close();
    const usage = this.meter.usage();
    const result: RunResult = {
      state, exits, endedAt: Date.now(), summary,
      ...(this.startedAt !== undefined ? { startedAt: this.startedAt } : {}),
      ...(usage.samples > 0 ? { usage } : {}),
      ...(logError ? { logError } : {}),
    };
    try { this.plan.cleanup?.(); } catch { /* temporary files only */ }
    this.currentState = state;
    this.record(result);
    if (!this.disposed) this.states.fire({ state, previous: this.startedAt !== undefined ? 'running' : 'queued', message: summary });
    this.resolveResult(result);
  }
}

function byUnit(a: UnitExit, b: UnitExit): number {
  return (a.rank ?? a.task ?? -1) - (b.rank ?? b.task ?? -1);
}
