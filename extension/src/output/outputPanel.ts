/**
 * One output panel per run: a webview (media/output/) over an OutputModel that lives here, in
 * the extension host. The webview is not kept alive while hidden (`retainContextWhenHidden:
 * false`); it asks again with `ready` when shown and is rebuilt from the model.
 *
 * Never blocking the extension host under a flood: each output batch costs O(batch) (model
 * append; the view, search and header only on the next flush); flushes are coalesced to one
 * message per 50 ms carrying at most MAX_LINES_PER_MESSAGE lines, and none while hidden.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { FINAL_STATES, type OutputLine, type OutputSource, type RunHandle, type UnitExit } from '../../../runtimes/src/runtime';
import { linePrefix } from '../../../runtimes/src/index';
import { stripAnsi } from './ansi';
import { appendWindow, BatchCoalescer } from './batchCoalescer';
import {
  compileQuery, filterKey, LineView, MAX_MATCHES, OutputModel, parseFilter, searchView,
  type OutputFilter, type OutputSources, type SearchQuery, type SearchResult,
} from './outputModel';
import {
  goneLine, MAX_LINES_PER_MESSAGE, parseWebviewMessage, toWireLine,
  type HostMessage, type SearchState, type SearchStatus, type ViewInfo, type WebviewMessage, type WireLine,
} from './outputProtocol';
import { GpuMetrics, RunHeader, unitWords, withExitUnits, type HeaderSnapshot } from './runHeader';
import { parseLogLine, RunLogReader } from './runLogReader';

export interface OutputPanelOptions {
  /** Shown in the title: "<name> — <state>". Default: the run id. */
  readonly name?: string;
  /** Lines kept in memory. */
  readonly maxLines?: number;
  readonly viewColumn?: vscode.ViewColumn;
  readonly preserveFocus?: boolean;
  /**
   * When the run began (ms since the epoch) as the caller knows it (the Jobs view's entry; for a
   * Slurm job, Slurm's start time), asked when the header needs it: its clock counts from there.
   */
  readonly startedAt?: () => number | undefined;
  /** How the job used what it had, as the Jobs view knows it once it ended (its outcome badge). */
  readonly outcome?: () => string | undefined;
}

/** What all panels share: the Wrap toggle, remembered. */
interface PanelPreferences {
  readonly wrap: () => boolean;
  readonly setWrap: (on: boolean) => void;
}

/** What the webview drew last: tests wait on it. */
export interface RenderedState { readonly count: number; readonly first: number; readonly rows: number }

const VIEW_TYPE = 'hpcJobs.output';
const WRAP_KEY = 'hpcJobs.output.wrap';
/** A search the user types must not hold the extension host for long (a slow regex). */
const SEARCH_BUDGET_MS = 250;
const INCREMENTAL_SEARCH_BUDGET_MS = 20;
const MAX_COPY_LINES = 200_000;

interface ActiveSearch {
  readonly query: SearchQuery;
  readonly test?: (text: string) => boolean;
  positions: number[];
  /** Positions below this have been searched. */
  searchedTo: number;
  /** The match limit was reached: no more are looked for. */
  truncated?: 'matches';
  readonly error?: string;
}

export class OutputPanel implements vscode.Disposable {
  readonly model: OutputModel;
  readonly panel: vscode.WebviewPanel;
  private readonly header: RunHeader;
  private readonly metrics = new GpuMetrics();
  private readonly reader: RunLogReader;
  private readonly coalescer: BatchCoalescer;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly name: string;
  /** Lines before the first one in memory can be read from the log (same numbering). */
  private historyInLog: boolean;
  /** Settles once the model's numbering matches the log's (a panel opened on an ended run). */
  private readonly aligned: Promise<void>;
  private view: LineView | undefined;
  private filter: OutputFilter = { kind: 'all' };
  private follow = true;
  private search: ActiveSearch | undefined;
  private webviewReady = false;
  private rows = 50;
  // What the webview has been told, so a flush sends only what changed.
  private sentCount = 0;
  private sentFirstInMemory = 0;
  private sentSources = -1;
  private sentMetrics = -1;
  private headerDirty = false;
  /** How the run's units ended, once it has: the filter lists them too. */
  private exits: readonly UnitExit[] = [];
  private sentExits: readonly UnitExit[] | undefined;
  private lastRendered: RenderedState | undefined;
  private readonly renderedEmitter = new vscode.EventEmitter<RenderedState>();
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  private disposed = false;
  /** The webview has drawn (tests, diagnostics). */
  readonly onDidRender = this.renderedEmitter.event;
  readonly onDidDispose = this.disposeEmitter.event;

