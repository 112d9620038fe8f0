/**
 * The status bar item ("$(server-process) 2 running · $(plug) hpc") and the view's badge (the
 * running count). Both follow the store and the clusters, recomputed at most every 200 ms; the
 * item hides when nothing runs or waits and no cluster is connected. A click opens the view.
 */
import * as vscode from 'vscode';
import type { ClusterService } from '../clusters/clusterService';
import type { JobStore } from './jobStore';
import { statusBarText } from './jobPresentation';
import type { JobTreeElement, JobTreeProvider } from './jobTree';

const UPDATE_MS = 200;

export class JobStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private timer: NodeJS.Timeout | undefined;
  private current: { text: string; tooltip: string } | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    store: JobStore,
    private readonly clusters: ClusterService,
    private readonly tree: JobTreeProvider,
    private readonly view: vscode.TreeView<JobTreeElement>,
  ) {
    this.item = vscode.window.createStatusBarItem('hpcJobs.status', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'HPC Jobs';
    this.item.command = 'hpcJobs.jobs.focus';
    this.disposables.push(this.item, store.onDidChange(() => this.schedule()), clusters.onDidChange(() => this.schedule()));
    this.update();
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => { this.timer = undefined; this.update(); }, UPDATE_MS);
  }

  /** Recomputes now (also what tests call to avoid waiting). */
  update(): void {
    const { running, queued } = this.tree.counts();
    this.view.badge = running > 0 ? { value: running, tooltip: `${running} running` } : undefined;
    const shown = statusBarText({ running, queued, clusters: this.clusters.allStatuses() });
    this.current = shown;
    if (!shown) { this.item.hide(); return; }
    this.item.text = shown.text;
    this.item.tooltip = shown.tooltip;
    this.item.show();
  }

  /** What the item shows; undefined while hidden. */
  get shown(): { readonly text: string; readonly tooltip: string } | undefined { return this.current; }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
