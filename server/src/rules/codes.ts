/**
 * Every diagnostic the linter can report, with a stable code. Codes never change meaning;
 * retired codes are not reused. 0xx: sbatch rejects the script. 1xx: sbatch accepts it but
 * does something the author probably did not mean. 2xx: needs a cluster profile.
 * The severity here is the usual one. A 1xx finding is information where the rule cannot be sure
 * (no target release, an unknown submit folder, a template file), and an error where its text is
 * what makes sbatch reject the script (see ReportExtras.claims); SBATCH123 is refused by sbatch
 * itself but keeps the number it was agreed under.
 */
export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface CodeInfo {
  readonly severity: Severity;
  /** Short kebab-case name, usable in `# hpc-jobs disable=` comments and docs. */
  readonly name: string;
  readonly summary: string;
}

export const CODES = {
  // Whole script
  SBATCH001: { severity: 'error', name: 'no-shebang', summary: 'The first line is not #! followed by an interpreter.' },
  SBATCH002: { severity: 'error', name: 'crlf', summary: 'DOS (CRLF) line breaks.' },
  SBATCH003: { severity: 'error', name: 'nul-byte', summary: 'The script contains a NUL byte.' },
  SBATCH004: { severity: 'error', name: 'empty-script', summary: 'The script is empty or only whitespace.' },
  SBATCH005: { severity: 'error', name: 'script-too-large', summary: 'The script is over 4 MB, the most sbatch sends (max_script_size).' },
  // Directive syntax
  SBATCH010: { severity: 'error', name: 'unmatched-quote', summary: 'A quote in a directive is never closed.' },
  SBATCH011: { severity: 'error', name: 'stray-word', summary: 'A word that is not an option stops sbatch.' },
  SBATCH012: { severity: 'error', name: 'unexpected-colon', summary: 'A directive word starts with `:`.' },
  // Options
  SBATCH020: { severity: 'error', name: 'unknown-option', summary: 'sbatch does not know this option.' },
  SBATCH021: { severity: 'error', name: 'ambiguous-option', summary: 'An abbreviation matches several options.' },
  SBATCH022: { severity: 'error', name: 'missing-value', summary: 'The option needs a value.' },
  SBATCH023: { severity: 'error', name: 'unexpected-value', summary: 'The option takes no value.' },
  SBATCH024: { severity: 'error', name: 'option-version', summary: 'The option does not exist in the targeted Slurm version.' },
  SBATCH025: { severity: 'error', name: 'conflicting-options', summary: 'Options sbatch refuses together.' },
  // Values
  SBATCH030: { severity: 'error', name: 'invalid-time', summary: 'Not a time sbatch understands.' },
  SBATCH031: { severity: 'error', name: 'invalid-memory', summary: 'Not a memory size sbatch understands.' },
  SBATCH032: { severity: 'error', name: 'invalid-number', summary: 'Not a valid count.' },
  SBATCH033: { severity: 'error', name: 'invalid-node-count', summary: 'Not a valid node count or range.' },
  SBATCH034: { severity: 'error', name: 'invalid-signal', summary: 'Not a valid --signal specification.' },
  SBATCH035: { severity: 'error', name: 'invalid-mail-type', summary: 'Not a valid --mail-type.' },
  SBATCH036: { severity: 'error', name: 'invalid-array', summary: 'Not a valid --array specification.' },
  SBATCH037: { severity: 'error', name: 'invalid-dependency', summary: 'Not a valid --dependency specification.' },
  SBATCH038: { severity: 'error', name: 'invalid-gres', summary: 'Not a valid --gres / --gpus specification.' },
  SBATCH039: { severity: 'error', name: 'invalid-exclusive', summary: 'Not a valid --exclusive value.' },
  SBATCH040: { severity: 'error', name: 'invalid-value', summary: 'Not one of the values the option accepts.' },
  // Silent traps
  SBATCH100: { severity: 'warning', name: 'directive-after-command', summary: 'sbatch stops reading directives at the first command; this one is ignored.' },
  SBATCH101: { severity: 'warning', name: 'directive-lookalike', summary: 'Looks like a directive but sbatch reads it as a comment.' },
  SBATCH102: { severity: 'warning', name: 'slurm-prefix', summary: '#SLURM is accepted with an error message; write #SBATCH.' },
  SBATCH103: { severity: 'warning', name: 'repeated-option', summary: 'The option is given more than once; the last one wins.' },
  SBATCH104: { severity: 'warning', name: 'array-unlimited', summary: '`%` in --array with no limit after it.' },
  SBATCH105: { severity: 'warning', name: 'time-field-overflow', summary: 'Minutes or seconds of 60 or more roll over.' },
  SBATCH106: { severity: 'warning', name: 'placeholder', summary: 'An unfilled template field (<proj>, {x}, {{ x }}, $1, XXXX, ...) was left in.' },
  SBATCH107: { severity: 'warning', name: 'output-dir-missing', summary: 'The --output/--error folder does not exist; Slurm will not create it (information where it depends on the submit folder).' },
  SBATCH108: { severity: 'warning', name: 'mpi-oversubscribed', summary: 'The launcher asks for more tasks than the directives allocate.' },
  SBATCH109: { severity: 'information', name: 'threads-not-passed', summary: '--cpus-per-task > 1 but nothing passes a thread count to the program.' },
  SBATCH110: { severity: 'information', name: 'abbreviated-option', summary: 'An abbreviated option name; spell it out.' },
  SBATCH111: { severity: 'warning', name: 'deprecated-option', summary: 'The option still works but is deprecated.' },
  SBATCH112: { severity: 'warning', name: 'suspicious-value', summary: 'sbatch accepts the value, but it is probably not what was meant.' },
  SBATCH113: { severity: 'warning', name: 'pbs-directive', summary: 'A #PBS line sbatch translates (overriding #SBATCH) or silently drops.' },
  SBATCH114: { severity: 'warning', name: 'srun-cpus-not-inherited', summary: 'srun in the job does not inherit --cpus-per-task (Slurm 22.05-23.02).' },
  SBATCH115: { severity: 'warning', name: 'unexpanded-variable', summary: '$VAR in a directive: sbatch never expands it.' },
  SBATCH116: { severity: 'warning', name: 'unicode-dash', summary: 'An en/em dash or other look-alike where a plain "-" is needed.' },
  SBATCH117: { severity: 'warning', name: 'single-dash-long-option', summary: 'A long option with one dash is read as a short option and a value.' },
  SBATCH118: { severity: 'warning', name: 'split-directive', summary: '#SBATCH alone on a line; the option on the next line is not read with it.' },
  SBATCH119: { severity: 'warning', name: 'mail-user-without-type', summary: '--mail-user without --mail-type: no mail is ever sent.' },
  SBATCH120: { severity: 'warning', name: 'mem-zero-shared', summary: '--mem=0 without --exclusive takes all the memory of a shared node.' },
  SBATCH121: { severity: 'warning', name: 'signal-trap-without-signal', summary: 'The script traps a signal Slurm is never asked to send it.' },
  SBATCH122: { severity: 'warning', name: 'multi-node-no-launcher', summary: 'Several nodes, but nothing starts work on any but the first.' },
  SBATCH123: { severity: 'error', name: 'gpus-per-task-without-tasks', summary: '--gpus-per-task without --gpus or --ntasks.' },
  SBATCH124: { severity: 'warning', name: 'output-dir-made-too-late', summary: 'The job creates its --output/--error folder, after Slurm needed it.' },
  SBATCH125: { severity: 'information', name: 'plugin-option', summary: 'An option a site plugin (SPANK) adds; plain sbatch does not know it.' },
  SBATCH126: { severity: 'warning', name: 'hetjob-component', summary: 'A problem specific to a heterogeneous job component.' },
  // Cluster-aware (need a cluster profile)
  SBATCH200: { severity: 'error', name: 'unknown-partition', summary: 'The cluster has no such partition.' },
  SBATCH201: { severity: 'error', name: 'unknown-account', summary: 'The account does not exist or is not yours.' },
  SBATCH202: { severity: 'error', name: 'unknown-qos', summary: 'The QOS does not exist or is not yours.' },
  SBATCH203: { severity: 'error', name: 'time-over-limit', summary: 'The time is above the partition\'s MaxTime.' },
  SBATCH204: { severity: 'error', name: 'no-such-node', summary: 'No node has the resources asked for.' },
  SBATCH205: { severity: 'error', name: 'unknown-gres', summary: 'No node has this GRES type.' },
  SBATCH206: { severity: 'error', name: 'array-too-large', summary: 'Array index above MaxArraySize.' },
} as const satisfies Record<string, CodeInfo>;

export type DiagnosticCode = keyof typeof CODES;
