/** What a rule sees and how it reports. Rules are plain functions over one parsed script. */
import type { LintDiagnostic, LintOptions, Range } from '../lint';
import type { OptionReading, Span, ValueSpan } from '../parser/optionReader';
import type { ParsedScript } from '../parser/scriptParser';
import { CODES, type DiagnosticCode } from './codes';

export interface TextEdit { readonly range: Range; readonly newText: string }

/** A quick fix computed with the diagnostic, so the server's code actions just hand it out. */
export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  /** The one fix an editor may apply on "fix all" / Ctrl+. Enter. */
  readonly preferred?: boolean;
}

export interface ReportExtras {
  readonly fixes?: readonly Fix[];
  readonly tags?: readonly ('unnecessary' | 'deprecated')[];
}

export interface RuleContext {
  readonly script: ParsedScript;
  readonly reading: OptionReading;
  readonly options: LintOptions;
  report(code: DiagnosticCode, range: Range, message: string, extras?: ReportExtras): void;
}

export type Rule = (ctx: RuleContext) => void;

export function createContext(script: ParsedScript, reading: OptionReading, options: LintOptions, out: LintDiagnostic[]): RuleContext {
  return {
    script, reading, options,
    report(code, range, message, extras = {}) {
      out.push({ code, severity: CODES[code].severity, message, range, ...extras });
    },
  };
}

export function spanRange(s: Span): Range {
  return { start: { line: s.line, character: s.start }, end: { line: s.line, character: s.end } };
}

export function lineRange(line: number, start: number, end: number): Range {
  return { start: { line, character: start }, end: { line, character: end } };
}

/** Range of characters [from, to) of a value; defaults to the whole value. */
export function valueRange(v: ValueSpan, from = 0, to = v.columns.length - 1): Range {
  const len = v.columns.length - 1;
  const a = Math.max(0, Math.min(from, len));
  const b = Math.max(a, Math.min(to, len));
  const start = v.columns[a]!;
  // End after the last character itself, not at the next one (an escape may sit between).
  const end = b > a ? v.columns[b - 1]! + 1 : start;
  return lineRange(v.line, start, end);
}
