/**
 * The messages between an output panel (extension host) and its webview
 * (extension/webview/outputPanel.ts), and the checks on what the webview sends. Plain Node.
 *
 * Positions are those of the current view (see LineView): in `all` the global line index.
 */
import type { OutputSource } from '../../../runtimes/src/runtime';
import { parseAnsi, type AnsiSpan } from './ansi';
import type { OutputSources, SearchQuery } from './outputModel';
import type { GpuSeries, HeaderSnapshot } from './runHeader';

/** One row as the webview draws it. */
export interface WireLine {
  readonly p: number;
  readonly rank?: number;
  readonly task?: number;
  readonly err?: true;
  readonly sys?: true;
  readonly spans: readonly AnsiSpan[];
  /** Characters left off the end (the full line is in Copy and in the log). */
  readonly cut?: number;
  /** Not in memory and not found in the log. */
  readonly gone?: true;
}

export interface ViewInfo {
  /** Positions in the view. */
  readonly count: number;
  /** Positions before this are only in the log. */
  readonly firstInMemory: number;
  /** Positions before this cannot be shown at all (left memory, no log to read). */
  readonly firstAvailable: number;
}

/** `searching`: a slow search goes on in slices as the host has time; `limit`: MAX_MATCHES reached. */
export type SearchStatus = 'done' | 'searching' | 'limit';

export interface SearchState {
  readonly query: SearchQuery;
  /** Matching positions in memory, ascending. */
  readonly positions: readonly number[];
  readonly status: SearchStatus;
  readonly error?: string;
}

export type HostMessage =
  | {
    readonly type: 'init';
    readonly title: string;
    readonly header: HeaderSnapshot;
    readonly sources: OutputSources;
    readonly filter: string;
    readonly follow: boolean;
    /** Long lines wrap (remembered across panels and windows). */
    readonly wrap: boolean;
    readonly view: ViewInfo;
    readonly lines: readonly WireLine[];
    readonly search?: SearchState;
    readonly metrics: readonly GpuSeries[];
  }
  | {
    readonly type: 'append';
    readonly view: ViewInfo;
    readonly lines: readonly WireLine[];
    /** New matches of the active search (all above those sent before), and how it stands. */
    readonly matches?: readonly number[];
    readonly searchStatus?: SearchStatus;
  }
  | { readonly type: 'lines'; readonly requestId: number; readonly view: ViewInfo; readonly lines: readonly WireLine[] }
  | { readonly type: 'view'; readonly filter: string; readonly view: ViewInfo; readonly lines: readonly WireLine[]; readonly search?: SearchState }
  | { readonly type: 'header'; readonly title: string; readonly header: HeaderSnapshot }
  | { readonly type: 'sources'; readonly sources: OutputSources }
  | { readonly type: 'metrics'; readonly metrics: readonly GpuSeries[] }
  | { readonly type: 'search'; readonly search?: SearchState }
  | { readonly type: 'follow'; readonly on: boolean }
  | { readonly type: 'wrap'; readonly on: boolean };

export type WebviewMessage =
  /** The script has loaded; `rows` fit on screen. */
  | { readonly type: 'ready'; readonly rows: number }
  | { readonly type: 'requestLines'; readonly requestId: number; readonly first: number; readonly count: number }
  | { readonly type: 'filter'; readonly filter: string }
  | { readonly type: 'search'; readonly query?: SearchQuery }
  | { readonly type: 'follow'; readonly on: boolean }
  | { readonly type: 'wrap'; readonly on: boolean }
  | { readonly type: 'cancel' }
  | { readonly type: 'openLog' }
  /** Copy positions [first, first + count), or the whole view in memory. */
  | { readonly type: 'copy'; readonly first?: number; readonly count?: number }
  /** What the webview drew last (for tests and diagnostics). */
  | { readonly type: 'rendered'; readonly count: number; readonly first: number; readonly rows: number };

/** Lines one request may ask for, and one message may carry. */
export const MAX_LINES_PER_MESSAGE = 1000;
/** Characters of a search text; the search box takes no more (a longer one would not be searched). */
export const MAX_SEARCH_CHARS = 1000;
/** Characters of one line drawn; longer ones are cut (a row is one line high, or a few when wrapped). */
export const DISPLAY_MAX_CHARS = 4096;

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** A message from the webview, checked field by field; undefined for anything malformed. */
export function parseWebviewMessage(raw: unknown): WebviewMessage | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return { type: 'ready', rows: isCount(m.rows) ? Math.min(m.rows, MAX_LINES_PER_MESSAGE) : 50 };
    case 'requestLines':
      if (!isCount(m.requestId) || !isCount(m.first) || !isCount(m.count)) return undefined;
      return { type: 'requestLines', requestId: m.requestId, first: m.first, count: Math.min(m.count, MAX_LINES_PER_MESSAGE) };
    case 'filter':
      return typeof m.filter === 'string' && m.filter.length <= 32 ? { type: 'filter', filter: m.filter } : undefined;
    case 'search': {
      if (m.query === undefined || m.query === null) return { type: 'search' };
      const q = m.query as Record<string, unknown>;
      if (typeof q !== 'object' || typeof q.text !== 'string' || q.text.length > MAX_SEARCH_CHARS) return undefined;
      return { type: 'search', query: { text: q.text, regex: q.regex === true, caseSensitive: q.caseSensitive === true } };
    }
    case 'follow': case 'wrap':
      return typeof m.on === 'boolean' ? { type: m.type, on: m.on } : undefined;
    case 'cancel': case 'openLog':
      return { type: m.type };
    case 'copy':
      if (m.first === undefined && m.count === undefined) return { type: 'copy' };
      return isCount(m.first) && isCount(m.count) ? { type: 'copy', first: m.first, count: m.count } : undefined;
    case 'rendered':
      return isCount(m.count) && isCount(m.first) && isCount(m.rows) ? { type: 'rendered', count: m.count, first: m.first, rows: m.rows } : undefined;
    default:
      return undefined;
  }
}

/** A line ready to draw: its source, its text as styled spans, cut to what a row shows. */
export function toWireLine(position: number, source: OutputSource, text: string): WireLine {
  const cut = text.length > DISPLAY_MAX_CHARS ? text.length - DISPLAY_MAX_CHARS : 0;
  return {
    p: position,
    ...(source.rank !== undefined ? { rank: source.rank } : {}),
    ...(source.task !== undefined ? { task: source.task } : {}),
    // The extension's own notes travel on stderr (so the CLI keeps them off stdout) but are not the program's errors.
    ...(source.stream === 'stderr' && !source.system ? { err: true as const } : {}),
    ...(source.system ? { sys: true as const } : {}),
    spans: parseAnsi(cut > 0 ? text.slice(0, DISPLAY_MAX_CHARS) : text),
    ...(cut > 0 ? { cut } : {}),
  };
}

export function goneLine(position: number): WireLine {
  return { p: position, spans: [], gone: true };
}
