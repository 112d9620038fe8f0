/**
 * A panel's search over its current view: run once over the lines in memory within a time
 * budget, then carried on over new lines (and what the budget left) at each flush. Plain Node.
 */
import { compileQuery, MAX_MATCHES, searchView, type LineView, type SearchQuery, type SearchResult } from './outputModel';
import type { SearchState, SearchStatus } from './outputProtocol';

/** A search the user types must not hold the extension host for long (a slow regex). */
const SEARCH_BUDGET_MS = 250;
const INCREMENTAL_SEARCH_BUDGET_MS = 20;

export interface ActiveSearch {
  readonly query: SearchQuery;
  readonly test?: (text: string) => boolean;
  positions: number[];
  /** Positions below this have been searched. */
  searchedTo: number;
  /** The match limit was reached: no more are looked for. */
  truncated?: 'matches';
  readonly error?: string;
}

/**
 * A new search over the view's lines in memory. `behind` is called when the budget ran out
 * before the end: the rest, and later lines, are searched on each flush.
 */
export function startSearch(view: LineView, query: SearchQuery, behind: () => void): ActiveSearch {
  const compiled = compileQuery(query);
  if ('error' in compiled) return { query, positions: [], searchedTo: view.count, error: compiled.error };
  view.sync();
  const r = searchView(view, compiled.test, view.firstInMemory, view.count, { maxMs: SEARCH_BUDGET_MS });
  const search: ActiveSearch = { query, test: compiled.test, positions: r.positions, searchedTo: view.count };
  continueSearch(search, r, view.count, behind);
  return search;
}

/**
 * Matches among the positions not yet searched, added to the search (whose evicted matches
 * go). A search slower than the output goes on where it stopped at the next flush, a slice of
 * time each, rather than stalling the host; lines that leave memory meanwhile are skipped.
 */
export function searchNew(s: ActiveSearch | undefined, view: LineView, behind: () => void): number[] | undefined {
  if (!s?.test || s.truncated) return undefined;
  const first = view.firstInMemory;
  if (s.positions.length > 0 && s.positions[0]! < first) s.positions.splice(0, lowerBound(s.positions, first));
  const r = searchView(view, s.test, s.searchedTo, view.count, { maxMatches: MAX_MATCHES - s.positions.length, maxMs: INCREMENTAL_SEARCH_BUDGET_MS });
  for (const p of r.positions) s.positions.push(p);
  continueSearch(s, r, view.count, behind);
  return r.positions.length > 0 ? r.positions : undefined;
}

function continueSearch(s: ActiveSearch, r: SearchResult, end: number, behind: () => void): void {
  if (r.truncated === 'time') {
    s.searchedTo = r.next ?? end;
    behind();
  } else {
    s.searchedTo = end;
    if (r.truncated) s.truncated = r.truncated;
  }
}

/** The search as the webview is told it; `count`: positions in the current view. */
export function searchState(s: ActiveSearch, count: number): SearchState {
  return { query: s.query, positions: s.positions, status: searchStatus(s, count), ...(s.error ? { error: s.error } : {}) };
}

export function searchStatus(s: ActiveSearch, count: number): SearchStatus {
  if (s.truncated) return 'limit';
  return s.test !== undefined && s.searchedTo < count ? 'searching' : 'done';
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
