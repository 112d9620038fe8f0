/**
 * The linter's one entry point, shared by the language server, the CLI and the runtimes.
 * Pure: text in, diagnostics out. File-system facts come through `LintOptions` hooks.
 */
import type { ClusterProfile } from './clusterProfile';
import { readOptions, type OptionReading } from './parser/optionReader';
import { parseScript, type ParsedScript } from './parser/scriptParser';
import { CODES, type DiagnosticCode, type Severity } from './rules/codes';
import { ALL_RULES } from './rules/allRules';
import { createContext, type Fix } from './rules/ruleContext';

/** 0-based line and UTF-16 character, as in LSP. */
export interface Position { readonly line: number; readonly character: number }
export interface Range { readonly start: Position; readonly end: Position }

export interface LintOptions {
  /** Path of the script on this machine; relative --output/--error folders are resolved from it. */
  readonly filePath?: string;
  /**
   * The folder sbatch will run in, when known (a run or a submission made from the script's folder):
   * relative --output/--error folders are then checked for sure. Absent: they count from wherever the
   * user submits, so a missing one is only information.
   */
  readonly submitDir?: string;
  /** Target Slurm release, e.g. "22.05"; options outside it are reported. Absent: any known release. */
  readonly slurmVersion?: string;
  /** Whether a folder exists (for SBATCH107). Absent: the check is skipped. */
  readonly directoryExists?: (path: string) => boolean;
  /**
   * With a cluster and its connection: whether an absolute folder exists there. Asked only for
   * --output/--error folders this machine cannot check (/fsx/..., a home that is not here).
   */
  readonly clusterDirectoryExists?: (path: string) => boolean;
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
  /** Text this finding explains for all rules (see ReportExtras.claims); internal to the linter. */
  readonly claims?: Range;
}

/** One script read once: what the features (hover, completion, hints) and the rules share. */
export interface ScriptAnalysis {
  readonly script: ParsedScript;
  readonly reading: OptionReading;
  readonly diagnostics: readonly LintDiagnostic[];
  /** What the script was linted with (the target release, the cluster). */
  readonly options: LintOptions;
}

/** Slurm's default max_script_size: slurmctld refuses a longer script. */
export const MAX_SCRIPT_BYTES = 4 * 1024 * 1024;

export function analyzeScript(text: string, options: LintOptions = {}): ScriptAnalysis {
  // Over the limit: sbatch refuses it whole, so it is not read further (a 30 MB line would cost
  // seconds and most of a heap to say nothing more).
  if (text.length > MAX_SCRIPT_BYTES || (text.length * 3 > MAX_SCRIPT_BYTES && Buffer.byteLength(text, 'utf8') > MAX_SCRIPT_BYTES)) {
    const script = parseScript('');
    const mb = (Buffer.byteLength(text, 'utf8') / 1048576).toFixed(1);
    const diagnostics: LintDiagnostic[] = [{
      code: 'SBATCH005', severity: CODES.SBATCH005.severity, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      message: `The script is ${mb} MB: sbatch refuses a batch script over 4 MB ("Pathname of a file, directory or other parameter too long", Slurm's max_script_size). Move data out of the script into files it reads.`,
    }];
    return { script, reading: readOptions(script.directives, options.slurmVersion), diagnostics, options };
  }
  const script = parseScript(text);
  const reading = readOptions(script.directives, options.slurmVersion);
  const out: LintDiagnostic[] = [];
  const ctx = createContext(script, reading, options, out);
  for (const rule of ALL_RULES) rule(ctx);
  const diagnostics = applyClaims(out);
  diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return { script, reading, diagnostics, options };
}

const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);

/** Drops findings about text another finding claims; the claimer takes over their worst severity. */
function applyClaims(all: LintDiagnostic[]): LintDiagnostic[] {
  const claimers = all.filter((d) => d.claims);
  if (claimers.length === 0) return all;
  const byLine = new Map<number, LintDiagnostic[]>();
  for (const c of claimers) {
    const list = byLine.get(c.claims!.start.line);
    if (list) list.push(c);
    else byLine.set(c.claims!.start.line, [c]);
  }
  const escalate = new Set<LintDiagnostic>();
  const kept = all.filter((d) => {
    if (d.claims) return true;
    // Inside the claimed text, or an error of sbatch's reading (0xx) that overlaps it: `--mem={mem}G`.
    const rejects = Number(d.code.slice(6)) < 100;
    const owner = byLine.get(d.range.start.line)?.find((c) => (before(c.claims!.start, d.range.start) && before(d.range.end, c.claims!.end))
      || (rejects && d.range.end.line === d.range.start.line && d.range.start.character < c.claims!.end.character && c.claims!.start.character < d.range.end.character));
    if (!owner) return true;
    // An information claimer (template mode) stays quiet on purpose.
    if (d.severity === 'error' && owner.severity === 'warning') escalate.add(owner);
    return false;
  });
  return kept.map((d) => {
    const rest = { ...d };
    delete rest.claims;
    return escalate.has(d) ? { ...rest, severity: 'error', message: `${d.message} As it stands, sbatch rejects the script.` } : rest;
  });
}

export function lintText(text: string, options: LintOptions = {}): LintDiagnostic[] {
  return [...analyzeScript(text, options).diagnostics];
}
