/**
 * A word when a job or run this window follows ends, if it ran at least
 * `hpcJobs.jobs.notifyAfterSeconds`: how it ended, how long it ran, and (Slurm) how it used what
 * it asked for, with Show Output and Resubmit — "with more memory / time" when it ended for lack
 * of it. A Slurm job's figures come from accounting a few seconds after the end: the word waits
 * for them a little, then goes without.
 */
import * as vscode from 'vscode';
import { setting } from '../settings/settings';
import type { Prompter } from '../ui/prompter';
import { endNotice } from './endNotice';
import { isFinal, type JobEntry } from './jobEntry';
import type { JobStore } from './jobStore';

/** How long a Slurm job's word waits for its figures. */
const OUTCOME_WAIT_MS = 10_000;

const RESUBMIT_MORE_COMMAND = 'hpcJobs.run.resubmitWithMore';

export class JobNotifier implements vscode.Disposable {
  private readonly states = new Map<string, JobEntry['state']>();
  private readonly waiting = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly store: JobStore, private readonly prompter: () => Prompter) {
    // Entries already ended (an earlier window) are not news.
    for (const e of store.all()) this.states.set(e.key, e.state);
    this.disposables.push(store.onDidChange((keys) => { for (const k of keys) this.changed(k); }));
  }

  private changed(key: string): void {
    const e = this.store.get(key);
    if (!e) { this.states.delete(key); return; }
    const before = this.states.get(key);
    this.states.set(key, e.state);
    if (this.waiting.has(key) && e.outcome) { this.flush(key); return; }
    if (!isFinal(e.state) || (before !== undefined && isFinal(before))) return;
    // Followed by this window: started here, or attached to. Never another user's job.
    if (!e.request && !this.store.handle(key)) return;
    const threshold = setting('jobs.notifyAfterSeconds');
    const ran = (e.endedAt ?? Date.now()) - (e.startedAt ?? e.submittedAt);
    if (threshold < 0 || ran < threshold * 1000) return;
    if (e.cluster && !e.outcome) {
      this.waiting.set(key, setTimeout(() => this.flush(key), OUTCOME_WAIT_MS));
      return;
    }
    this.notify(e);
  }

  private flush(key: string): void {
    const t = this.waiting.get(key);
    if (t) clearTimeout(t);
    this.waiting.delete(key);
    const e = this.store.get(key);
    if (e) this.notify(e);
  }

  private notify(e: JobEntry): void {
    const { text, severity, actions } = endNotice(e);
    const node = { kind: 'job' as const, key: e.key };
    void this.prompter().message('jobs.ended', text, { severity }, ...actions).then((choice) => {
      if (choice === 'Show Output') void vscode.commands.executeCommand('hpcJobs.jobs.showOutput', node);
      else if (choice === 'Resubmit' || choice === 'Run Again') void vscode.commands.executeCommand('hpcJobs.jobs.resubmit', node);
      else if (choice?.startsWith('Resubmit with More')) void vscode.commands.executeCommand(RESUBMIT_MORE_COMMAND, e.key);
    });
  }

  dispose(): void {
    for (const t of this.waiting.values()) clearTimeout(t);
    this.waiting.clear();
    for (const d of this.disposables) d.dispose();
  }
}
