/**
 * Turns the words of the directive lines into option uses, as sbatch does: all words of one
 * job component form one argv that GNU `getopt_long` reads with a leading `+` in the option
 * string, so reading stops at the first word that is not an option. A required value may be
 * the next word, even on the next directive line; long names may be abbreviated.
 */
import type { SbatchOption } from '../options/optionTypes';
import { releaseNumber } from '../options/optionLookup';
import { findPluginOption, type PluginOption } from '../options/pluginOptions';
import { argKindIn, findShortOption, matchLongOption } from '../options/sbatchOptions';
import type { Token } from './directiveTokens';
import type { DirectiveLine } from './scriptParser';

/** A run of characters on one line. */
export interface Span { readonly line: number; readonly start: number; readonly end: number }

/** Where each character of a value sits in the script; `columns[value.length]` is the end. */
export interface ValueSpan { readonly line: number; readonly columns: readonly number[] }

export interface OptionUse {
  /** As written, without any value: `--tim`, `-n`. */
  readonly written: string;
  readonly form: 'long' | 'short';
  readonly resolution: 'exact' | 'prefix' | 'short' | 'unknown' | 'ambiguous';
  readonly option?: SbatchOption;
  readonly candidates?: readonly SbatchOption[];
  readonly nameSpan: Span;
  /** Span of the whole `--name=value` or `-n4` word (and of the separate value word, if any). */
  readonly span: Span;
  readonly value?: string;
  readonly valueSpan?: ValueSpan;
  readonly valueFrom?: 'equals' | 'attached' | 'nextWord';
  readonly problem?: 'missingValue' | 'unexpectedValue';
  /** An unknown option that a well-known SPANK plugin adds (its value, if any, is read as the plugin would). */
  readonly plugin?: PluginOption;
  readonly component: number;
  readonly token: Token;
}

export interface StrayWord { readonly token: Token; readonly component: number; readonly afterDoubleDash: boolean }

export interface OptionReading {
  readonly uses: readonly OptionUse[];
  /** The word where sbatch stops with "Invalid directive found in batch script", per component. */
  readonly stray: readonly StrayWord[];
}

/** `version` (`YY.MM`) limits abbreviations and value kinds to that release's table. */
export function readOptions(directives: readonly DirectiveLine[], version?: string): OptionReading {
  const byComponent = new Map<number, Token[]>();
  for (const d of directives) {
    const words = byComponent.get(d.component) ?? [];
    for (const t of d.tokens) words.push(...splitAtEscapedSpaces(t, version));
    byComponent.set(d.component, words);
  }
  const uses: OptionUse[] = [];
  const stray: StrayWord[] = [];
  for (const [component, argv] of byComponent) readArgv(argv, component, version, uses, stray);
  return { uses, stray };
}

/**
 * Before Slurm 24.05 an unquoted `\ ` ends the word (the backslash is dropped), so
 * `--job-name=my\ job` is `--job-name=my` and a stray `job`. Without a version the reader
 * follows 22.05, the oldest release it describes.
 */
function splitAtEscapedSpaces(tok: Token, version: string | undefined): Token[] {
  if (!tok.escapedSpaces || (version !== undefined && !(releaseNumber(version) < releaseNumber('24.05')))) return [tok];
  const pieces: Token[] = [];
  let from = 0;
  for (const at of [...tok.escapedSpaces, tok.text.length]) {
    if (at > from) {
      const start = from === 0 ? tok.start : tok.columns[from]!;
      // A piece cut at an escaped space ends after its backslash, i.e. at the space itself.
      const end = at === tok.text.length ? tok.end : tok.columns[at]!;
      pieces.push({ ...tok, text: tok.text.slice(from, at), start, end, columns: [...tok.columns.slice(from, at), end], escapedSpaces: undefined });
    }
    from = at + 1;
  }
  return pieces;
}

function valueSpanOf(token: Token, from: number): ValueSpan {
  return { line: token.line, columns: token.columns.slice(from) };
}

function readArgv(argv: readonly Token[], component: number, version: string | undefined, uses: OptionUse[], stray: StrayWord[]): void {
  for (let i = 0; i < argv.length; i++) {
    const tok = argv[i]!;
    const word = tok.text;
    if (word === '--') {
      const next = argv[i + 1];
      if (next) stray.push({ token: next, component, afterDoubleDash: true });
      return;
    }
    if (word.startsWith('--')) {
      i = readLong(argv, i, component, version, uses);
      continue;
    }
    if (word.startsWith('-') && word.length > 1) {
      i = readShortCluster(argv, i, component, version, uses);
      continue;
    }
    stray.push({ token: tok, component, afterDoubleDash: false });
    return;
  }
}

