/** What a rule sees and how it reports. Rules are plain functions over one parsed script. */
import type { LintDiagnostic, LintOptions, Range } from '../lint';
import type { OptionReading, Span, ValueSpan } from '../parser/optionReader';
import type { ParsedScript } from '../parser/scriptParser';
import { CODES, type DiagnosticCode, type Severity } from './codes';

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
  /** Overrides the code's usual severity where the rule knows better (e.g. only information when unsure). */
  readonly severity?: Severity;
  /**
   * This finding explains the text in `claims` (one line) better than any other: other findings
   * inside it are dropped, so a placeholder is one finding, not a cascade. If a dropped one was an
   * error (sbatch rejects the text), this one becomes an error, so errors stay where sbatch rejects.
   */
  readonly claims?: Range;
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
      const { severity, claims, ...rest } = extras;
      out.push({ code, severity: severity ?? CODES[code].severity, message, range, ...rest, ...(claims ? { claims } : {}) });
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
