/**
 * Every run and Slurm job this window knows: started here (runStarter.ts adds them), or re-attached after
 * a reload. Entries are plain data saved in the workspace state (the tree shows them again after
 * a reload); the live RunHandles are kept beside them. Slurm jobs that were unfinished resume
 * polling and tailing on restore; a local run cannot outlive its extension host, so one that
 * was still running when the window closed is shown as its record says (failed, "the launcher
 * was killed", when the extension host was: runtimes/src/staleRuns.ts), else cancelled; its log kept.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { FINAL_STATES, recordedEnd, type RunHandle, type RunResult } from '../../../runtimes/src/index';
import type { StartedRun } from '../../../runtimes/src/request/startRequest';
import type { JobRecord, SlurmJob } from '../../../runtimes/src/slurm/index';
import type { ClusterService } from '../clusters/clusterService';
import { isFinal, localKey, requestFile, slurmKey, type JobEntry, type JobOutcomeSummary, type JobUnit, type RunRequest } from './jobEntry';
import { localOutcome } from './outcomeSummary';
import { changes, earliest, entryFromQueue, fieldsFromRecords, groupByJob, progressFields } from './queueRecords';

const STATE_KEY = 'hpcJobs.jobs.v1';
/** Finished entries kept; the oldest go first. Unfinished ones are never dropped. */
export const MAX_FINISHED = 200;

export class JobStore implements vscode.Disposable {
  private readonly entries = new Map<string, JobEntry>();
  private readonly handles = new Map<string, RunHandle>();
  private readonly handleSubscriptions = new Map<string, { dispose(): void }[]>();
  private readonly changeEmitter = new vscode.EventEmitter<readonly string[]>();
  /** Keys of the entries that changed, were added or removed. */
  readonly onDidChange = this.changeEmitter.event;
  private saveTimer: NodeJS.Timeout | undefined;

  constructor(private readonly memento: vscode.Memento, private readonly clusters: ClusterService) {
    for (const e of memento.get<JobEntry[]>(STATE_KEY) ?? []) this.entries.set(e.key, e);
  }

  /** Newest first. */
  all(): readonly JobEntry[] {
    return [...this.entries.values()].sort((a, b) => b.submittedAt - a.submittedAt);
  }

  get(key: string): JobEntry | undefined { return this.entries.get(key); }

  /** How many entries there are (cheaper than `all().length`: no sort). */
  get size(): number { return this.entries.size; }

  /** The live handle of an entry (absent for finished runs from an earlier window). */
  handle(key: string): RunHandle | undefined { return this.handles.get(key); }

  /** How an ended job went, once read (sacct); kept with the entry. */
  setOutcome(key: string, outcome: JobOutcomeSummary): void {
    this.update(key, { outcome });
  }

  /** Re-attaches Slurm jobs left unfinished by an earlier window; marks interrupted local runs. */
  restore(): void {
    const changed: string[] = [];
    for (const e of this.entries.values()) {
      if (isFinal(e.state)) continue;
      if (!e.cluster) {
        // Its record says how it ended, in the CLI's words: "the launcher was killed (pid N)..." when the extension host was.
        const ended = e.logPath ? recordedEnd(path.dirname(e.logPath)) : undefined;
        this.entries.set(e.key, ended
          ? { ...e, state: ended.state, summary: ended.summary, exits: ended.exits, endedAt: ended.endedAt }
          : { ...e, state: 'cancelled', endedAt: e.endedAt ?? Date.now(), reason: 'the window was closed while it ran; its output up to then is in the log' });
        changed.push(e.key);
        continue;
      }
      if (!this.clusters.config(e.cluster)) continue; // the cluster was removed: keep the last known state
      try {
        this.track(e.key, this.clusters.get(e.cluster).attach(e.id));
      } catch (err) {
        this.clusters.reportFailure(e.cluster, err);
      }
    }
    if (changed.length) this.changed(changed);
  }

