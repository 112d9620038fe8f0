/**
 * The Jobs view: "This machine" and one node per cluster, their jobs newest first, array
 * tasks (or a finished local run's ranks) under their job. Elements are small objects cached
 * per key, so a store change refreshes just the rows it touched; a new or removed job
 * refreshes its parent; only a change of the top level redraws everything. Elapsed times tick
 * once a second while something runs and the view is visible.
 */
import * as vscode from 'vscode';
import type { ClusterService } from '../clusters/clusterService';
import { clusterStatusWords } from '../clusters/clusterStatus';
import type { JobEntry, JobUnit } from './jobEntry';
import {
  entryIcon, escapeMarkdown as escape, jobContextValue, jobDescription, jobTooltip, STATE_ICONS, taskContextValue,
  unitDescription, unitLabel, unitsOf, type StateIcon,
} from './jobPresentation';
import type { JobStore } from './jobStore';
import type { QueuePoller } from './queuePoller';

export interface MachineNode { readonly kind: 'machine' }
export interface ClusterNode { readonly kind: 'cluster'; readonly name: string }
export interface JobNode { readonly kind: 'job'; readonly key: string; readonly parent: MachineNode | ClusterNode }
export interface TaskNode { readonly kind: 'task'; readonly key: string; readonly index: number; readonly parent: JobNode }
export type JobTreeElement = MachineNode | ClusterNode | JobNode | TaskNode;

/** Tree events are gathered this long, so a burst of store changes redraws once. */
const COALESCE_MS = 30;
const TICK_MS = 1000;