  constructor(readonly run: RunHandle, extensionUri: vscode.Uri, options: OutputPanelOptions = {}, private readonly preferences?: PanelPreferences) {
    this.name = options.name ?? run.id;
    this.model = new OutputModel(options.maxLines !== undefined ? { maxLines: options.maxLines } : {});
    this.header = new RunHeader(run.state, Date.now, options.startedAt, unitWords(run.backend, run.launcherName));
    this.header.onOutcome(options.outcome?.());
    this.reader = new RunLogReader(run.logPath);
    this.coalescer = new BatchCoalescer(() => this.flush());

    // Opened after the run began: memory starts from the run's tail. Lines before it are in the
    // log, but their numbering is known only once the log is complete (the run has ended).
    const tail = run.tail?.() ?? [];
    const late = tail.length > 0 || (run.state !== 'queued' && !run.tail);
    this.model.append(tail);
    this.historyInLog = !late;
    this.aligned = late && FINAL_STATES.has(run.state)
      ? this.reader.countLines().then((n) => { this.historyInLog = this.model.alignToLog(n); }, () => undefined)
      : Promise.resolve();

    // A run in the run host's worker hands its output on packed: stored as it comes.
    const packed = run.capabilities?.packedOutput;
    this.subscriptions.push(
      packed
        ? packed((out) => { this.model.appendPacked(out.lines, out.sources); this.coalescer.notify(); })
        : run.onDidOutput((lines) => this.onOutput(lines)),
      run.onDidChangeState((change) => { this.header.onState(change); this.onHeader(); }),
      run.onDidMetric((m) => { this.metrics.add(m); this.coalescer.notify(); }),
    );
    void run.result.then((r) => { this.header.onResult(r); this.exits = r.exits; this.onHeader(); });

    const media = vscode.Uri.joinPath(extensionUri, 'media');
    this.panel = vscode.window.createWebviewPanel(VIEW_TYPE, this.title(), {
      viewColumn: options.viewColumn ?? vscode.ViewColumn.Active,
      preserveFocus: options.preserveFocus ?? false,
    }, {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [media],
    });
    // Webview panels take an image, not a codicon: two SVGs shipped in media/output/.
    this.panel.iconPath = {
      light: vscode.Uri.joinPath(media, 'output', 'run-light.svg'),
      dark: vscode.Uri.joinPath(media, 'output', 'run-dark.svg'),
    };
    this.panel.webview.html = webviewHtml(this.panel.webview, media);
    this.subscriptions.push(
      this.panel.webview.onDidReceiveMessage((raw: unknown) => {
        const msg = parseWebviewMessage(raw);
        if (msg) void this.onMessage(msg).catch((err: unknown) => this.showError(err));
      }),
      // Hidden: the webview is gone; nothing is posted until it says `ready` again.
      this.panel.onDidChangeViewState(() => { if (!this.panel.visible) this.webviewReady = false; }),
      this.panel.onDidDispose(() => this.dispose()),
    );
  }

  /** The webview's HTML (tests check its Content-Security-Policy). */
  get html(): string { return this.panel.webview.html; }

  /** What the webview drew last, once it has. */
  get rendered(): RenderedState | undefined { return this.lastRendered; }

  /** Long lines wrap, or not (the toggle was pressed in another panel). */
  setWrap(on: boolean): void { this.post({ type: 'wrap', on }); }