  /**
   * A run or job that has just started (runStarter.ts starts it): its entry, followed from now
   * on. The store itself starts nothing.
   */
  add(request: RunRequest, started: StartedRun): JobEntry {
    const file = requestFile(request);
    const key = started.where === 'local' ? localKey(started.handle.id) : slurmKey(started.cluster, started.jobId);
    this.entries.set(key, started.where === 'local'
      ? {
        key, backend: started.handle.backend, id: started.handle.id, name: path.basename(file), file, request,
        state: started.handle.state, submittedAt: Date.now(), logPath: started.handle.logPath,
        // Already running by now, most often: its state event has been and gone.
        ...(started.handle.state === 'running' ? { startedAt: Date.now() } : {}),
        ...(request.target === 'local' && request.spec.timeLimitMs ? { timeLimitMs: request.spec.timeLimitMs } : {}),
      }
      : { key, backend: 'slurm', cluster: started.cluster, id: started.jobId, name: path.basename(file), file, request, state: 'queued', submittedAt: Date.now() });
    this.track(key, started.handle);
    this.changed([key]);
    return this.entries.get(key)!;
  }

  /**
   * The entry's live handle: the one it has or, for a Slurm job, a new attachment (a job from
   * an earlier window or found in the queue), followed from now on like one started here.
   */
  attach(key: string): RunHandle | undefined {
    const have = this.handles.get(key);
    if (have) return have;
    const e = this.entries.get(key);
    if (!e?.cluster || !this.clusters.config(e.cluster)) return undefined;
    try {
      const job = this.clusters.get(e.cluster).attach(e.id);
      // An ended job is attached for its output only: what Slurm says of it now (perhaps
      // "unknown", long after) must not overwrite how it was seen to end.
      if (isFinal(e.state)) this.handles.set(key, job);
      else this.track(key, job);
      return job;
    } catch (err) {
      this.clusters.reportFailure(e.cluster, err);
      return undefined;
    }
  }

  /**
   * Folds one queue listing of the user's jobs on `cluster` into the entries. Jobs this window
   * did not submit are added (not those that had already ended when first seen: that is
   * history, not news); entries no handle follows are updated; an unfinished one the listing
   * no longer shows is attached, so the tracker learns how it ended (one sacct).
   */
  syncQueue(cluster: string, records: readonly JobRecord[], now = Date.now()): void {
    const changed: string[] = [];
    const groups = groupByJob(records);
    for (const [id, recs] of groups) {
      const key = slurmKey(cluster, id);
      const fields = fieldsFromRecords(id, recs);
      const e = this.entries.get(key);
      if (!e) {
        if (isFinal(fields.state)) continue;
        this.entries.set(key, entryFromQueue(cluster, id, fields, now));
        changed.push(key);
        continue;
      }
      // A handle follows it (or it has ended): only what the tracker does not say. The row
      // keeps its place (submittedAt as first recorded), and the name its request gave it.
      const next: Partial<JobEntry> = this.handles.has(key) || isFinal(e.state)
        ? {
          ...(fields.timeLimitMs && !e.timeLimitMs ? { timeLimitMs: fields.timeLimitMs } : {}),
          ...(fields.partition && !e.partition ? { partition: fields.partition } : {}),
          ...(fields.user && !e.user ? { user: fields.user } : {}),
        }
        : { ...progressFields(fields), ...(fields.name && !e.request ? { name: fields.name } : {}) };
      if (changes(e, next)) {
        this.entries.set(key, { ...e, ...next });
        changed.push(key);
      }
    }
    if (changed.length) this.changed(changed);
    for (const e of [...this.entries.values()]) {
      if (e.cluster === cluster && !isFinal(e.state) && !this.handles.has(e.key) && !groups.has(e.id)) this.attach(e.key);
    }
  }

  /** Cancels the run or job (array task `index` only, when given). */
  async cancel(key: string, index?: number): Promise<void> {
    const e = this.entries.get(key);
    if (!e || isFinal(e.state)) return;
    if (e.cluster) {
      await this.clusters.get(e.cluster).cancel(index === undefined ? e.id : `${e.id}_${index}`);
      // A job found in the queue has no handle yet: follow it, so its end shows without waiting for the next listing.
      this.attach(key);
      return;
    }
    const h = this.handles.get(key);
    if (h) await h.cancel();
  }

  /**
   * Forgets finished entries (their logs stay on disk), and those of clusters no longer in the
   * settings: nothing can follow or cancel them any more, so they would stay forever.
   */
  clearFinished(): void {
    const orphan = (e: JobEntry) => e.cluster !== undefined && !this.clusters.config(e.cluster);
    const gone = [...this.entries.values()].filter((e) => isFinal(e.state) || orphan(e)).map((e) => e.key);
    for (const k of gone) this.forget(k);
    if (gone.length) this.changed(gone);
  }

  remove(key: string): void {
    if (!this.entries.has(key)) return;
    this.forget(key);
    this.changed([key]);
  }

