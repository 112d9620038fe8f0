import type { DiagnosticCode } from '../rules/codes';

/** A problem found inside one option value. Offsets are relative to the value text. */
export interface ValueIssue {
  readonly code: DiagnosticCode;
  readonly message: string;
  /** Defaults to the whole value. */
  readonly start?: number;
  readonly end?: number;
  /** What the whole value should read, when that is clear: offered as the quick fix. */
  readonly replacement?: string;
}

/** What a checker makes of a value: problems, and how Slurm will read it (for hover). */
export interface ValueCheck<T = unknown> {
  readonly issues: readonly ValueIssue[];
  /** Plain words, e.g. "2 days 12 hours" for `2-12`. Absent when the value is invalid. */
  readonly meaning?: string;
  /** The parsed value, for rules that reason about resources (minutes, MB, counts...). */
  readonly parsed?: T;
}

/**
 * What a checker may need beyond the value. Everything is optional: with nothing given the
 * checkers follow Slurm 22.05 (the oldest release the linter describes, and the test cluster's).
 */
export interface ValueContext {
  /** Target Slurm release (`YY.MM`, `22.05.8`, ...). Only a few values differ between releases. */
  readonly slurmVersion?: string;
  /** For `enum`: compare values case-sensitively. */
  readonly caseSensitive?: boolean;
}

export type ValueChecker<T = unknown> = (value: string, optionName: string, context?: ValueContext) => ValueCheck<T>;
