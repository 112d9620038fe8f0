/**
 * The linter's one entry point, shared by the language server, the CLI and the runtimes.
 * Pure: text in, diagnostics out. File-system facts come through `LintOptions` hooks.
 */
import type { ClusterProfile } from './clusterProfile';
import { readOptions, type OptionReading } from './parser/optionReader';
import { parseScript, type ParsedScript } from './parser/scriptParser';
import type { DiagnosticCode, Severity } from './rules/codes';
import { ALL_RULES } from './rules/allRules';
import { createContext, type Fix } from './rules/ruleContext';

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
  /** The cluster the script is for: enables the 2xx rules (partitions, limits, accounts...). */
  readonly cluster?: ClusterProfile;
}

export interface LintDiagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  readonly range: Range;
  readonly fixes?: readonly Fix[];
  readonly tags?: readonly ('unnecessary' | 'deprecated')[];
}

/** One script read once: what the features (hover, completion, hints) and the rules share. */
export interface ScriptAnalysis {
  readonly script: ParsedScript;
  readonly reading: OptionReading;
  readonly diagnostics: readonly LintDiagnostic[];
  /** What the script was linted with (the target release, the cluster). */
  readonly options: LintOptions;
}

export function analyzeScript(text: string, options: LintOptions = {}): ScriptAnalysis {
  const script = parseScript(text);
  const reading = readOptions(script.directives, options.slurmVersion);
  const out: LintDiagnostic[] = [];
  const ctx = createContext(script, reading, options, out);
  for (const rule of ALL_RULES) rule(ctx);
  out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return { script, reading, diagnostics: out, options };
}

export function lintText(text: string, options: LintOptions = {}): LintDiagnostic[] {
  return [...analyzeScript(text, options).diagnostics];
}