  private forget(key: string): void {
    this.entries.delete(key);
    for (const d of this.handleSubscriptions.get(key) ?? []) d.dispose();
    this.handleSubscriptions.delete(key);
    this.handles.get(key)?.dispose();
    this.handles.delete(key);
  }

  /** Follows a handle: its state, tasks and result flow into the entry. */
  private track(key: string, handle: RunHandle): void {
    this.handles.set(key, handle);
    const subs = [
      handle.onDidChangeState((c) => this.update(key, {
        state: c.state,
        ...(c.state === 'running' && !this.entries.get(key)?.startedAt ? { startedAt: Date.now() } : {}),
        ...slurmFields(handle),
      })),
    ];
    const slurm = asSlurmJob(handle);
    if (slurm) subs.push(slurm.onDidChangeTasks(() => this.update(key, slurmFields(handle))));
    this.handleSubscriptions.set(key, subs);
    void handle.result.then((r) => this.finish(key, r));
  }

  private finish(key: string, r: RunResult): void {
    if (!this.entries.has(key)) return;
    this.update(key, {
      state: r.state, summary: r.summary, exits: r.exits, endedAt: r.endedAt,
      ...(r.startedAt ? { startedAt: r.startedAt } : {}),
      ...(r.usage ? { outcome: localOutcome(r.usage, r.endedAt - (r.startedAt ?? r.endedAt)) } : {}),
      ...slurmFields(this.handles.get(key)),
    });
  }

  private update(key: string, fields: Partial<JobEntry>): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.set(key, { ...e, ...fields });
    this.changed([key]);
  }

  private changed(keys: readonly string[]): void {
    this.changeEmitter.fire(keys);
    this.scheduleSave();
  }

  private scheduleSave(): void {
    this.saveTimer ??= setTimeout(() => { this.saveTimer = undefined; void this.save(); }, 250);
  }

  /** Writes the entries to the workspace state now (also on dispose). */
  save(): Thenable<void> {
    const all = this.all();
    let finished = 0;
    const kept = all.filter((e) => !isFinal(e.state) || ++finished <= MAX_FINISHED);
    return this.memento.update(STATE_KEY, kept);
  }

  /** Local runs end with the window; their entries say so. Slurm jobs go on in the queue. */
  async shutdown(): Promise<void> {
    const local = [...this.handles.entries()].filter(([k, h]) => !this.entries.get(k)?.cluster && !FINAL_STATES.has(h.state));
    await Promise.all(local.map(([, h]) => h.cancel().catch(() => undefined)));
    if (this.saveTimer) { clearTimeout(this.saveTimer); this.saveTimer = undefined; }
    await this.save();
  }

  dispose(): void {
    if (this.saveTimer) { clearTimeout(this.saveTimer); this.saveTimer = undefined; void this.save(); }
    for (const subs of this.handleSubscriptions.values()) for (const d of subs) d.dispose();
    for (const h of this.handles.values()) h.dispose();
    this.handles.clear();
    this.changeEmitter.dispose();
  }
}

function asSlurmJob(h: RunHandle | undefined): SlurmJob | undefined {
  return h?.capabilities?.slurm;
}

/** Slurm's own words and the array tasks, for the tree. */
function slurmFields(h: RunHandle | undefined): Partial<JobEntry> {
  const job = asSlurmJob(h);
  if (!job) return {};
  const tasks = job.tasks;
  const units: JobUnit[] = tasks.filter((t) => t.task !== undefined).map((t) => ({
    index: t.task!, kind: 'task', state: t.state, slurmState: t.slurmState, jobId: t.jobId,
    ...(t.reason ? { reason: t.reason } : {}),
    ...(t.exit ? { exit: { task: t.task!, code: t.exit.code, ...(t.exit.signal ? { signal: t.exit.signal } : {}) } } : {}),
  }));
  // A pending task's start time (squeue --json) is Slurm's estimate, not a start.
  const started = tasks.filter((t) => t.state !== 'queued').map((t) => t.startTime).filter((t): t is number => t !== undefined);
  const expected = earliest(tasks.filter((t) => t.state === 'queued').map((t) => t.expectedStart));
  return {
    slurmState: job.slurmState,
    ...(job.reason ? { reason: job.reason } : {}),
    ...(expected ? { expectedStart: expected } : {}),
    ...(units.length ? { units } : {}),
    ...(started.length ? { startedAt: Math.min(...started) } : {}),
    ...(job.logPath ? { logPath: job.logPath } : {}),
  };
}
