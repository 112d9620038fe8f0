/**
 * The linter's one entry point, shared by the language server, the CLI and the runtimes.
 * Pure: text in, diagnostics out. File-system facts come through `LintOptions` hooks.
 */
import type { DiagnosticCode, Severity } from './rules/codes';

/** 0-based line and UTF-16 character, as in LSP. */
export interface Position { readonly line: number; readonly character: number }
export interface Range { readonly start: Position; readonly end: Position }

export interface LintOptions {
  /** Path of the script on this machine; relative --output/--error folders are resolved from it. */
  readonly filePath?: string;
  /** Target Slurm release, e.g. "22.05"; options outside it are reported. Absent: any known release. */
  readonly slurmVersion?: string;
  /** Whether a folder exists (for SBATCH107). Absent: the check is skipped. */
  readonly directoryExists?: (path: string) => boolean;
}

export interface LintDiagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  readonly range: Range;
}

export function lintText(_text: string, _options: LintOptions = {}): LintDiagnostic[] {
  throw new Error('lintText: not implemented yet');
}