  /** What the Show filter offers: the ranks and tasks that printed, and those that exited. */
  sources(): OutputSources { return withExitUnits(this.model.sources(), this.exits); }

  /** What the header shows (state, clock, exits), as last sent to the webview. */
  /** A job's figures arrived (read from accounting after it ended). */
  setOutcome(badge: string): void {
    this.header.onOutcome(badge);
    this.onHeader();
  }

  get headerSnapshot(): HeaderSnapshot { return this.header.snapshot(); }

  reveal(): void { this.panel.reveal(); }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.coalescer.dispose();
    for (const s of this.subscriptions.splice(0)) s.dispose();
    this.panel.dispose();
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
    this.renderedEmitter.dispose();
  }

  private title(): string {
    return `${this.name} — ${this.header.snapshot().state}`;
  }

  private onOutput(lines: readonly OutputLine[]): void {
    this.model.append(lines);
    this.coalescer.notify();
  }

  private onHeader(): void {
    if (this.disposed) return;
    this.panel.title = this.title();
    this.headerDirty = true;
    // A state change is shown at once, with the lines that led to it.
    this.coalescer.flushNow();
  }

  private post(msg: HostMessage): void {
    if (this.webviewReady && !this.disposed) void this.panel.webview.postMessage(msg);
  }

  private viewInfo(view: LineView): ViewInfo {
    const firstInMemory = view.firstInMemory;
    return { count: view.count, firstInMemory, firstAvailable: this.historyInLog && this.filter.kind === 'all' ? 0 : firstInMemory };
  }

  /** The coalesced update: only what changed since the last one. */
  private flush(): void {
    const view = this.view;
    if (!this.webviewReady || !view || this.disposed) return;
    view.sync();
    if (this.model.sourcesVersion !== this.sentSources || this.exits !== this.sentExits) {
      this.sentSources = this.model.sourcesVersion;
      this.sentExits = this.exits;
      this.post({ type: 'sources', sources: this.sources() });
    }
    if (this.metrics.version !== this.sentMetrics) {
      this.sentMetrics = this.metrics.version;
      this.post({ type: 'metrics', metrics: this.metrics.snapshot() });
    }
    if (this.headerDirty) {
      this.headerDirty = false;
      this.post({ type: 'header', title: this.title(), header: this.header.snapshot() });
    }
    const count = view.count;
    const firstInMemory = view.firstInMemory;
    const searchBehind = this.search?.test !== undefined && !this.search.truncated && this.search.searchedTo < count;
    if (count === this.sentCount && firstInMemory === this.sentFirstInMemory && !searchBehind) return;
    const matches = this.searchNew(view);
    // Not following: the user reads older lines; the webview asks for new ones if it goes there.
    const w = this.follow ? appendWindow(this.sentCount, count, firstInMemory, this.linesPerScreenful()) : { first: count, end: count };
    this.sentCount = count;
    this.sentFirstInMemory = firstInMemory;
    this.post({
      type: 'append', view: this.viewInfo(view), lines: this.memoryLines(view, w.first, w.end),
      ...(matches ? { matches } : {}),
      ...(this.search?.test ? { searchStatus: this.searchStatus(this.search) } : {}),
    });
  }

  /**
   * Matches among the positions not yet searched, added to the search (whose evicted matches
   * go). A search slower than the output goes on where it stopped at the next flush, a slice of
   * time each, rather than stalling the host; lines that leave memory meanwhile are skipped.
   */
  private searchNew(view: LineView): number[] | undefined {
    const s = this.search;
    if (!s?.test || s.truncated) return undefined;
    const first = view.firstInMemory;
    if (s.positions.length > 0 && s.positions[0]! < first) s.positions.splice(0, lowerBound(s.positions, first));
    const r = searchView(view, s.test, s.searchedTo, view.count, { maxMatches: MAX_MATCHES - s.positions.length, maxMs: INCREMENTAL_SEARCH_BUDGET_MS });
    for (const p of r.positions) s.positions.push(p);
    this.continueSearch(s, r, view.count);
    return r.positions.length > 0 ? r.positions : undefined;
  }

  private continueSearch(s: ActiveSearch, r: SearchResult, end: number): void {
    if (r.truncated === 'time') {
      s.searchedTo = r.next ?? end;
      this.coalescer.notify();
    } else {
      s.searchedTo = end;
      if (r.truncated) s.truncated = r.truncated;
    }
  }

  private memoryLines(view: LineView, first: number, end: number): WireLine[] {
    const out: WireLine[] = [];
    for (let p = Math.max(first, view.firstInMemory); p < end; p++) {
      const line = view.line(p);
      out.push(line ? toWireLine(p, line, line.text) : goneLine(p));
    }
    return out;
  }

  /**
   * Lines of the current view at positions [first, first + count): from memory, else (view
   * `all`) from the log; undefined where neither has it.
   */
  async lines(first: number, count: number): Promise<({ source: OutputSource; text: string } | undefined)[]> {
    await this.aligned;
    const view = this.view ??= new LineView(this.model, this.filter);
    view.sync();
    return this.sourceLines(view, Math.max(0, first), Math.min(view.count, first + count));
  }

  private async sourceLines(view: LineView, first: number, end: number): Promise<({ source: OutputSource; text: string } | undefined)[]> {
    const out: ({ source: OutputSource; text: string } | undefined)[] = [];
    const firstInMemory = view.firstInMemory;
    if (first < firstInMemory && this.historyInLog && this.filter.kind === 'all') {
      const diskEnd = Math.min(end, firstInMemory);
      const raw = await this.reader.readLines(first, diskEnd - first);
      for (let p = first; p < diskEnd; p++) {
        const r = raw[p - first];
        out.push(r === undefined ? undefined : parseLogLine(r));
      }
    } else {
      for (let p = first; p < Math.min(end, firstInMemory); p++) out.push(undefined);
    }
    for (let p = Math.max(first, firstInMemory); p < end; p++) {
      const line = view.line(p);
      out.push(line ? { source: line, text: line.text } : undefined);
    }
    return out;
  }

  private async onMessage(msg: WebviewMessage): Promise<void> {
    switch (msg.type) {
      case 'ready': {
        await this.aligned;
        if (this.disposed) return;
        this.rows = Math.max(1, msg.rows);
        this.webviewReady = true;
        this.sendInit();
        return;
      }
      case 'requestLines': {
        const view = this.view;
        if (!view) return;
        const info = this.viewInfo(view);
        const first = Math.max(msg.first, info.firstAvailable);
        const end = Math.min(msg.first + msg.count, info.count);
        if (end <= first) { this.post({ type: 'lines', requestId: msg.requestId, view: info, lines: [] }); return; }
        const lines = (await this.sourceLines(view, first, end)).map((l, k) => (l ? toWireLine(first + k, l.source, l.text) : goneLine(first + k)));
        // The filter changed while the log was read: the answer is for a view that is gone.
        if (view !== this.view) return;
        this.post({ type: 'lines', requestId: msg.requestId, view: this.viewInfo(view), lines });
        return;
      }
      case 'filter': {
        const filter = parseFilter(msg.filter);
        if (!filter || filterKey(filter) === filterKey(this.filter) || !this.view) return;
        this.coalescer.flushNow(); // the old view's pending lines go first
        this.filter = filter;
        const view = this.view = new LineView(this.model, filter);
        if (this.search) this.runSearch(this.search.query);
        this.sentCount = view.count;
        this.sentFirstInMemory = view.firstInMemory;
        this.post({ type: 'view', filter: filterKey(filter), view: this.viewInfo(view), lines: this.lastLines(view), ...this.searchPart() });
        return;
      }
      case 'search': {
        if (!this.view) return;
        if (msg.query) this.runSearch(msg.query); else this.search = undefined;
        this.post({ type: 'search', ...this.searchPart() });
        return;
      }
      case 'follow':
        this.follow = msg.on;
        return;
      case 'wrap':
        this.preferences?.setWrap(msg.on);
        return;
      case 'cancel':
        await this.run.cancel();
        return;
      case 'openLog': {
        const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(this.run.logPath));
        await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
        return;
      }
      case 'copy': {
        const view = this.view;
        if (!view) return;
        const first = msg.first ?? view.firstInMemory;
        const end = Math.min(view.count, first + Math.min(msg.count ?? view.count, MAX_COPY_LINES));
        const lines = await this.sourceLines(view, first, end);
        const tagged = this.filter.kind === 'all' || this.filter.kind === 'stderr';
        const text = lines.filter((l) => l !== undefined).map((l) => (tagged ? linePrefix(l.source) : '') + stripAnsi(l.text)).join('\n');
        await vscode.env.clipboard.writeText(text);
        vscode.window.setStatusBarMessage(`HPC Jobs: copied ${lines.length} line${lines.length === 1 ? '' : 's'}`, 3000);
        return;
      }
      case 'rendered':
        this.lastRendered = { count: msg.count, first: msg.first, rows: msg.rows };
        this.renderedEmitter.fire(this.lastRendered);
        return;
    }
  }

  private sendInit(): void {
    const view = this.view ??= new LineView(this.model, this.filter);
    view.sync();
    if (this.search?.test) this.runSearch(this.search.query);
    this.sentCount = view.count;
    this.sentFirstInMemory = view.firstInMemory;
    this.sentSources = this.model.sourcesVersion;
    this.sentExits = this.exits;
    this.sentMetrics = this.metrics.version;
    this.headerDirty = false;
    this.post({
      type: 'init',
      title: this.title(),
      header: this.header.snapshot(),
      sources: this.sources(),
      filter: filterKey(this.filter),
      follow: this.follow,
      wrap: this.preferences?.wrap() ?? false,
      view: this.viewInfo(view),
      lines: this.lastLines(view),
      metrics: this.metrics.snapshot(),
      ...this.searchPart(),
    });
  }

  /** The newest lines: enough for a screen and some scrolling. */
  private lastLines(view: LineView): WireLine[] {
    const count = view.count;
    return this.memoryLines(view, Math.max(0, count - this.linesPerScreenful()), count);
  }

  /**
   * Lines one update carries: a few screens. A following webview shows only the newest; more
   * would cost the host parsing and serialising for nothing (the webview asks if it scrolls).
   */
  private linesPerScreenful(): number {
    return Math.min(MAX_LINES_PER_MESSAGE, Math.max(100, this.rows * 3));
  }

  private runSearch(query: SearchQuery): void {
    const compiled = compileQuery(query);
    const view = this.view!;
    if ('error' in compiled) { this.search = { query, positions: [], searchedTo: view.count, error: compiled.error }; return; }
    view.sync();
    const r = searchView(view, compiled.test, view.firstInMemory, view.count, { maxMs: SEARCH_BUDGET_MS });
    // The rest, and later lines, are searched on each flush.
    const search: ActiveSearch = { query, test: compiled.test, positions: r.positions, searchedTo: view.count };
    this.search = search;
    this.continueSearch(search, r, view.count);
  }

  private searchPart(): { search?: SearchState } {
    const s = this.search;
    if (!s) return {};
    return { search: { query: s.query, positions: s.positions, status: this.searchStatus(s), ...(s.error ? { error: s.error } : {}) } };
  }

  private searchStatus(s: ActiveSearch): SearchStatus {
    if (s.truncated) return 'limit';
    return s.test !== undefined && s.searchedTo < (this.view?.count ?? 0) ? 'searching' : 'done';
  }

  private showError(err: unknown): void {
    const detail = err instanceof Error ? err.message : String(err);
    void vscode.window.showErrorMessage(`HPC Jobs: ${detail}`);
  }
}

