/**
 * Splits the text after `#SBATCH` into words exactly as sbatch's `get_argument()` does
 * (src/sbatch/opt.c): whitespace separates words, single and double quotes group, a
 * backslash takes the next character literally (`\ ` keeps a space), and an unquoted,
 * unescaped `#` ends the line. A word that yields no characters (`""`) ends the line too,
 * because sbatch's scanner returns "no more arguments" for it.
 */

export interface Token {
  /** The word as sbatch sees it, quotes and escapes removed. */
  readonly text: string;
  /** 0-based line of the script. */
  readonly line: number;
  /** Columns of the raw word in the line, end exclusive. */
  readonly start: number;
  readonly end: number;
  /** Column in the line of each character of `text`; `columns[text.length]` is `end`. */
  readonly columns: readonly number[];
  /** Whether quotes or escapes were used, i.e. `text` differs from the raw slice. */
  readonly quoted: boolean;
  /**
   * Indexes in `text` of spaces written as an unquoted `\ `. This keeps the space only from
   * Slurm 24.05 on (commit d44b67f7be); before, the word ends there. See readOptions().
   */
  readonly escapedSpaces?: readonly number[];
}

export type TokenizeProblem =
  | { readonly kind: 'unmatchedQuote'; readonly quote: '"' | "'"; readonly column: number }
  | { readonly kind: 'unexpectedColon'; readonly column: number };

export interface TokenizedLine {
  readonly tokens: Token[];
  /** Where sbatch stops reading the line before its end, and why. */
  readonly rest?: { readonly column: number; readonly reason: 'comment' | 'emptyWord' };
  readonly problem?: TokenizeProblem;
}

/** C `isspace` in the "C" locale. */
export function isCSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\v' || ch === '\f' || ch === '\r';
}

/** `isCSpace` of a char code: space, \t \n \v \f \r. */
function isCSpaceCode(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/**
 * `from`..`to - 1`, sized exactly where that is cheap: a directive line of 2 million short
 * words held 2 million arrays that `push` had grown to 17 slots (1.5 GB of heap for 4 MB).
 */
function columnRange(from: number, to: number): number[] {
  const out: number[] = to - from <= 1024 ? new Array<number>(to - from) : [];
  for (let c = from, i = 0; c < to; c++, i++) out[i] = c;
  return out;
}

/** Tokenizes `lineText` from column `from` (just after the magic word). */
export function tokenizeDirective(lineText: string, line: number, from: number): TokenizedLine {
  const tokens: Token[] = [];
  let pos = from;
  const n = lineText.length;
  for (;;) {
    while (pos < n && isCSpace(lineText[pos])) pos++;
    if (pos >= n) return { tokens };
    if (lineText[pos] === ':') return { tokens, problem: { kind: 'unexpectedColon', column: pos } };

    const start = pos;
    let text = '';
    // Filled once the word has a quote or escape; a plain word's columns are start..end.
    let columns: number[] | undefined;
    let quote: '"' | "'" | undefined;
    let quoteColumn = 0;
    let quoted = false;
    let commentColumn: number | undefined;
    let escapedSpaces: number[] | undefined;
    // Plain characters are copied a run at a time (a slice), not one `+=` each: a 4 MB word
    // made 4 million strings for the collector (seconds of linting).
    let run = -1;
    while (pos < n && (quote !== undefined || !isCSpaceCode(lineText.charCodeAt(pos)))) {
      const code = lineText.charCodeAt(pos);
      // Fast path: a plain character (not \ " ' #) joins the run.
      if (code !== 92 && code !== 34 && code !== 39 && code !== 35) {
        if (run < 0) run = pos;
        columns?.push(pos);
        pos++;
        continue;
      }
      const ch = lineText[pos]!;
      if (ch === '\\' || (quote !== undefined ? ch === quote : ch === '"' || ch === "'" || ch === '#')) {
        if (run >= 0) { text += lineText.slice(run, pos); run = -1; }
      }
      if (ch === '\\' || ch === '"' || ch === "'") columns ??= columnRange(start, pos);
      if (ch === '\\') {
        quoted = true;
        pos++;
        if (pos >= n) break;
        // sbatch re-tests the loop condition before copying an escaped character, so an
        // escaped tab outside quotes still ends the word; an escaped space does not.
        if (lineText[pos] !== ' ' && quote === undefined && isCSpace(lineText[pos])) break;
        if (lineText[pos] === ' ' && quote === undefined) (escapedSpaces ??= []).push(columns!.length);
        columns!.push(pos);
        text += lineText[pos++];
        continue;
      }
      if (quote !== undefined) {
        if (ch === quote) { quote = undefined; pos++; continue; }
      } else if (ch === '"' || ch === "'") {
        quote = ch; quoteColumn = pos; quoted = true; pos++;
        continue;
      } else if (ch === '#') {
        commentColumn = pos;
        break;
      }
      if (run < 0) run = pos;
      columns!.push(pos);
      pos++;
    }
    if (run >= 0) text += lineText.slice(run, pos);
    if (quote !== undefined) {
      return { tokens, problem: { kind: 'unmatchedQuote', quote, column: quoteColumn } };
    }
    if (commentColumn !== undefined && text.length === 0) {
      return { tokens, rest: { column: commentColumn, reason: 'comment' } };
    }
    if (text.length === 0) {
      // sbatch's scanner returns "no more arguments" for a word with no characters.
      while (pos < n && isCSpace(lineText[pos])) pos++;
      return pos < n ? { tokens, rest: { column: start, reason: 'emptyWord' } } : { tokens };
    }
    if (columns) columns.push(pos); else columns = columnRange(start, pos + 1);
    tokens.push({ text, line, start, end: pos, columns, quoted, ...(escapedSpaces ? { escapedSpaces } : {}) });
    if (commentColumn !== undefined) return { tokens, rest: { column: commentColumn, reason: 'comment' } };
  }
}
