/**
 * Reads how each Slurm job of the store went once it ends (one sacct call per job, a few
 * seconds after the end: accounting lags the queue), keeps it on the entry, and adds the
 * figures to the script's history for the right-size suggestion. Only over a connection that is
 * up: reading never opens one (that may ask for a host key or a passphrase).
 */
import * as vscode from 'vscode';
import type { ClusterService } from '../clusters/clusterService';
import { isFinal, requestFile, type JobEntry } from './jobEntry';
import type { JobStore } from './jobStore';
import { summaryOf } from './outcomeSummary';
import { figuresOf, type ScriptHistory } from './scriptHistory';

/** Seconds after the end before asking, then between tries while sacct has not caught up. */
const DELAYS_MS = [500, 1500, 3000, 6000, 12000];
/** Entries that ended longer ago than this are not read (a reload after a long pause). */
const MAX_AGE_MS = 7 * 86400_000;

export class OutcomeReader implements vscode.Disposable {
  private readonly tries = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  constructor(
    private readonly store: JobStore,
    private readonly clusters: ClusterService,
    private readonly history: ScriptHistory,
    private readonly log: (line: string) => void,
  ) {
    this.disposables.push(
      store.onDidChange((keys) => { for (const k of keys) this.consider(k); }),
      // A cluster that connects: read what waited for it.
      clusters.onDidChange((c) => { if (c?.status === 'connected') for (const e of store.all()) if (e.cluster === c.name) this.consider(e.key); }),
    );
    for (const e of store.all()) this.consider(e.key);
  }

  private wanted(e: JobEntry | undefined): e is JobEntry & { cluster: string } {
    return e !== undefined && e.cluster !== undefined && isFinal(e.state) && e.outcome === undefined
      && (e.endedAt === undefined || Date.now() - e.endedAt < MAX_AGE_MS);
  }

  private consider(key: string): void {
    if (this.disposed || this.timers.has(key) || !this.wanted(this.store.get(key))) return;
    const n = this.tries.get(key) ?? 0;
    if (n >= DELAYS_MS.length) return;
    this.timers.set(key, setTimeout(() => { this.timers.delete(key); void this.read(key); }, DELAYS_MS[n]));
  }

  private async read(key: string): Promise<void> {
    const e = this.store.get(key);
    if (this.disposed || !this.wanted(e)) return;
    if (!this.clusters.config(e.cluster) || this.clusters.get(e.cluster).transport.state !== 'connected') return;
    const n = (this.tries.get(key) ?? 0) + 1;
    this.tries.set(key, n);
    try {
      const outcomes = await this.clusters.get(e.cluster).outcomes([e.id]);
      const settled = outcomes.length > 0 && outcomes.every((o) => o.finished);
      if (!settled && n < DELAYS_MS.length) { this.consider(key); return; }
      const summary = summaryOf(outcomes);
      this.store.setOutcome(key, summary);
      const script = e.request?.target === 'slurm' ? requestFile(e.request) : undefined;
      const figures = script && outcomes.length === 1 ? figuresOf(e.id, e.endedAt ?? Date.now(), summary) : undefined;
      if (script && figures) await this.history.record(e.cluster, script, figures);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      // Accounting off says so for good; anything else is tried again a few times.
      if (/Accounting is off/.test(message) || n >= DELAYS_MS.length) {
        this.log(`No outcome for job ${e.id} on "${e.cluster}": ${message}`);
        this.store.setOutcome(key, { badge: '', note: message });
      } else {
        this.consider(key);
      }
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const d of this.disposables) d.dispose();
  }
}