/**
 * The panels of all runs, one per run id. The composition root owns one of these (in
 * `context.subscriptions`); showing a run that has a panel reveals it.
 */
export class OutputPanels implements vscode.Disposable {
  private readonly panels = new Map<string, OutputPanel>();
  private readonly preferences: PanelPreferences;

  /** `memento`: where the Wrap toggle is remembered (the global state: it is a taste, not a project's). */
  constructor(private readonly extensionUri: vscode.Uri, memento?: vscode.Memento) {
    this.preferences = {
      wrap: () => memento?.get<boolean>(WRAP_KEY) ?? false,
      setWrap: (on) => {
        void memento?.update(WRAP_KEY, on);
        for (const p of this.panels.values()) p.setWrap(on);
      },
    };
  }

  /**
   * A run's panel: revealed if it has one, else opened in the column the output panels are in
   * (one column for all runs, not one more beside wherever the focus is), else where asked.
   */
  show(run: RunHandle, options: OutputPanelOptions = {}): OutputPanel {
    const existing = this.panels.get(run.id);
    if (existing) { existing.reveal(); return existing; }
    const column = this.outputColumn();
    const panel = new OutputPanel(run, this.extensionUri, column !== undefined ? { ...options, viewColumn: column } : options, this.preferences);
    this.panels.set(run.id, panel);
    panel.onDidDispose(() => { if (this.panels.get(run.id) === panel) this.panels.delete(run.id); });
    return panel;
  }

