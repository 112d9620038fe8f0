/**
 * Watches every tracked job of one cluster with ONE squeue call per refresh, whatever the
 * number of jobs (a thousand separate `squeue -j` calls would load the controller and the
 * link). Jobs squeue no longer lists (older than MinJobAge) are looked up in one `sacct`
 * call; without accounting, `scontrol show job` per job, which only helps until it forgets too.
 */
import { Emitter, type Disposable } from '../events';
import { masterId, type JobRecord } from './jobRecord';
import { parseSacct } from './sacctOutput';
import { parseScontrolJobs } from './scontrolOutput';
import * as cmd from './slurmCommands';
import { isControllerDown, SlurmQueryError, slurmCommandError } from './slurmErrors';
import { isFinalSlurmState } from './slurmState';
import { parseSqueueFormat } from './squeueFormat';
import { parseSqueueJson } from './squeueJson';
import type { SlurmRunner } from './slurmRunner';

/** What one refresh learnt about one submission (all its array tasks). */
export interface JobSnapshot {
  readonly records: readonly JobRecord[];
  /** `gone`: no Slurm command knows the job any more. */
  readonly source: 'squeue' | 'sacct' | 'scontrol' | 'gone';
}

export type SqueueMode = 'json' | 'format' | 'auto';

export interface TrackerOptions {
  /** `auto`: --json, switching to the format string when the answer gets large (22.05 ignores filters with --json). */
  readonly squeueMode?: SqueueMode;
  /** `auto`: use sacct until it says accounting is off. */
  readonly accounting?: boolean | 'auto';
  /** With `auto`, more records than this in one --json answer switches to the format string. */
  readonly jsonRecordLimit?: number;
}

export class JobTracker implements Disposable {
  private readonly listeners = new Map<string, (s: JobSnapshot) => void>();
  private mode: 'json' | 'format';
  private readonly autoMode: boolean;
  private accounting: boolean | 'auto';
  private readonly jsonRecordLimit: number;
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private readonly errorEmitter = new Emitter<SlurmQueryError>();
  /** A refresh failed (controller down, squeue missing...): the jobs keep their last state. */
  readonly onDidError = this.errorEmitter.event;
  /** Number of squeue calls made (for tests and the benchmark). */
  squeueCalls = 0;

  constructor(private readonly run: SlurmRunner, options: TrackerOptions = {}) {
    this.autoMode = (options.squeueMode ?? 'auto') === 'auto';
    this.mode = options.squeueMode === 'format' ? 'format' : 'json';
    this.accounting = options.accounting ?? 'auto';
    this.jsonRecordLimit = options.jsonRecordLimit ?? 5000;
  }

  get squeueMode(): 'json' | 'format' { return this.mode; }
  get tracked(): readonly string[] { return [...this.listeners.keys()]; }

  track(jobId: string, listener: (s: JobSnapshot) => void): Disposable {
    cmd.checkJobId(jobId);
    this.listeners.set(jobId, listener);
    return { dispose: () => { if (this.listeners.get(jobId) === listener) this.listeners.delete(jobId); } };
  }

  /**
   * One refresh of everything tracked. While one runs, callers share ONE follow-up refresh
   * (their answer must be at least as new as their call), so a slow controller never piles up calls.
   */
  refresh(): Promise<void> {
    if (!this.running) {
      this.running = this.refreshOnce().finally(() => { this.running = undefined; });
      return this.running;
    }
    this.queued ??= this.running.then(() => { this.queued = undefined; return this.refresh(); });
    return this.queued;
  }

  /** squeue for the given ids (all tracked by default), grouped by master id. */
  async query(ids: readonly string[] = this.tracked): Promise<Map<string, JobRecord[]>> {
    const byMaster = new Map<string, JobRecord[]>();
    if (ids.length === 0) return byMaster;
    const wanted = new Set(ids);
    this.squeueCalls++;
    let records: JobRecord[];
    if (this.mode === 'json') {
      const r = await this.run(cmd.squeueJson(), { idempotent: true });
      try {
        records = parseSqueueJson(r.stdout);
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        throw isControllerDown(msg) || isControllerDown(r.stderr) ? slurmCommandError('squeue', `${r.stderr}\n${msg}`, r.code, this.run.clusterName) : slurmCommandError('squeue --json', r.stderr || msg, r.code, this.run.clusterName);
      }
      if (this.autoMode && records.length > this.jsonRecordLimit) this.mode = 'format';
    } else {
      const r = await this.run(cmd.squeueFormat(ids), { idempotent: true });
      if (r.code !== 0) {
        // "Invalid job id specified" when none of the ids is known any more: not an error for us.
        if (/Invalid job id/i.test(r.stderr)) return byMaster;
        throw slurmCommandError('squeue', r.stderr, r.code, this.run.clusterName);
      }
      records = parseSqueueFormat(r.stdout);
    }
    for (const rec of records) {
      const m = masterId(rec);
      if (!wanted.has(m)) continue;
      const list = byMaster.get(m) ?? [];
      list.push(rec);
      byMaster.set(m, list);
    }
    return byMaster;
  }

