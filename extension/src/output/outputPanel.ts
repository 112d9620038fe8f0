/**
 * One output panel per run: a webview (media/output/) over an OutputModel that lives here, in
 * the extension host. The webview is not kept alive while hidden (`retainContextWhenHidden:
 * false`); it asks again with `ready` when shown and is rebuilt from the model.
 *
 * Never blocking the extension host under a flood: each output batch costs O(batch) (model
 * append; the view, search and header only on the next flush); flushes are coalesced to one
 * message per 50 ms carrying at most MAX_LINES_PER_MESSAGE lines, and none while hidden.
 */
import * as vscode from 'vscode';
import { FINAL_STATES, type OutputLine, type RunHandle, type UnitExit } from '../../../runtimes/src/runtime';
import { linePrefix } from '../../../runtimes/src/index';
import { stripAnsi } from './ansi';
import { appendWindow, BatchCoalescer } from './batchCoalescer';
import { filterKey, LineView, OutputModel, parseFilter, type OutputFilter, type OutputSources, type SearchQuery } from './outputModel';
import { webviewHtml } from './outputPanelHtml';
import {
  goneLine, MAX_LINES_PER_MESSAGE, parseWebviewMessage, toWireLine,
  type HostMessage, type SearchState, type ViewInfo, type WebviewMessage, type WireLine,
} from './outputProtocol';
import { searchNew, searchState, searchStatus, startSearch, type ActiveSearch } from './outputSearch';
import { GpuMetrics, RunHeader, unitWords, withExitUnits, type HeaderSnapshot } from './runHeader';
import { RunLogReader } from './runLogReader';
import { memoryLines, viewLines, type SourceLine } from './viewLines';

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
export interface PanelPreferences {
  readonly wrap: () => boolean;
  readonly setWrap: (on: boolean) => void;
}

/** What the webview drew last: tests wait on it. */
export interface RenderedState { readonly count: number; readonly first: number; readonly rows: number }

const VIEW_TYPE = 'hpcJobs.output';
const MAX_COPY_LINES = 200_000;

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

  /** A job's figures arrived (read from accounting after it ended). */
  setOutcome(badge: string): void {
    this.header.onOutcome(badge);
    this.onHeader();
  }

  /** What the header shows (state, clock, exits), as last sent to the webview. */
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

  /** Lines before memory are read from the log: only in view `all`, once its numbering is known. */
  private fromLog(): RunLogReader | undefined {
    return this.historyInLog && this.filter.kind === 'all' ? this.reader : undefined;
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
    const matches = searchNew(this.search, view, () => this.coalescer.notify());
    // Not following: the user reads older lines; the webview asks for new ones if it goes there.
    const w = this.follow ? appendWindow(this.sentCount, count, firstInMemory, this.linesPerScreenful()) : { first: count, end: count };
    this.sentCount = count;
    this.sentFirstInMemory = firstInMemory;
    this.post({
      type: 'append', view: this.viewInfo(view), lines: memoryLines(view, w.first, w.end),
      ...(matches ? { matches } : {}),
      ...(this.search?.test ? { searchStatus: searchStatus(this.search, view.count) } : {}),
    });
  }

  /**
   * Lines of the current view at positions [first, first + count): from memory, else (view
   * `all`) from the log; undefined where neither has it.
   */
  async lines(first: number, count: number): Promise<(SourceLine | undefined)[]> {
    await this.aligned;
    const view = this.view ??= new LineView(this.model, this.filter);
    view.sync();
    return viewLines(view, this.fromLog(), Math.max(0, first), Math.min(view.count, first + count));
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
        const lines = (await viewLines(view, this.fromLog(), first, end)).map((l, k) => (l ? toWireLine(first + k, l.source, l.text) : goneLine(first + k)));
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
        const lines = await viewLines(view, this.fromLog(), first, end);
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
    return memoryLines(view, Math.max(0, count - this.linesPerScreenful()), count);
  }

  /**
   * Lines one update carries: a few screens. A following webview shows only the newest; more
   * would cost the host parsing and serialising for nothing (the webview asks if it scrolls).
   */
  private linesPerScreenful(): number {
    return Math.min(MAX_LINES_PER_MESSAGE, Math.max(100, this.rows * 3));
  }

  private runSearch(query: SearchQuery): void {
    this.search = startSearch(this.view!, query, () => this.coalescer.notify());
  }

  private searchPart(): { search?: SearchState } {
    return this.search ? { search: searchState(this.search, this.view?.count ?? 0) } : {};
  }

  private showError(err: unknown): void {
    const detail = err instanceof Error ? err.message : String(err);
    void vscode.window.showErrorMessage(`HPC Jobs: ${detail}`);
  }
}
