/**
 * The output panel's webview: a header, a toolbar and a virtualised list of lines.
 * The lines live in the extension host (OutputModel); this page draws only the rows on screen
 * and asks the host for the positions it does not have. Output text is only ever set with
 * textContent; styles arrive as class names and #rrggbb colours, applied through the CSSOM.
 *
 * It runs in the webview, not in Node: esbuild bundles it into media/output/outputPanel.js (the
 * webview's only resource root), and its messages are typed by the protocol the host speaks
 * (extension/src/output/outputProtocol.ts), so a field one side renames fails the typecheck.
 */
import type { OutputSources } from '../src/output/outputModel';
import type { HostMessage, SearchState, SearchStatus, ViewInfo, WebviewMessage, WireLine } from '../src/output/outputProtocol';
import type { HeaderSnapshot } from '../src/output/runHeader';
import { showMetrics } from './gpuCharts';
import { drawHeader, showElapsed } from './headerView';
import { drawLine } from './lineRow';
import type {} from './webviewApi';

/** Kept by VS Code while the panel is hidden: where the reader was, and the search toggles. */
interface PanelState { readonly row?: number; readonly regex?: boolean; readonly caseSensitive?: boolean }

(function () {
  const vscode = acquireVsCodeApi<WebviewMessage, PanelState>();
  const saved = vscode.getState() ?? {};

  /** Browsers cap element heights (~33M px in Chromium); past this the scrollbar is scaled. */
  const MAX_SCROLL_PX = 8_000_000;
  /** Positions asked for at once, and cached around the screen. */
  const CHUNK = 256;
  const CACHE_LIMIT = 20_000;
  const OVERSCAN = 2;

  const $ = (id: string) => document.getElementById(id)!;
  const scroller = $('scroller');
  const rowsLayer = $('rows');
  const spacer = $('spacer');
  const filterSelect = $('filter') as HTMLSelectElement;
  const searchInput = $('search') as HTMLInputElement;
  const caseButton = $('searchCase');
  const regexButton = $('searchRegex');
  const matchCount = $('matchCount');
  const followButton = $('follow');
  const wrapButton = $('wrap');
  const cancelButton = $('cancel') as HTMLButtonElement;

  const state = {
    view: { count: 0, firstInMemory: 0, firstAvailable: 0 } as ViewInfo,
    /** position -> line */
    cache: new Map<number, WireLine>(),
    /** chunk index -> request id */
    inflight: new Map<number, number>(),
    nextRequest: 1,
    follow: true,
    /** Long lines wrap: rows are then as high as their text, laid out one under another. */
    wrap: false,
    filter: 'all',
    header: undefined as HeaderSnapshot | undefined,
    /** The last filter choices the host sent (relabelled when the header names the tasks). */
    sources: undefined as OutputSources | undefined,
    matches: [] as number[],
    searchStatus: 'done' as SearchStatus,
    searchError: undefined as string | undefined,
    currentMatch: -1,
    /** For highlighting inside rows. */
    highlight: undefined as RegExp | undefined,
    rowHeight: 18,
    /** Set before a scroll we cause, so the scroll handler does not take it for the user's. */
    programmaticScroll: false,
    renderQueued: false,
    lastRendered: '',
    /** First visible row (fractional), kept while lines stream in and the user reads. */
    anchorRow: typeof saved.row === 'number' ? saved.row : 0,
    initialised: false,
  };

  // --- Rows and scrolling ------------------------------------------------------------------

  function measureRowHeight() {
    const probe = $('probe');
    const h = probe.getBoundingClientRect().height;
    if (h > 4 && h < 200) state.rowHeight = h;
    probe.remove();
  }

  function viewportRows() {
    return Math.max(1, Math.floor(scroller.clientHeight / state.rowHeight));
  }

  /** Scroll height the list needs, capped (then the scrollbar maps to rows by ratio). */
  function totalPx() {
    return Math.min(state.view.count * state.rowHeight, MAX_SCROLL_PX);
  }

  function scaled() {
    return state.view.count * state.rowHeight > MAX_SCROLL_PX;
  }

  /** The first visible row, fractional, from the scroll position. */
  function rowAtScroll() {
    const maxScroll = Math.max(0, totalPx() - scroller.clientHeight);
    if (!scaled()) return scroller.scrollTop / state.rowHeight;
    const maxRow = Math.max(0, state.view.count - scroller.clientHeight / state.rowHeight);
    return maxScroll > 0 ? (scroller.scrollTop / maxScroll) * maxRow : 0;
  }

  function scrollToRow(row: number) {
    const maxScroll = Math.max(0, totalPx() - scroller.clientHeight);
    let top: number;
    if (!scaled()) top = row * state.rowHeight;
    else {
      const maxRow = Math.max(1, state.view.count - scroller.clientHeight / state.rowHeight);
      top = (row / maxRow) * maxScroll;
    }
    top = Math.max(0, Math.min(maxScroll, top));
    if (Math.abs(scroller.scrollTop - top) >= 1) {
      state.programmaticScroll = true;
      scroller.scrollTop = top;
    }
  }

  function scrollToBottom() {
    const max = scroller.scrollHeight - scroller.clientHeight;
    if (Math.abs(scroller.scrollTop - max) < 1) return;
    state.programmaticScroll = true;
    scroller.scrollTop = max;
  }

  function updateHeights() {
    spacer.style.height = `${Math.max(0, totalPx() - scroller.clientHeight)}px`;
    rowsLayer.style.height = `${scroller.clientHeight}px`;
  }

  /** After new lines: keep the newest in view when following, else the row the user reads. */
  function afterCountChange() {
    updateHeights();
    if (state.follow) scrollToBottom();
    else scrollToRow(state.anchorRow);
    queueRender();
  }

  function queueRender() {
    if (state.renderQueued) return;
    state.renderQueued = true;
    // rAF does not run in a hidden page; the timeout covers that.
    let done = false;
    const run = () => { if (!done) { done = true; state.renderQueued = false; render(); } };
    requestAnimationFrame(run);
    setTimeout(run, 100);
  }

  const rowPool: HTMLDivElement[] = [];

  function render() {
    const rowH = state.rowHeight;
    const visible = viewportRows();
    const row = rowAtScroll();
    const first = Math.max(0, Math.floor(row));
    const offset = scaled() ? 0 : (row - first) * rowH;
    const n = Math.min(visible + OVERSCAN, Math.max(0, state.view.count - first));
    while (rowPool.length < n) {
      const div = document.createElement('div');
      div.className = 'row';
      rowsLayer.appendChild(div);
      rowPool.push(div);
    }
    const currentPos = state.currentMatch >= 0 ? state.matches[state.currentMatch] : -1;
    for (let i = 0; i < rowPool.length; i++) {
      const div = rowPool[i]!;
      if (i >= n) { div.hidden = true; continue; }
      div.hidden = false;
      const pos = first + i;
      if (!state.wrap) div.style.transform = `translateY(${Math.round(i * rowH - offset)}px)`;
      drawRow(div, pos, pos === currentPos);
    }
    if (state.wrap) layoutWrapped(n, offset);
    requestMissing(first - visible, first + n + visible);
    if (!state.follow) {
      state.anchorRow = row;
      // The whole state: the search toggles are kept in it too.
      vscode.setState({ ...vscode.getState(), row });
    }
    const rendered = `${state.view.count}:${first}:${n}`;
    if (state.initialised && rendered !== state.lastRendered) {
      state.lastRendered = rendered;
      vscode.postMessage({ type: 'rendered', count: state.view.count, first, rows: n });
    }
  }

  /**
   * Wrapped rows differ in height: each is placed under the one before, measured. Following
   * (the newest line in view), they are stacked up from the bottom, so the newest line shows
   * however many lines the rows above it take.
   */
  function layoutWrapped(n: number, offset: number) {
    const heights: number[] = [];
    for (let i = 0; i < n; i++) heights.push(rowPool[i]!.offsetHeight || state.rowHeight);
    const total = heights.reduce((a, b) => a + b, 0);
    // Following a run whose lines overflow the view: the newest at the bottom. Fewer: from the top, as unwrapped.
    if (state.follow && total > scroller.clientHeight) {
      let y = scroller.clientHeight;
      for (let i = n - 1; i >= 0; i--) { y -= heights[i]!; rowPool[i]!.style.transform = `translateY(${Math.round(y)}px)`; }
    } else {
      let y = -offset;
      for (let i = 0; i < n; i++) { rowPool[i]!.style.transform = `translateY(${Math.round(y)}px)`; y += heights[i]!; }
    }
  }

  function setWrap(on: boolean, tellHost = true) {
    state.wrap = on;
    pressed(wrapButton, on);
    document.body.classList.toggle('wrap', on);
    if (tellHost) vscode.postMessage({ type: 'wrap', on });
    queueRender();
  }

  function prefixOf(line: WireLine) {
    if (state.filter !== 'all' && state.filter !== 'stderr') return '';
    if (line.sys) return '[hpc-jobs] ';
    if (line.rank !== undefined) return `[rank ${line.rank}] `;
    if (line.task !== undefined) return `[${taskWord()} ${line.task}] `;
    return '';
  }

  /** What a task is called in this run: "task", or "GPU" for a GPU run (its task n runs on GPU n). */
  function taskWord() {
    const w = state.header && state.header.taskWord;
    return typeof w === 'string' && /^[A-Za-z]{1,12}$/.test(w) ? w : 'task';
  }

  function drawRow(div: HTMLDivElement, pos: number, isCurrent: boolean) {
    const line = state.cache.get(pos);
    const key = line ? `${pos}|${isCurrent ? 1 : 0}|${state.highlight ? state.highlight.source + state.highlight.flags : ''}`
      : `missing${pos}|${pos < state.view.firstAvailable ? 1 : 0}`;
    if (div.dataset.key === key) return;
    div.dataset.key = key;
    div.dataset.pos = String(pos);
    div.textContent = '';
    let cls = 'row';
    if (!line) {
      cls += ' placeholder';
      div.textContent = pos < state.view.firstAvailable ? '(this line is no longer in memory: Open Log shows the whole output)' : '…';
      div.className = cls;
      return;
    }
    drawLine(div, line, prefixOf(line), isCurrent, state.highlight);
  }

  // --- Lines from the host ---------------------------------------------------------------

  function requestMissing(from: number, to: number) {
    const v = state.view;
    const first = Math.max(from, v.firstAvailable, 0);
    const end = Math.min(to, v.count);
    for (let c = Math.floor(first / CHUNK); c * CHUNK < end; c++) {
      if (state.inflight.has(c)) continue;
      const s = Math.max(c * CHUNK, v.firstAvailable);
      const e = Math.min((c + 1) * CHUNK, v.count);
      let missing = false;
      for (let p = Math.max(s, first); p < Math.min(e, end); p++) if (!state.cache.has(p)) { missing = true; break; }
      if (!missing) continue;
      const requestId = state.nextRequest++;
      state.inflight.set(c, requestId);
      vscode.postMessage({ type: 'requestLines', requestId, first: s, count: e - s });
    }
  }

  function storeLines(lines: readonly WireLine[]) {
    for (const l of lines) if (l && typeof l.p === 'number' && Array.isArray(l.spans)) state.cache.set(l.p, l);
    if (state.cache.size > CACHE_LIMIT) trimCache();
  }

  /** Keeps the lines near the screen; the host has them all. */
  function trimCache() {
    const first = Math.floor(rowAtScroll());
    const lo = first - CACHE_LIMIT / 4;
    const hi = first + viewportRows() + CACHE_LIMIT / 4;
    for (const p of state.cache.keys()) if (p < lo || p > hi) state.cache.delete(p);
  }

  function setView(view: ViewInfo) {
    state.view = view;
    // Matches on lines that left memory go, as they do in the host.
    if (state.matches.length > 0 && state.matches[0]! < view.firstInMemory) {
      const k = state.matches.findIndex((p) => p >= view.firstInMemory);
      state.matches.splice(0, k < 0 ? state.matches.length : k);
      state.currentMatch = -1;
      showMatchCount();
    }
  }

  function resetLines(view: ViewInfo, lines: readonly WireLine[]) {
    state.cache.clear();
    state.inflight.clear();
    for (const div of rowPool) div.dataset.key = '';
    setView(view);
    storeLines(lines);
  }

  // --- Header ------------------------------------------------------------------------------

  function showHeader(title: string, header: HeaderSnapshot) {
    const renamed = (state.header && state.header.taskWord) !== header.taskWord;
    state.header = header;
    if (renamed && state.sources) { showSources(state.sources, true); for (const div of rowPool) div.dataset.key = ''; queueRender(); }
    document.title = title;
    drawHeader(header);
    showElapsed(header);
  }

  setInterval(() => { if (state.header && !state.header.final) showElapsed(state.header); }, 1000);

  function showSources(sources: OutputSources, relabel = false) {
    state.sources = sources;
    const want: [string, string][] = [['all', 'All']];
    if (sources.stderr) want.push(['stderr', 'stderr']);
    for (const r of sources.ranks) want.push([`rank:${r}`, `Rank ${r}`]);
    const word = taskWord();
    for (const t of sources.tasks) want.push([`task:${t}`, `${word[0]!.toUpperCase()}${word.slice(1)} ${t}`]);
    const current = [...filterSelect.options].map((o) => o.value).join(',');
    if (!relabel && current === want.map((w) => w[0]).join(',')) return;
    filterSelect.textContent = '';
    for (const [value, label] of want) {
      const o = document.createElement('option');
      o.value = value;
      o.textContent = label;
      filterSelect.appendChild(o);
    }
    if (sources.moreRanks > 0 || sources.moreTasks > 0) {
      const o = document.createElement('option');
      o.disabled = true;
      o.textContent = `(${sources.moreRanks + sources.moreTasks} more not listed)`;
      filterSelect.appendChild(o);
    }
    filterSelect.value = state.filter;
  }

  // --- Search ------------------------------------------------------------------------------

  const searchOptions = { regex: !!saved.regex, caseSensitive: !!saved.caseSensitive };
  let searchTimer: ReturnType<typeof setTimeout> | undefined;

  function pressed(button: HTMLElement, on: boolean) {
    button.setAttribute('aria-pressed', on ? 'true' : 'false');
    button.classList.toggle('on', on);
  }

  function sendSearch() {
    const text = searchInput.value;
    vscode.setState({ ...vscode.getState(), regex: searchOptions.regex, caseSensitive: searchOptions.caseSensitive });
    vscode.postMessage({ type: 'search', query: text ? { text, regex: searchOptions.regex, caseSensitive: searchOptions.caseSensitive } : undefined });
  }

  function applySearch(search: SearchState | undefined) {
    state.matches = search ? [...search.positions] : [];
    state.searchStatus = search ? search.status : 'done';
    state.searchError = search && search.error;
    state.currentMatch = -1;
    state.highlight = undefined;
    if (search && !search.error && search.query.text) {
      const flags = search.query.caseSensitive ? 'g' : 'gi';
      try {
        state.highlight = new RegExp(search.query.regex ? search.query.text : search.query.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), flags);
      } catch { state.highlight = undefined; }
    }
    showMatchCount();
    for (const div of rowPool) div.dataset.key = '';
    queueRender();
  }

  function showMatchCount() {
    if (state.searchError) { matchCount.textContent = 'invalid'; matchCount.title = state.searchError; matchCount.className = 'match-count error'; return; }
    matchCount.className = 'match-count';
    matchCount.title = state.searchStatus === 'searching' ? 'Still searching (a slow search goes on in the background); only lines in memory are searched'
      : state.searchStatus === 'limit' ? 'Too many matches: the first ones are shown; only lines in memory are searched'
        : 'Only lines in memory are searched';
    if (!searchInput.value) { matchCount.textContent = ''; return; }
    const n = state.matches.length;
    const more = state.searchStatus === 'done' ? '' : '+';
    matchCount.textContent = n === 0 ? 'No results' : state.currentMatch >= 0 ? `${state.currentMatch + 1} of ${n}${more}` : `${n}${more} found`;
  }

  function gotoMatch(step: number) {
    const m = state.matches;
    if (m.length === 0) return;
    if (state.currentMatch < 0) {
      const top = rowAtScroll();
      const i = m.findIndex((p) => p >= top);
      state.currentMatch = step > 0 ? (i < 0 ? 0 : i) : (i <= 0 ? m.length - 1 : i - 1);
    } else {
      state.currentMatch = (state.currentMatch + step + m.length) % m.length;
    }
    setFollow(false);
    scrollToRow(m[state.currentMatch]! - Math.floor(viewportRows() / 2));
    showMatchCount();
    queueRender();
  }

  // --- Follow ------------------------------------------------------------------------------

  function setFollow(on: boolean, tellHost = true) {
    if (state.follow === on) return;
    state.follow = on;
    pressed(followButton, on);
    if (tellHost) vscode.postMessage({ type: 'follow', on });
    if (on) { scrollToBottom(); queueRender(); }
  }

  // --- Events ------------------------------------------------------------------------------

  scroller.addEventListener('scroll', () => {
    if (state.programmaticScroll) { state.programmaticScroll = false; queueRender(); return; }
    const atBottom = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 2;
    if (state.follow && !atBottom) setFollow(false);
    else if (!state.follow && atBottom) setFollow(true);
    queueRender();
  }, { passive: true });

  // Scrolling up by wheel or keys stops following at once, even while lines pour in.
  scroller.addEventListener('wheel', (e) => { if (e.deltaY < 0) setFollow(false); }, { passive: true });
  scroller.addEventListener('keydown', (e) => { if (e.key === 'PageUp' || e.key === 'ArrowUp' || e.key === 'Home') setFollow(false); });

  new ResizeObserver(() => { updateHeights(); if (state.follow) scrollToBottom(); queueRender(); }).observe(scroller);

  followButton.addEventListener('click', () => setFollow(!state.follow));
  wrapButton.addEventListener('click', () => setWrap(!state.wrap));
  cancelButton.addEventListener('click', () => vscode.postMessage({ type: 'cancel' }));
  $('openLog').addEventListener('click', () => vscode.postMessage({ type: 'openLog' }));
  $('copy').addEventListener('click', () => {
    const range = selectedRange();
    vscode.postMessage(range ? { type: 'copy', first: range[0], count: range[1] - range[0] + 1 } : { type: 'copy' });
  });
  filterSelect.addEventListener('change', () => {
    state.filter = filterSelect.value;
    vscode.postMessage({ type: 'filter', filter: filterSelect.value });
  });
  searchInput.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(sendSearch, 200);
  });
  searchInput.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') { e.preventDefault(); gotoMatch(e.shiftKey ? -1 : 1); }
    if (e.key === 'Escape') { searchInput.value = ''; sendSearch(); }
  });
  caseButton.addEventListener('click', () => { searchOptions.caseSensitive = !searchOptions.caseSensitive; pressed(caseButton, searchOptions.caseSensitive); sendSearch(); });
  regexButton.addEventListener('click', () => { searchOptions.regex = !searchOptions.regex; pressed(regexButton, searchOptions.regex); sendSearch(); });
  $('nextMatch').addEventListener('click', () => gotoMatch(1));
  $('prevMatch').addEventListener('click', () => gotoMatch(-1));
  document.addEventListener('keydown', (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key === 'f') { e.preventDefault(); searchInput.focus(); searchInput.select(); }
    if (e.key === 'End' && document.activeElement === scroller) { e.preventDefault(); setFollow(true); }
  });

  /** Positions of the first and last selected rows, if the selection is in the list. */
  function selectedRange(): [number, number] | undefined {
    const sel = window.getSelection();
    if (!sel || sel.isCollapsed || !sel.anchorNode || !sel.focusNode) return undefined;
    const rowOf = (node: Node) => {
      const el = node.nodeType === Node.ELEMENT_NODE ? node as Element : node.parentElement;
      const row = el && el.closest<HTMLElement>('.row');
      return row && rowsLayer.contains(row) ? Number(row.dataset.pos) : NaN;
    };
    const a = rowOf(sel.anchorNode);
    const b = rowOf(sel.focusNode);
    if (!Number.isInteger(a) || !Number.isInteger(b)) return undefined;
    return [Math.min(a, b), Math.max(a, b)];
  }

  window.addEventListener('message', (event: MessageEvent<HostMessage | undefined>) => {
    const msg = event.data;
    if (!msg || typeof msg.type !== 'string') return;
    switch (msg.type) {
      case 'init': {
        state.initialised = true;
        state.filter = msg.filter;
        state.follow = msg.follow;
        pressed(followButton, msg.follow);
        setWrap(!!msg.wrap, false);
        showHeader(msg.title, msg.header);
        showSources(msg.sources);
        showMetrics($('charts'), msg.metrics);
        resetLines(msg.view, msg.lines);
        // The box first: the match count is shown only beside a search text.
        if (msg.search) searchInput.value = msg.search.query.text;
        applySearch(msg.search);
        afterCountChange();
        break;
      }
      case 'append':
        setView(msg.view);
        storeLines(msg.lines);
        if (msg.matches) for (const p of msg.matches) state.matches.push(p);
        if (msg.searchStatus) state.searchStatus = msg.searchStatus;
        if (msg.matches || msg.searchStatus) showMatchCount();
        afterCountChange();
        break;
      case 'lines':
        for (const [chunk, id] of state.inflight) if (id === msg.requestId) state.inflight.delete(chunk);
        setView(msg.view);
        storeLines(msg.lines);
        updateHeights();
        queueRender();
        break;
      case 'view':
        state.filter = msg.filter;
        filterSelect.value = msg.filter;
        resetLines(msg.view, msg.lines);
        applySearch(msg.search);
        state.anchorRow = 0;
        afterCountChange();
        break;
      case 'header': showHeader(msg.title, msg.header); break;
      case 'sources': showSources(msg.sources); break;
      case 'metrics': showMetrics($('charts'), msg.metrics); break;
      case 'search': applySearch(msg.search); break;
      case 'follow': setFollow(!!msg.on, false); break;
      case 'wrap': setWrap(!!msg.on, false); break;
    }
  });

  pressed(caseButton, searchOptions.caseSensitive);
  pressed(regexButton, searchOptions.regex);
  measureRowHeight();
  updateHeights();
  vscode.postMessage({ type: 'ready', rows: viewportRows() });
})();
