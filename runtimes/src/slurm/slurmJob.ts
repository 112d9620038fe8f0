/**
 * A Slurm job as a RunHandle (backend 'slurm'). Array tasks are its units; the tracker feeds
 * it snapshots, it keeps each task's Slurm state and reason, follows output files while tasks
 * run, and settles `result` when every task has ended.
 */
import * as path from 'node:path';
import { Emitter } from '../events';
import type { Metric, OutputLine, RunCapabilities, RunHandle, RunResult, RunState, StateChange, UnitExit } from '../runtime';
import type { Transport } from '../transport/transport';
import type { JobRecord } from './jobRecord';
import type { JobSnapshot, JobTracker } from './jobTracker';
import type { OutputPaths } from './outputPaths';
import { FileTail } from './outputTail';
import * as cmd from './slurmCommands';
import type { SlurmRunner } from './slurmRunner';
import { isFinalSlurmState } from './slurmState';
import { slurmSummary } from './slurmSummary';
import { absorbRecord, describeTasks, dropVanished, finalState, type SlurmTask } from './slurmTasks';

export interface JobContext {
  readonly clusterName: string;
  readonly transport: Transport;
  readonly tracker: JobTracker;
  readonly run: SlurmRunner;
  /** Follow output files (default true). */
  readonly tail?: boolean;
  /** How often output files are polled while tasks run. */
  readonly tailIntervalMs?: number;
  /** Files followed at once (an array of 1000 tasks does not open 1000 tails). */
  readonly maxTails?: number;
  /** Called when a refresh should come sooner (after cancel). */
  readonly requestRefresh: () => void;
  /** Sizes of output files that existed before the job (--open-mode=append): followed from there. */
  readonly startOffsets?: ReadonlyMap<string, number>;
  /** Called once when the job settles or is disposed: the cluster stops polling for it. */
  readonly released?: () => void;
}

const TAIL_LINES = 1000;

export class SlurmJob implements RunHandle {
  readonly id: string;
  readonly capabilities: RunCapabilities = { slurm: this };
  readonly backend = 'slurm' as const;
  private current: RunState = 'queued';
  private tasksByKey = new Map<string, SlurmTask>();
  private isArray = false;
  private firstPaths: OutputPaths | undefined;
  private readonly stateEmitter = new Emitter<StateChange>();
  private readonly outputEmitter = new Emitter<readonly OutputLine[]>();
  private readonly metricEmitter = new Emitter<Metric>();
  private readonly tasksEmitter = new Emitter<readonly SlurmTask[]>();
  readonly onDidChangeState = this.stateEmitter.event;
  readonly onDidOutput = this.outputEmitter.event;
  readonly onDidMetric = this.metricEmitter.event;
  /** Some task changed state (array jobs: per-task rows in a tree). */
  readonly onDidChangeTasks = this.tasksEmitter.event;
  readonly result: Promise<RunResult>;
  private resolveResult!: (r: RunResult) => void;
  private readonly tracking;
  /** Kept after a task ends (`done`), so a later snapshot does not start its file again from 0. */
  private readonly tails = new Map<string, { tail: FileTail; taskKey: string; started: number; done?: boolean }>();
  private tailTimer: NodeJS.Timeout | undefined;
  private tailBusy = false;
  private readonly ring: OutputLine[] = [];
  private cancelRequested = false;
  private disposed = false;
  private settled = false;
  private finishing = false;
  private lastMessage = '';
  private readonly warnedFolders = new Set<string>();
  private detailsAsked = new Set<string>();

  constructor(readonly jobId: string, private readonly ctx: JobContext, readonly submittedAt = Date.now()) {
    this.id = `${ctx.clusterName}:${jobId}`;
    this.result = new Promise((r) => { this.resolveResult = r; });
    this.tracking = ctx.tracker.track(jobId, (s) => this.update(s));
  }

  get state(): RunState { return this.current; }
  get clusterName(): string { return this.ctx.clusterName; }
  /** The job's stdout on the cluster (an absolute remote path; the first task's for arrays); '' until known. */
  get logPath(): string { return this.firstPaths?.stdout ?? ''; }
  /** Units: the job itself, or its array tasks by index. */
  get tasks(): readonly SlurmTask[] {
    return [...this.tasksByKey.values()].sort((a, b) => (a.task ?? 0) - (b.task ?? 0));
  }
  /** Slurm's word for a plain job; counts per state for an array ("3 RUNNING, 997 PENDING"). */
  get slurmState(): string { return this.describe().state; }
  get reason(): string | undefined { return this.describe().reason; }

  tail(): readonly OutputLine[] { return [...this.ring]; }

  private describe(): { state: string; reason?: string } { return describeTasks(this.tasks, this.isArray); }