  get(runId: string): OutputPanel | undefined { return this.panels.get(runId); }

  /** The column of the newest open output panel. */
  private outputColumn(): vscode.ViewColumn | undefined {
    for (const p of [...this.panels.values()].reverse()) if (p.panel.viewColumn !== undefined) return p.panel.viewColumn;
    return undefined;
  }

  dispose(): void {
    for (const p of [...this.panels.values()]) p.dispose();
    this.panels.clear();
  }
}

/** A static page: no run text in it (that arrives by message and is set with textContent). */
function webviewHtml(webview: vscode.Webview, media: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(media, 'output', 'outputPanel.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(media, 'output', 'outputPanel.css'));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(style.toString())}">
<title>Run output</title>
</head>
<body>
<header id="header">
  <div class="header-row">
    <span id="state" class="badge" role="status">…</span>
    <span id="elapsed" class="elapsed" title="Run time"></span>
    <span id="exits" class="exits"></span>
    <span class="spacer"></span>
    <button id="cancel" type="button" title="End every process of the run">Cancel</button>
    <button id="openLog" type="button" title="Open the whole output log in an editor">Open Log</button>
  </div>
  <div id="summary" class="summary"></div>
  <div id="charts" class="charts" hidden></div>
</header>
<nav class="toolbar">
  <label class="filter-label">Show <select id="filter" title="Whose lines to show"><option value="all">All</option></select></label>
  <div class="search">
    <input id="search" type="search" placeholder="Search" aria-label="Search" spellcheck="false">
    <button id="searchCase" type="button" class="toggle" title="Match case" aria-pressed="false">Aa</button>
    <button id="searchRegex" type="button" class="toggle" title="Regular expression" aria-pressed="false">.*</button>
    <span id="matchCount" class="match-count"></span>
    <button id="prevMatch" type="button" title="Previous match (Shift+Enter)">↑</button>
    <button id="nextMatch" type="button" title="Next match (Enter)">↓</button>
  </div>
  <span class="spacer"></span>
  <button id="copy" type="button" title="Copy the selected lines, or every line of this view in memory">Copy</button>
  <button id="wrap" type="button" class="toggle" title="Wrap long lines (remembered)" aria-pressed="false">Wrap</button>
  <button id="follow" type="button" class="toggle" title="Keep the newest line in view" aria-pressed="true">Follow</button>
</nav>
<div id="scroller" class="scroller" tabindex="0">
  <div id="rows" class="rows" role="log" aria-live="off"></div>
  <div id="spacer" class="scroll-spacer"></div>
</div>
<div id="probe" class="row probe" aria-hidden="true">M</div>
<script nonce="${nonce}" src="${attr(script.toString())}"></script>
</body>
</html>`;
}

function attr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** First index of a sorted array whose value is >= x. */
function lowerBound(a: readonly number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1; else hi = mid;
  }
  return lo;
}