function span(tok: Token, from: number, to: number): Span {
  return { line: tok.line, start: tok.columns[from]!, end: tok.columns[to]! };
}

function readLong(argv: readonly Token[], i: number, component: number, version: string | undefined, uses: OptionUse[]): number {
  const tok = argv[i]!;
  const eq = tok.text.indexOf('=');
  const name = tok.text.slice(2, eq < 0 ? undefined : eq);
  const written = `--${name}`;
  const nameSpan = span(tok, 0, eq < 0 ? tok.text.length : eq);
  const base = { written, form: 'long' as const, nameSpan, component, token: tok };
  const match = matchLongOption(name, version);
  const plugin = match.kind === 'unknown' ? findPluginOption(name) : undefined;
  if (plugin && eq < 0 && plugin.arg === 'required' && argv[i + 1]) {
    const next = argv[i + 1]!;
    uses.push({
      ...base, resolution: 'unknown', plugin, value: next.text, valueSpan: valueSpanOf(next, 0), valueFrom: 'nextWord',
      span: next.line === tok.line ? { line: tok.line, start: tok.start, end: next.end } : span(tok, 0, tok.text.length),
    });
    return i + 1;
  }
  if (match.kind === 'unknown' || match.kind === 'ambiguous') {
    uses.push({
      ...(plugin ? { plugin } : {}),
      ...base, resolution: match.kind, span: span(tok, 0, tok.text.length),
      ...(match.kind === 'ambiguous' ? { candidates: match.candidates } : {}),
      ...(eq >= 0 ? { value: tok.text.slice(eq + 1), valueSpan: valueSpanOf(tok, eq + 1), valueFrom: 'equals' as const } : {}),
    });
    return i;
  }
  const option = match.option;
  const arg = argKindIn(option, version);
  const resolved = { ...base, resolution: match.kind, option };
  if (eq >= 0) {
    const value = tok.text.slice(eq + 1);
    uses.push({
      ...resolved, span: span(tok, 0, tok.text.length), value, valueSpan: valueSpanOf(tok, eq + 1), valueFrom: 'equals',
      ...(arg === 'none' ? { problem: 'unexpectedValue' as const } : {}),
    });
    return i;
  }
  if (arg === 'required') {
    const next = argv[i + 1];
    if (!next) {
      uses.push({ ...resolved, span: span(tok, 0, tok.text.length), problem: 'missingValue' });
      return i;
    }
    uses.push({
      ...resolved, value: next.text, valueSpan: valueSpanOf(next, 0), valueFrom: 'nextWord',
      span: next.line === tok.line ? { line: tok.line, start: tok.start, end: next.end } : span(tok, 0, tok.text.length),
    });
    return i + 1;
  }
  uses.push({ ...resolved, span: span(tok, 0, tok.text.length) });
  return i;
}

function readShortCluster(argv: readonly Token[], i: number, component: number, version: string | undefined, uses: OptionUse[]): number {
  const tok = argv[i]!;
  const word = tok.text;
  for (let k = 1; k < word.length; k++) {
    const letter = word[k]!;
    const option = findShortOption(letter);
    const nameSpan = span(tok, k === 1 ? 0 : k, k + 1);
    const base = { written: `-${letter}`, form: 'short' as const, nameSpan, component, token: tok };
    if (!option) {
      // getopt reports the letter and sbatch exits; the rest of the word is not read.
      uses.push({ ...base, resolution: 'unknown', span: span(tok, 0, word.length) });
      return i;
    }
    const resolved = { ...base, resolution: 'short' as const, option };
    const arg = argKindIn(option, version);
    if (arg === 'none') {
      uses.push({ ...resolved, span: nameSpan });
      continue;
    }
    const rest = word.slice(k + 1);
    if (rest.length > 0) {
      uses.push({ ...resolved, span: span(tok, k === 1 ? 0 : k, word.length), value: rest, valueSpan: valueSpanOf(tok, k + 1), valueFrom: 'attached' });
      return i;
    }
    if (arg === 'optional') {
      uses.push({ ...resolved, span: nameSpan });
      return i;
    }
    const next = argv[i + 1];
    if (!next) {
      uses.push({ ...resolved, span: nameSpan, problem: 'missingValue' });
      return i;
    }
    uses.push({
      ...resolved, value: next.text, valueSpan: valueSpanOf(next, 0), valueFrom: 'nextWord',
      span: next.line === tok.line ? { line: tok.line, start: nameSpan.start, end: next.end } : nameSpan,
    });
    return i + 1;
  }
  return i;
}