  /** Feeds one refresh's answer; public for the tracker and tests. */
  update(snap: JobSnapshot): void {
    if (this.settled) return;
    if (snap.source === 'gone' && this.tasksByKey.size === 0) {
      this.settle('failed', `Slurm does not know job ${this.jobId} (it ended more than MinJobAge ago and accounting is off).`);
      return;
    }
    if (snap.source === 'gone') {
      // Forgotten after we saw it: whatever was not final is reported as it was last seen.
      for (const [k, t] of this.tasksByKey) {
        if (t.state !== 'queued' && t.state !== 'running') continue;
        this.tasksByKey.set(k, { ...t, slurmState: 'UNKNOWN', state: 'failed', reason: 'no longer known to Slurm' });
      }
    }
    for (const r of snap.records) this.absorb(r);
    if (snap.source === 'squeue' && snap.records.length > 0) dropVanished(this.tasksByKey, snap.records);
    this.afterUpdate();
  }

  private absorb(r: JobRecord): void {
    if (r.arrayJobId) this.isArray = true;
    absorbRecord(this.tasksByKey, r);
  }

  private afterUpdate(): void {
    const tasks = this.tasks;
    if (!this.firstPaths) this.firstPaths = tasks.find((t) => t.paths)?.paths;
    this.tasksEmitter.fire(tasks);
    if (this.ctx.tail !== false) this.startTails(tasks);
    const allFinal = tasks.length > 0 && tasks.every((t) => isFinalSlurmState(t.slurmState) || (t.state !== 'queued' && t.state !== 'running'));
    const next: RunState = allFinal ? finalState(tasks, this.cancelRequested)
      // Running once some task runs or has run; tasks cancelled before starting do not count.
      : tasks.some((t) => t.state === 'running' || (t.state !== 'queued' && t.startTime)) ? 'running' : 'queued';
    const d = this.describe();
    const message = `${d.state}${d.reason ? ` (${d.reason})` : ''}`;
    if (allFinal) {
      if (!this.finishing) {
        this.finishing = true;
        this.stopTailTimer();
        void this.finishTails().then(() => this.settle(finalState(this.tasks, this.cancelRequested)));
      }
      return;
    }
    if (next !== this.current || message !== this.lastMessage) {
      const previous = this.current;
      this.current = next;
      this.lastMessage = message;
      this.stateEmitter.fire({ state: next, previous, message });
    }
  }

  private settle(state: RunState, message?: string): void {
    if (this.settled) return;
    this.settled = true;
    this.stopTailTimer();
    const tasks = this.tasks;
    // Tasks cancelled before they started have no exit: they never ran.
    const ran = tasks.filter((t) => (t.exit || t.state === 'timedOut') && !(t.state === 'cancelled' && !t.startTime));
    const exits: UnitExit[] = ran.map((t) => ({
      ...(t.task !== undefined ? { task: t.task } : {}),
      code: t.exit?.code ?? null,
      ...(t.exit?.signal ? { signal: t.exit.signal } : {}),
      ...(t.state === 'timedOut' ? { timedOut: true } : {}),
    }));
    const starts = tasks.map((t) => t.startTime).filter((x): x is number => x !== undefined);
    const ends = tasks.map((t) => t.endTime).filter((x): x is number => x !== undefined);
    const summary = message ?? slurmSummary(this.jobId, tasks, this.isArray);
    const previous = this.current;
    this.current = state;
    this.tracking.dispose();
    this.ctx.released?.();
    this.stateEmitter.fire({ state, previous, message: message ?? `${this.describe().state}: ${summary}` });
    this.resolveResult({
      state, exits,
      ...(starts.length ? { startedAt: Math.min(...starts) } : {}),
      endedAt: ends.length ? Math.max(...ends) : Date.now(),
      summary,
    });
  }

  // ---- output ---------------------------------------------------------------------------

  private startTails(tasks: readonly SlurmTask[]): void {
    const max = this.ctx.maxTails ?? 16;
    for (const t of tasks) {
      if (t.state === 'queued') continue;
      const key = t.task !== undefined ? String(t.task) : 'job';
      if (!t.paths) { this.askDetails(t); continue; }
      for (const [stream, p] of [['stdout', t.paths.stdout], ['stderr', t.paths.stderr]] as const) {
        if (stream === 'stderr' && p === t.paths.stdout) continue;
        const id = `${key}:${p}`;
        if (this.tails.has(id)) continue;
        if ([...this.tails.values()].filter((x) => !this.isTaskFinal(x.taskKey)).length >= max) return;
        const source = { stream, ...(t.task !== undefined ? { task: t.task } : {}) };
        this.tails.set(id, { tail: new FileTail(this.ctx.transport, p, source, (lines) => this.emitLines(lines), this.ctx.startOffsets?.get(p) ?? 0), taskKey: key, started: Date.now() });
      }
    }
    if (this.tails.size > 0 && !this.tailTimer) this.scheduleTail();
  }

