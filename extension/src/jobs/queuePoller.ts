/**
 * Reads each cluster's queue (one squeue per cluster) while the job tree is visible, so the
 * tree also shows the user's jobs not submitted from this window — and, in the "all users"
 * view, everyone's. Automatic refreshes are debounced and stop while the view is hidden;
 * Refresh runs at once. A cluster that is not connected is left alone unless this window has
 * unfinished jobs there: connecting may ask for a host key or a passphrase, which should follow
 * a person's click (Connect), not the view becoming visible.
 */
import * as vscode from 'vscode';
import { masterId, type JobRecord } from '../../../runtimes/src/slurm/index';
import type { ClusterService } from '../clusters/clusterService';
import { setting, settingChanged } from '../settings/settings';
import { isFinal, type JobEntry } from './jobEntry';
import type { JobStore } from './jobStore';
import { entryFromQueue, fieldsFromRecords, groupByJob } from './queueRecords';

const DEBOUNCE_MS = 300;
const MIN_INTERVAL_S = 2;

export class QueuePoller implements vscode.Disposable {
  private visible = false;
  private allUsers: boolean;
  private timer: NodeJS.Timeout | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  /** Other users' unfinished jobs per cluster (all-users view only), newest first; never persisted. */
  private readonly others = new Map<string, readonly JobEntry[]>();
  private readonly otherByKey = new Map<string, JobEntry>();
  /** Why the last listing of a cluster failed; cleared by the next that works. */
  private readonly errors = new Map<string, string>();
  /** The user's ended jobs from sacct (hpcJobs.jobs.historyDays), read at most once a minute per cluster; never persisted. */
  private readonly history = new Map<string, { readonly at: number; readonly days: number; readonly list: readonly JobEntry[]; readonly error?: string }>();
  private readonly changeEmitter = new vscode.EventEmitter<string>();
  /** A cluster's other-user jobs or listing error changed (the cluster's name). */
  readonly onDidChangeCluster = this.changeEmitter.event;
  private readonly cancellation = new vscode.CancellationTokenSource();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly store: JobStore,
    private readonly clusters: ClusterService,
    private readonly memento: vscode.Memento,
    private readonly log: (line: string) => void,
  ) {
    this.allUsers = memento.get<boolean>(ALL_USERS_KEY) ?? false;
    void vscode.commands.executeCommand('setContext', 'hpcJobs.showAllUsers', this.allUsers);
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (settingChanged(e, 'jobs.refreshInterval')) this.reschedule();
        if (settingChanged(e, 'jobs.historyDays')) this.requestRefresh();
      }),
      // A cluster that just connected (Connect, a submission) gets its listing without waiting a period.
      clusters.onDidChange((c) => { if (this.visible && (!c || c.status === 'connected')) this.requestRefresh(); }),
    );
  }

  get showingAllUsers(): boolean { return this.allUsers; }

  /** A listing is scheduled (only while the view is visible). */
  get polling(): boolean { return this.timer !== undefined || this.debounce !== undefined || this.inFlight.size > 0; }

  /** Jobs on a cluster that are not this window's: other users' (the all-users view) and the user's ended ones from accounting. */
  othersOf(cluster: string): readonly JobEntry[] {
    const others = this.others.get(cluster) ?? [];
    const ended = this.history.get(cluster)?.list ?? [];
    return ended.length ? [...others, ...ended] : others;
  }

  other(key: string): JobEntry | undefined {
    const other = this.otherByKey.get(key);
    if (other) return other;
    for (const h of this.history.values()) {
      const found = h.list.find((e) => e.key === key);
      if (found) return found;
    }
    return undefined;
  }

  /** Why the cluster's job history is missing (accounting off...), when asked for and it is. */
  historyErrorOf(cluster: string): string | undefined { return this.history.get(cluster)?.error; }

  /** Why the last queue listing of the cluster failed, if it did. */
  errorOf(cluster: string): string | undefined { return this.errors.get(cluster); }

  async setAllUsers(on: boolean): Promise<void> {
    this.allUsers = on;
    await this.memento.update(ALL_USERS_KEY, on);
    await vscode.commands.executeCommand('setContext', 'hpcJobs.showAllUsers', on);
    if (!on) for (const name of [...this.others.keys()]) this.setOthers(name, []);
    await this.refreshNow();
  }

  /** The view became visible or hidden: polling follows. */
  setVisible(visible: boolean): void {
    if (visible === this.visible) return;
    this.visible = visible;
    if (visible) this.requestRefresh();
    else this.stopTimers();
  }

  /** A debounced refresh (events, visibility); runs only while visible. */
  requestRefresh(): void {
    if (!this.visible || this.cancellation.token.isCancellationRequested) return;
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => { this.debounce = undefined; void this.refreshNow(false); }, DEBOUNCE_MS);
  }

  /**
   * Lists every eligible cluster now. `manual` (the Refresh button) also retries clusters
   * that were connected before and failed or closed; never one that was never connected.
   */
  async refreshNow(manual = true): Promise<void> {
    if (this.debounce) { clearTimeout(this.debounce); this.debounce = undefined; }
    const names = this.clusters.names.filter((n) => this.eligible(n, manual));
    await Promise.all(names.map((n) => this.refreshCluster(n)));
    this.reschedule();
  }

  private eligible(name: string, manual: boolean): boolean {
    const status = this.clusters.status(name).status;
    if (status === 'connected' || status === 'connecting' || status === 'reconnecting') return true;
    // 'failed' may be a Slurm command that failed over a connection that is fine.
    if (status === 'failed' && this.clusters.get(name).transport.state === 'connected') return true;
    if (this.store.all().some((e) => e.cluster === name && !isFinal(e.state))) return true;
    return manual && (status === 'failed' || status === 'closed');
  }

  /** One listing of one cluster; a request while one runs gets one more after it. */
  refreshCluster(name: string): Promise<void> {
    const running = this.inFlight.get(name);
    if (running) {
      this.again.add(name);
      return running;
    }
    const p = this.listOnce(name).finally(() => {
      this.inFlight.delete(name);
      if (this.again.delete(name)) void this.refreshCluster(name);
    });
    this.inFlight.set(name, p);
    return p;
  }

  private async listOnce(name: string): Promise<void> {
    const token = this.cancellation.token;
    try {
      const cluster = this.clusters.get(name);
      const allUsers = this.allUsers;
      let mine: JobRecord[];
      let others: JobRecord[] = [];
      if (!allUsers) {
        mine = await cluster.listJobs();
      } else {
        const [all, me] = await Promise.all([cluster.listJobs({ allUsers: true }), cluster.userName()]);
        // squeue's format-string mode names no user: ask once more for the user's own.
        const mineIds = all.some((r) => r.user === undefined)
          ? new Set((mine = await cluster.listJobs()).map(masterId))
          : new Set((mine = all.filter((r) => r.user === me)).map(masterId));
        others = all.filter((r) => !mineIds.has(masterId(r)));
      }
      if (token.isCancellationRequested || !this.clusters.config(name)) return;
      this.store.syncQueue(name, mine);
      await this.readHistory(name);
      if (allUsers && this.allUsers) this.setOthers(name, this.othersFrom(name, others));
      if (this.errors.delete(name)) this.changeEmitter.fire(name);
    } catch (err) {
      if (token.isCancellationRequested) return;
      const message = err instanceof Error ? err.message : String(err);
      if (this.errors.get(name) !== message) this.log(`Could not list the jobs of cluster "${name}": ${message}`);
      this.errors.set(name, message);
      // Not reached at all: the node says so and offers Connect. A Slurm error over a working connection stays a note on the node.
      if (this.clusters.get(name).transport.state !== 'connected') this.clusters.reportFailure(name, err);
      this.changeEmitter.fire(name);
    }
  }

  /** sacct is heavier than squeue and history changes slowly: once a minute, or when the setting changes. */
  private async readHistory(name: string): Promise<void> {
    const days = Math.min(HISTORY_MAX_DAYS, Math.max(0, Math.floor(setting('jobs.historyDays'))));
    const last = this.history.get(name);
    if (days === 0) {
      if (last && this.history.delete(name)) this.changeEmitter.fire(name);
      return;
    }
    if (last && last.days === days && Date.now() - last.at < HISTORY_PERIOD_MS) return;
    let next: { at: number; days: number; list: readonly JobEntry[]; error?: string };
    try {
      const records = await this.clusters.get(name).history({ amount: days, unit: 'days' });
      const now = Date.now();
      const list: JobEntry[] = [];
      for (const [id, recs] of groupByJob(records)) {
        const fields = fieldsFromRecords(id, recs);
        // Unfinished jobs come from the queue; sacct has no submit time here, so the row sorts by when it ran.
        if (isFinal(fields.state)) list.push(entryFromQueue(name, id, { ...fields, submittedAt: fields.submittedAt ?? fields.startedAt ?? fields.endedAt ?? now }, now));
      }
      next = { at: now, days, list };
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      if (last?.error !== error) this.log(`No job history for cluster "${name}": ${error}`);
      next = { at: Date.now(), days, list: [], error };
    }
    const changed = JSON.stringify(last?.list ?? []) !== JSON.stringify(next.list) || last?.error !== next.error;
    this.history.set(name, next);
    if (changed) this.changeEmitter.fire(name);
  }

  private othersFrom(cluster: string, records: readonly JobRecord[]): JobEntry[] {
    const now = Date.now();
    const out: JobEntry[] = [];
    for (const [id, recs] of groupByJob(records)) {
      const fields = fieldsFromRecords(id, recs);
      if (!isFinal(fields.state)) out.push(entryFromQueue(cluster, id, fields, now));
    }
    return out.sort((a, b) => b.submittedAt - a.submittedAt);
  }

  private setOthers(cluster: string, list: readonly JobEntry[]): void {
    const before = this.others.get(cluster) ?? [];
    if (before.length === 0 && list.length === 0) return;
    if (JSON.stringify(before) === JSON.stringify(list)) return;
    for (const e of before) this.otherByKey.delete(e.key);
    for (const e of list) this.otherByKey.set(e.key, e);
    if (list.length) this.others.set(cluster, list); else this.others.delete(cluster);
    this.changeEmitter.fire(cluster);
  }

  private reschedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.visible || this.cancellation.token.isCancellationRequested) return;
    const seconds = Math.max(MIN_INTERVAL_S, setting('jobs.refreshInterval'));
    this.timer = setTimeout(() => { this.timer = undefined; void this.refreshNow(false); }, seconds * 1000);
  }

  private stopTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.debounce) clearTimeout(this.debounce);
    this.timer = undefined;
    this.debounce = undefined;
  }

  dispose(): void {
    this.cancellation.cancel();
    this.cancellation.dispose();
    this.stopTimers();
    for (const d of this.disposables) d.dispose();
    this.changeEmitter.dispose();
  }
}

const ALL_USERS_KEY = 'hpcJobs.jobs.showAllUsers';
const HISTORY_PERIOD_MS = 60_000;
const HISTORY_MAX_DAYS = 30;