  /** Jobs squeue no longer lists: sacct (one call), else scontrol per job. */
  async lookupFinished(ids: readonly string[]): Promise<Map<string, JobSnapshot>> {
    const out = new Map<string, JobSnapshot>();
    if (ids.length === 0) return out;
    if (this.accounting !== false) {
      const r = await this.run(cmd.sacct(ids), { idempotent: true });
      if (r.code === 0) {
        this.accounting = true;
        for (const rec of parseSacct(r.stdout)) {
          const m = masterId(rec);
          const prev = out.get(m);
          out.set(m, { source: 'sacct', records: [...(prev?.records ?? []), rec] });
        }
        const missing = ids.filter((id) => !out.has(id));
        if (missing.length === 0) return out;
        ids = missing;
      } else if (/accounting storage is disabled/i.test(r.stderr)) {
        this.accounting = false;
      } else if (isControllerDown(r.stderr)) {
        throw slurmCommandError('sacct', r.stderr, r.code, this.run.clusterName);
      }
      // Any other sacct failure (slurmdbd or its database away): scontrol, this time.
    }
    for (const id of ids) {
      const r = await this.run(cmd.scontrolShowJob(id), { idempotent: true });
      if (r.code === 0) {
        out.set(id, { source: 'scontrol', records: parseScontrolJobs(r.stdout).filter((rec) => masterId(rec) === id) });
      } else if (/Invalid job id/i.test(r.stderr)) {
        out.set(id, { source: 'gone', records: [] });
      } else {
        throw slurmCommandError('scontrol show job', r.stderr, r.code, this.run.clusterName);
      }
    }
    return out;
  }

  /** Full details of one job from scontrol (expanded output paths), for the format-string mode. */
  async details(id: string): Promise<JobRecord[]> {
    const r = await this.run(cmd.scontrolShowJob(id), { idempotent: true });
    return r.code === 0 ? parseScontrolJobs(r.stdout) : [];
  }

  private async refreshOnce(): Promise<void> {
    const ids = this.tracked;
    if (ids.length === 0) return;
    let byMaster: Map<string, JobRecord[]>;
    try {
      byMaster = await this.query(ids);
    } catch (e) {
      this.errorEmitter.fire(e instanceof SlurmQueryError ? e : new SlurmQueryError(e instanceof Error ? e.message : String(e)));
      return;
    }
    const missing: string[] = [];
    for (const id of ids) {
      const recs = byMaster.get(id);
      if (!recs || recs.length === 0) { missing.push(id); continue; }
      // The format string has no exit codes: ask sacct/scontrol once the job has ended.
      const ended = recs.every((r) => isFinalSlurmState(r.state) && !r.pendingTasks);
      if (this.mode === 'format' && ended && recs.some((r) => !r.exit)) { missing.push(id); continue; }
      this.listeners.get(id)?.({ source: 'squeue', records: recs });
    }
    if (missing.length === 0) return;
    let finished: Map<string, JobSnapshot>;
    try {
      finished = await this.lookupFinished(missing);
    } catch (e) {
      this.errorEmitter.fire(e instanceof SlurmQueryError ? e : new SlurmQueryError(e instanceof Error ? e.message : String(e)));
      return;
    }
    for (const id of missing) {
      const snap = finished.get(id) ?? { source: 'gone', records: [] };
      // Merge: records squeue still had (format mode) keep their state; sacct adds exit codes.
      const fromSqueue = byMaster.get(id) ?? [];
      const merged = fromSqueue.length ? mergeRecords(fromSqueue, snap.records) : snap.records;
      this.listeners.get(id)?.({ source: fromSqueue.length ? 'squeue' : snap.source, records: merged });
    }
  }

  dispose(): void {
    this.listeners.clear();
    this.errorEmitter.dispose();
  }
}

function mergeRecords(base: readonly JobRecord[], extra: readonly JobRecord[]): JobRecord[] {
  const byId = new Map(extra.map((r) => [r.jobId, r]));
  return base.map((r) => {
    const e = byId.get(r.jobId);
    return e ? { ...e, ...r, ...(e.exit && !r.exit ? { exit: e.exit } : {}), ...(e.workDir && !r.workDir ? { workDir: e.workDir } : {}) } : r;
  });
}