  /** The format-string mode has no output paths: ask scontrol once per task. */
  private askDetails(t: SlurmTask): void {
    if (this.detailsAsked.has(t.jobId)) return;
    this.detailsAsked.add(t.jobId);
    void this.ctx.tracker.details(t.jobId).then((recs) => {
      if (this.settled) return;
      for (const r of recs) if (r.jobId === t.jobId) this.absorb(r);
      this.startTails(this.tasks);
    }, () => this.detailsAsked.delete(t.jobId));
  }

  private isTaskFinal(key: string): boolean {
    const t = this.tasksByKey.get(key);
    return !!t && t.state !== 'queued' && t.state !== 'running';
  }

  private scheduleTail(): void {
    this.tailTimer = setTimeout(() => { this.tailTimer = undefined; void this.pollTails(); }, this.ctx.tailIntervalMs ?? 250);
  }

  private stopTailTimer(): void {
    if (this.tailTimer) clearTimeout(this.tailTimer);
    this.tailTimer = undefined;
  }

  private async pollTails(): Promise<void> {
    if (this.tailBusy || this.disposed) return;
    this.tailBusy = true;
    try {
      for (const x of this.tails.values()) {
        if (x.done) continue;
        try {
          if (this.isTaskFinal(x.taskKey)) {
            // This task ended while others run: read its file to the end now, not when the whole array ends.
            if (!(await x.tail.poll())) await this.checkFolder(x.tail.path);
            else await x.tail.finish();
            x.done = true;
            continue;
          }
          const exists = await x.tail.poll();
          if (!exists && Date.now() - x.started > 3000) await this.checkFolder(x.tail.path);
        } catch {
          // Connection dropped: the transport reconnects; this tail reads from the same offset next time.
        }
        if (this.disposed) return;
      }
    } finally {
      this.tailBusy = false;
      if (!this.settled && !this.disposed && this.tails.size > 0) this.scheduleTail();
    }
  }

  private async finishTails(): Promise<void> {
    while (this.tailBusy) await new Promise((r) => setTimeout(r, 20));
    this.tailBusy = true;
    try {
      for (const x of this.tails.values()) {
        for (let attempt = 0; attempt < 3 && !x.done; attempt++) {
          try {
            if (!(await x.tail.poll())) await this.checkFolder(x.tail.path);
            else await x.tail.finish();
            x.done = true;
          } catch { /* retry after a reconnect */ }
        }
      }
    } finally {
      this.tailBusy = false;
    }
  }

  /** A line from HPC Jobs itself in the job's output (what a submission took along...). */
  note(text: string, stream: 'stdout' | 'stderr' = 'stderr'): void {
    this.emitLines([{ stream, system: true, time: Date.now(), text }]);
  }

  /** The classic trap: Slurm does not create the --output folder, and the job fails with no output at all. */
  private async checkFolder(file: string): Promise<void> {
    const dir = path.posix.dirname(file);
    if (this.warnedFolders.has(dir)) return;
    const st = await this.ctx.transport.stat(dir);
    if (st?.isDirectory) return;
    this.warnedFolders.add(dir);
    this.emitLines([{
      stream: 'stderr', system: true, time: Date.now(),
      text: `The output folder ${dir} does not exist on cluster "${this.ctx.clusterName}". Slurm does not create it: the job cannot open ${path.posix.basename(file)} and fails without writing any output. Create the folder (mkdir -p) before submitting.`,
    }]);
  }

  private emitLines(lines: readonly OutputLine[]): void {
    if (this.disposed || lines.length === 0) return;
    for (const l of lines) {
      this.ring.push(l);
      if (this.ring.length > TAIL_LINES) this.ring.shift();
    }
    this.outputEmitter.fire(lines);
  }

  // ---- control --------------------------------------------------------------------------

  /** Cancels the whole job (all array tasks); resolves when Slurm reports it ended. */
  async cancel(): Promise<void> {
    await this.cancelTarget(this.jobId);
    await this.result;
  }

  /** Cancels one array task. */
  async cancelTask(index: number): Promise<void> {
    if (!Number.isInteger(index) || index < 0) throw new Error(`Not an array index: ${index}`);
    await this.cancelTarget(`${this.jobId}_${index}`);
  }

  private async cancelTarget(target: string): Promise<void> {
    if (this.settled) return;
    if (target === this.jobId) this.cancelRequested = true;
    const r = await this.ctx.run(cmd.scancel(target));
    if (r.code !== 0 && !/already completing or completed|Invalid job id/i.test(r.stderr)) {
      throw new Error(`scancel ${target} failed on cluster "${this.ctx.clusterName}": ${r.stderr.trim() || `exit ${r.code}`}`);
    }
    this.ctx.requestRefresh();
  }

  dispose(): void {
    this.disposed = true;
    this.stopTailTimer();
    this.tracking.dispose();
    this.ctx.released?.();
    this.stateEmitter.dispose();
    this.outputEmitter.dispose();
    this.metricEmitter.dispose();
    this.tasksEmitter.dispose();
  }
}
