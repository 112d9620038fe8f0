/**
 * A run that lives in a RunHost's worker thread, seen from the caller's thread: the same
 * RunHandle as a LocalRun. Output arrives packed; it is turned into line objects only for
 * `onDidOutput` listeners, while `onDidOutputPacked` hands the packs on as they are (an output
 * panel stores them so).
 */
import { Emitter, type Event } from '../events';
import { packedCount, slicePacked, unpackLines, type PackedLines } from '../packedLines';
import type { BackendKind, Metric, OutputLine, OutputSource, RunHandle, RunResult, RunState, StateChange } from '../runtime';
import { FINAL_STATES } from '../runtime';
import type { RunInfo } from './protocol';

/** Output as packs, their source indexes into `sources` (which only grows). */
export interface PackedOutput {
  readonly lines: PackedLines;
  readonly sources: readonly OutputSource[];
}

/** A handle whose output can be had packed (it says so in `capabilities.packedOutput`). */
export interface PackedOutputRun extends RunHandle {
  readonly onDidOutputPacked: Event<PackedOutput>;
}

/** Lines kept for `tail()`, as in RunOutput. */
const TAIL_LINES = 1000;

export class WorkerRun implements PackedOutputRun {
  readonly id: string;
  readonly backend: BackendKind;
  readonly logPath: string;
  readonly launcherName?: string;
  readonly dir: string;
  readonly result: Promise<RunResult>;
  private currentState: RunState;
  private readonly sourceTable: OutputSource[] = [];
  /** The newest packs, holding at least TAIL_LINES lines when there are that many. */
  private recent: PackedLines[] = [];
  private recentLines = 0;
  private readonly states = new Emitter<StateChange>();
  private readonly outputs = new Emitter<readonly OutputLine[]>();
  private readonly packs = new Emitter<PackedOutput>();
  private readonly metrics = new Emitter<Metric>();
  private resolveResult!: (r: RunResult) => void;
  private settled = false;
  private disposed = false;
  readonly onDidChangeState = this.states.event;
  readonly onDidOutput = this.outputs.event;
  readonly onDidOutputPacked = this.packs.event;
  readonly capabilities = { packedOutput: this.onDidOutputPacked };
  readonly onDidMetric = this.metrics.event;

  constructor(info: RunInfo, private readonly send: (msg: { type: 'cancel' | 'dispose'; run: string }) => void) {
    this.id = info.id;
    this.backend = info.backend;
    this.logPath = info.logPath;
    if (info.launcherName) this.launcherName = info.launcherName;
    this.dir = info.dir;
    this.currentState = info.state;
    this.result = new Promise((resolve) => { this.resolveResult = resolve; });
  }

  get state(): RunState { return this.currentState; }

  tail(): readonly OutputLine[] {
    // Only the lines kept: the oldest pack may hold many more (a merged one, up to 1 MB).
    let skip = Math.max(0, this.recentLines - TAIL_LINES);
    const out: OutputLine[] = [];
    for (const p of this.recent) {
      const n = packedCount(p);
      if (skip >= n) { skip -= n; continue; }
      out.push(...unpackLines(skip > 0 ? slicePacked(p, skip) : p, this.sourceTable));
      skip = 0;
    }
    return out;
  }

  cancel(): Promise<void> {
    if (!FINAL_STATES.has(this.currentState)) this.send({ type: 'cancel', run: this.id });
    return this.result.then(() => undefined);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (!this.settled) this.send({ type: 'dispose', run: this.id });
    this.states.dispose();
    this.outputs.dispose();
    this.packs.dispose();
    this.metrics.dispose();
    this.recent = [];
  }

  // --- From the RunHost ----------------------------------------------------------------------

  onState(change: StateChange): void {
    this.currentState = change.state;
    if (!this.disposed) this.states.fire(change);
  }

  onOutput(sources: readonly OutputSource[], packs: readonly PackedLines[]): void {
    if (this.disposed) return;
    this.sourceTable.push(...sources);
    for (const lines of packs) {
      this.recent.push(lines);
      this.recentLines += packedCount(lines);
      while (this.recentLines - packedCount(this.recent[0]!) >= TAIL_LINES) this.recentLines -= packedCount(this.recent.shift()!);
      this.packs.fire({ lines, sources: this.sourceTable });
      // Objects only for those who asked for them.
      if (this.outputs.hasListeners) this.outputs.fire(unpackLines(lines, this.sourceTable));
    }
  }

  onMetric(metric: Metric): void {
    if (!this.disposed) this.metrics.fire(metric);
  }

  onResult(result: RunResult): void {
    if (this.settled) return;
    this.settled = true;
    // The final state came first, unless the worker died: then say it now.
    if (this.currentState !== result.state) this.onState({ state: result.state, previous: this.currentState, message: result.summary });
    this.resolveResult(result);
  }
}