export class JobTreeProvider implements vscode.TreeDataProvider<JobTreeElement>, vscode.Disposable {
  private readonly machine: MachineNode = { kind: 'machine' };
  private readonly clusterNodes = new Map<string, ClusterNode>();
  private readonly jobNodes = new Map<string, JobNode>();
  private readonly taskNodes = new Map<string, Map<number, TaskNode>>();
  private readonly changeEmitter = new vscode.EventEmitter<JobTreeElement | JobTreeElement[] | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly pending = new Set<JobTreeElement>();
  private pendingAll = false;
  private flushTimer: NodeJS.Timeout | undefined;
  private tickTimer: NodeJS.Timeout | undefined;
  private visible = false;
  private rootSignature = '';
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly store: JobStore, private readonly clusters: ClusterService, private readonly poller: QueuePoller) {
    this.rootSignature = this.signature();
    this.disposables.push(
      store.onDidChange((keys) => this.storeChanged(keys)),
      clusters.onDidChange((c) => {
        if (c && this.clusterNodes.has(c.name) && this.signature() === this.rootSignature) this.queue(this.clusterNodes.get(c.name)!);
        else this.queueAll();
      }),
      poller.onDidChangeCluster((name) => {
        const node = this.clusterNodes.get(name);
        if (node) this.queue(node); else this.queueAll();
      }),
    );
  }

  /** The entry behind a job or task element: this window's store, or another user's job in the queue. */
  entry(key: string): JobEntry | undefined {
    return this.store.get(key) ?? this.poller.other(key);
  }

  unit(node: TaskNode): JobUnit | undefined {
    const e = this.entry(node.key);
    return e ? unitsOf(e).find((u) => u.index === node.index) : undefined;
  }

  /** The view's visibility: elapsed times tick only while it shows. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    this.scheduleTick();
  }

  getParent(element: JobTreeElement): JobTreeElement | undefined {
    return element.kind === 'job' || element.kind === 'task' ? element.parent : undefined;
  }

  getChildren(element?: JobTreeElement): JobTreeElement[] {
    if (!element) return this.roots();
    switch (element.kind) {
      case 'machine': return this.store.all().filter((e) => !e.cluster).map((e) => this.jobNode(e.key, element));
      case 'cluster': return this.jobsOf(element.name).map((e) => this.jobNode(e.key, element));
      case 'job': {
        const e = this.entry(element.key);
        return e ? unitsOf(e).map((u) => this.taskNode(element, u.index)) : [];
      }
      case 'task': return [];
    }
  }

  getTreeItem(element: JobTreeElement): vscode.TreeItem {
    switch (element.kind) {
      case 'machine': return this.machineItem();
      case 'cluster': return this.clusterItem(element.name);
      case 'job': return this.jobItem(element);
      case 'task': return this.taskItem(element);
    }
  }

  /** Jobs that run and wait (this window's store: the badge and the status bar). */
  counts(): { running: number; queued: number } {
    let running = 0;
    let queued = 0;
    for (const e of this.store.all()) {
      if (e.state === 'running') running++;
      else if (e.state === 'queued') queued++;
    }
    return { running, queued };
  }

  /** Top-level nodes: none at all when there is nothing (the welcome text shows then). */
  private roots(): JobTreeElement[] {
    const all = this.store.all();
    const names = this.clusterNames(all);
    this.rootSignature = this.signature(all);
    if (all.length === 0 && names.length === 0) return [];
    for (const n of [...this.clusterNodes.keys()]) if (!names.includes(n)) this.clusterNodes.delete(n);
    return [this.machine, ...names.map((n) => this.clusterNode(n))];
  }

  /** Configured clusters, then clusters that only old entries still name (removed from the settings). */
  private clusterNames(all: readonly JobEntry[] = this.store.all()): string[] {
    const names = [...this.clusters.names];
    for (const e of all) if (e.cluster && !names.includes(e.cluster)) names.push(e.cluster);
    return names;
  }

  private signature(all: readonly JobEntry[] = this.store.all()): string {
    return `${all.length > 0}|${this.clusterNames(all).join('\n')}`;
  }

  private jobsOf(cluster: string): JobEntry[] {
    const mine = this.store.all().filter((e) => e.cluster === cluster);
    const others = this.poller.othersOf(cluster).filter((o) => !this.store.get(o.key));
    return others.length ? [...mine, ...others].sort((a, b) => b.submittedAt - a.submittedAt) : mine;
  }

  private clusterNode(name: string): ClusterNode {
    let n = this.clusterNodes.get(name);
    if (!n) { n = { kind: 'cluster', name }; this.clusterNodes.set(name, n); }
    return n;
  }

  private jobNode(key: string, parent: MachineNode | ClusterNode): JobNode {
    let n = this.jobNodes.get(key);
    if (!n || n.parent !== parent) { n = { kind: 'job', key, parent }; this.jobNodes.set(key, n); }
    return n;
  }

  private taskNode(parent: JobNode, index: number): TaskNode {
    let byIndex = this.taskNodes.get(parent.key);
    if (!byIndex) { byIndex = new Map(); this.taskNodes.set(parent.key, byIndex); }
    let n = byIndex.get(index);
    if (!n || n.parent !== parent) { n = { kind: 'task', key: parent.key, index, parent }; byIndex.set(index, n); }
    return n;
  }

  private machineItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('This machine', vscode.TreeItemCollapsibleState.Expanded);
    item.id = 'machine';
    item.contextValue = 'machine';
    item.iconPath = new vscode.ThemeIcon('vm');
    item.tooltip = 'Runs on this machine: worker pools, tasks, MPI ranks, GPUs, batch scripts run here';
    return item;
  }

  private clusterItem(name: string): vscode.TreeItem {
    const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `cluster:${name}`;
    item.iconPath = new vscode.ThemeIcon('server');
    if (!this.clusters.config(name)) {
      // Old entries of a cluster no longer in the settings: shown, but nothing to connect to.
      item.contextValue = 'removedCluster';
      item.description = 'not configured';
      item.tooltip = `"${name}" is no longer in the hpcJobs.clusters setting: its jobs are shown as last seen. Clear Finished Jobs removes them.`;
      return item;
    }
    const status = this.clusters.status(name);
    const listingError = this.poller.errorOf(name);
    item.contextValue = `cluster.${status.status}`;
    item.description = clusterStatusWords(status.status) + (listingError && status.status !== 'failed' ? ' · squeue failed' : '');
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown(`**${escape(name)}** — ${clusterStatusWords(status.status)}`);
    const config = this.clusters.config(name);
    tooltip.appendMarkdown(`  \n${escape(config?.ssh ? `ssh ${config.ssh}` : 'Slurm on this machine')}`);
    if (status.error) tooltip.appendMarkdown(`  \nError: ${escape(status.error)}`);
    if (listingError && listingError !== status.error) tooltip.appendMarkdown(`  \nQueue listing failed: ${escape(listingError)}`);
    const historyError = this.poller.historyErrorOf(name);
    if (historyError) tooltip.appendMarkdown(`  \nNo job history: ${escape(historyError)}`);
    if (status.status === 'notConnected') tooltip.appendMarkdown('  \nConnect to see your jobs in its queue.');
    if (this.poller.showingAllUsers) tooltip.appendMarkdown('  \nShowing the jobs of all users.');
    item.tooltip = tooltip;
    return item;
  }

  private jobItem(node: JobNode): vscode.TreeItem {
    const e = this.entry(node.key);
    if (!e) return new vscode.TreeItem('(removed)');
    const other = !this.store.get(node.key);
    const item = new vscode.TreeItem(e.name, unitsOf(e).length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = `job:${e.key}`;
    item.description = jobDescription(e, Date.now(), { showUser: other || this.poller.showingAllUsers });
    item.contextValue = jobContextValue(e);
    item.iconPath = themeIcon(entryIcon(e));
    item.tooltip = new vscode.MarkdownString(jobTooltip(e, Date.now()));
    return item;
  }

  private taskItem(node: TaskNode): vscode.TreeItem {
    const e = this.entry(node.key);
    const u = this.unit(node);
    if (!e || !u) return new vscode.TreeItem(`Task ${node.index}`);
    const item = new vscode.TreeItem(unitLabel(u), vscode.TreeItemCollapsibleState.None);
    item.id = `task:${e.key}:${u.index}`;
    item.description = unitDescription(u, e.cluster !== undefined);
    item.contextValue = taskContextValue(e, u);
    item.iconPath = stateIcon(u.state);
    const tip = [`${unitLabel(u)} of ${e.name}${e.cluster ? ` (job ${e.id}${u.jobId && u.jobId !== e.id ? `, own id ${u.jobId}` : ''})` : ''}`];
    if (u.slurmState) tip.push(`Slurm state: ${u.slurmState}`);
    if (u.reason) tip.push(`Reason: ${u.reason}`);
    if (u.exit) tip.push(u.exit.signal ? `Ended by ${u.exit.signal}` : `Exit code ${u.exit.code}`);
    item.tooltip = tip.join('\n');
    return item;
  }

  // ---- change events ----------------------------------------------------------------------

  private storeChanged(keys: readonly string[]): void {
    // Only an entry that came or went can change the top level; a state change cannot.
    const structural = keys.some((k) => !this.jobNodes.has(k) || !this.store.get(k));
    if (structural && this.signature() !== this.rootSignature) { this.queueAll(); return; }
    for (const key of keys) {
      const node = this.jobNodes.get(key);
      const e = this.store.get(key);
      if (!e) {
        // Removed: its parent loses a row.
        this.jobNodes.delete(key);
        this.taskNodes.delete(key);
        if (node) this.queue(node.parent);
        continue;
      }
      const parent = e.cluster ? this.clusterNodes.get(e.cluster) : this.machine;
      if (!node || !parent || node.parent !== parent) {
        // New (or not drawn yet): its parent gains a row.
        if (parent) this.queue(parent); else this.queueAll();
        continue;
      }
      this.queue(node);
    }
    if (keys.some((k) => this.store.get(k)?.state === 'running')) this.scheduleTick();
  }

  private queue(element: JobTreeElement): void {
    this.pending.add(element);
    this.scheduleFlush();
  }

  private queueAll(): void {
    this.pendingAll = true;
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    this.flushTimer ??= setTimeout(() => this.flush(), COALESCE_MS);
  }

  private flush(): void {
    this.flushTimer = undefined;
    if (this.pendingAll) {
      this.pendingAll = false;
      this.pending.clear();
      this.changeEmitter.fire(undefined);
      return;
    }
    if (this.pending.size === 0) return;
    // A parent being redrawn redraws its rows: they need no event of their own.
    const elements = [...this.pending].filter((el) => el.kind === 'machine' || el.kind === 'cluster' || !this.pending.has(el.parent));
    this.pending.clear();
    this.changeEmitter.fire(elements);
  }

  /**
   * Ticks while the view shows and a job of this window runs, redrawing the running rows
   * (other users' jobs update with each listing instead); stops when none runs.
   */
  private scheduleTick(): void {
    if (!this.visible) {
      if (this.tickTimer) clearInterval(this.tickTimer);
      this.tickTimer = undefined;
      return;
    }
    this.tickTimer ??= setInterval(() => {
      const running = [...this.jobNodes.values()].filter((n) => this.store.get(n.key)?.state === 'running');
      if (running.length === 0) {
        clearInterval(this.tickTimer);
        this.tickTimer = undefined;
        return;
      }
      for (const n of running) this.pending.add(n);
      this.scheduleFlush();
    }, TICK_MS);
  }

  /** Elapsed times are ticking (the view shows and a job of this window runs). */
  get ticking(): boolean { return this.tickTimer !== undefined; }

  /** Redraws everything (Refresh). */
  refresh(): void { this.queueAll(); }

  dispose(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.tickTimer) clearInterval(this.tickTimer);
    for (const d of this.disposables) d.dispose();
    this.changeEmitter.dispose();
  }
}

function stateIcon(state: JobEntry['state']): vscode.ThemeIcon {
  return themeIcon(STATE_ICONS[state]);
}

function themeIcon({ icon, color }: StateIcon): vscode.ThemeIcon {
  return new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
}

