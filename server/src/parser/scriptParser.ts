/**
 * Reads a batch script the way sbatch does (src/sbatch/opt.c `_opt_batch_script`):
 * only lines starting at column 0 with `#SBATCH` (or the legacy `#SLURM`) are directives,
 * blank lines and `#` comments are skipped, and reading stops at the first other line.
 * Lines that look like directives but are not read are kept too, so the linter can say so.
 */
import { isCSpace, tokenizeDirective, type Token, type TokenizeProblem } from './directiveTokens';

export type MagicWord = '#SBATCH' | '#SLURM';

/** A line sbatch reads options from. */
export interface DirectiveLine {
  readonly kind: 'directive';
  readonly line: number;
  readonly magic: MagicWord;
  readonly tokens: readonly Token[];
  readonly rest?: { readonly column: number; readonly reason: 'comment' | 'emptyWord' };
  readonly problem?: TokenizeProblem;
  /** Heterogeneous-job component this line belongs to (0 for ordinary scripts). */
  readonly component: number;
  /** The line is a `hetjob`/`packjob` separator. */
  readonly separator?: 'hetjob' | 'packjob';
}

/** Why a directive-looking line is not read by sbatch. */
export type IgnoredReason =
  | 'afterCommand' // a column-0 #SBATCH after the first command
  | 'spaced'       // `# SBATCH`
  | 'indented'     // `  #SBATCH`
  | 'case'         // `#sbatch`, `#Sbatch`
  | 'misspelt';    // `#SBTACH`, `#BATCH`, `#CBATCH`

export interface IgnoredDirective {
  readonly kind: 'ignored';
  readonly line: number;
  readonly reason: IgnoredReason;
  /** Columns of the magic word as written (e.g. `# SBATCH`). */
  readonly magicStart: number;
  readonly magicEnd: number;
  /** The words after it, tokenized as if sbatch had read the line. */
  readonly tokens: readonly Token[];
}

export interface ParsedScript {
  readonly text: string;
  /** Lines without their `\n` (and without a trailing `\r`). */
  readonly lines: readonly string[];
  /** Lines that ended in `\r\n`. */
  readonly crlfLines: readonly number[];
  /** Offsets of NUL characters. */
  readonly nulOffsets: readonly number[];
  readonly hasShebang: boolean;
  readonly directives: readonly DirectiveLine[];
  readonly ignored: readonly IgnoredDirective[];
  /** First line sbatch treats as a command (where it stops reading), if any. */
  readonly firstCommandLine?: number;
  /** `#PBS` lines sbatch translates (src/sbatch/xlate.c): those in the first 100 non-comment lines. */
  readonly pbs: readonly PbsLine[];
  /** `#SBATCH` lines with nothing after the magic word, whose option sits on the next line. */
  readonly splitDirectives: readonly number[];
  /** Lines inside heredocs (text the script writes, not its own lines). */
  readonly heredocLines: ReadonlySet<number>;
  /** Jinja-style control lines (`{% if %}`, `{# #}`): the file is a template, rendered before sbatch sees it. */
  readonly templateLines: readonly number[];
}

export interface PbsLine {
  readonly line: number;
  readonly tokens: readonly Token[];
  readonly problem?: TokenizeProblem;
}

// A comment that would be a directive but for its spelling: it must be followed by an option
// word, so prose such as `# Slurm settings` or `# slurm-1234.out` is not mistaken for one.
const LOOKALIKE = /^([ \t]*)(#+)([ \t]*)([A-Za-z]{4,8})(?=[ \t]+--?[A-Za-z])/;

/** Words within one transposition, insertion, deletion or substitution of SBATCH: #SBTACH, #BATCH, #CBATCH. */
function nearSbatch(word: string): boolean {
  const w = word.toUpperCase();
  const t = 'SBATCH';
  if (w === t || w === 'SLURM') return false;
  const d: number[][] = Array.from({ length: w.length + 1 }, (_, i) => Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= w.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (w[i - 1] === t[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && w[i - 1] === t[j - 2] && w[i - 2] === t[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[w.length]![t.length]! === 1;
}

/** Why a comment line that looks like a directive is not one, or undefined when it is prose. */
function lookalikeReason(indent: string, gap: string, word: string): IgnoredReason | undefined {
  const upper = word.toUpperCase();
  if (upper === 'SBATCH' || upper === 'SLURM') {
    // `#sbatch --time=5` is a slip of the shift key; `#   sbatch -N 4 job.sh` is a command line quoted in prose.
    if (word === 'sbatch' && gap.length > 0) return undefined;
    return indent.length > 0 ? 'indented' : gap.length > 0 ? 'spaced' : word !== upper ? 'case' : undefined;
  }
  return gap.length === 0 && word === upper && nearSbatch(word) ? 'misspelt' : undefined;
}

/** `<<EOF`, `<<-'EOF'`, `<< "END"` (not the here-string `<<<`). */
const HEREDOC = /(?<!<)<<(-?)[ \t]*(['"]?)([A-Za-z_][\w.-]*)\2/;
const TRIPLE_QUOTE = /"""|'''/;
/** Jinja / Django control and comment lines: gone once the template is rendered. */
const TEMPLATE_LINE = /^[ \t]*(\{%-?.*-?%\}|\{#.*#\})[ \t]*$/;
/** sbatch stops looking for #PBS lines after this many non-comment lines (xlate_batch_script). */
const PBS_MAX_NON_COMMENT = 100;

export function parseScript(text: string): ParsedScript {
  const raw = text.split('\n');
  const lines: string[] = [];
  const crlfLines: number[] = [];
  raw.forEach((l, i) => {
    if (l.endsWith('\r') && i < raw.length - 1) { crlfLines.push(i); lines.push(l.slice(0, -1)); } else lines.push(l);
  });
  const nulOffsets: number[] = [];
  for (let i = text.indexOf('\0'); i >= 0; i = text.indexOf('\0', i + 1)) nulOffsets.push(i);

  const directives: DirectiveLine[] = [];
  const ignored: IgnoredDirective[] = [];
  const pbs: PbsLine[] = [];
  const splitDirectives: number[] = [];
  const heredocLines = new Set<number>();
  const templateLines: number[] = [];
  let firstCommandLine: number | undefined;
  let component = 0;
  let nonComments = 0;
  let heredoc: { readonly word: string; readonly tabs: boolean; readonly quotes?: boolean } | undefined;
  // A Python job script: its triple-quoted strings are text it writes, as heredocs are in shell.
  const python = /^#!.*\bpython[\d.]*\b/.test(lines[0] ?? '');

  lines.forEach((lineText, line) => {
    // sbatch looks for #PBS lines in the raw text, heredocs included.
    if (nonComments <= PBS_MAX_NON_COMMENT) {
      if (lineText.startsWith('#PBS')) {
        const t = tokenizeDirective(lineText, line, 4);
        pbs.push({ line, tokens: t.tokens, ...(t.problem ? { problem: t.problem } : {}) });
      } else if (lineText[0] !== '#') nonComments++;
    }
    if (heredoc) {
      heredocLines.add(line);
      if (heredoc.quotes ? lineText.includes(heredoc.word) : (heredoc.tabs ? lineText.replace(/^\t+/, '') : lineText) === heredoc.word) heredoc = undefined;
      return;
    }
    // Cheap tests first: these run on every line of scripts thousands of lines long.
    if (lineText.startsWith('#SBATCH') && /^#SBATCH[ \t]*$/.test(lineText) && /^[ \t]*-/.test(lines[line + 1] ?? '')) splitDirectives.push(line);
    if (lineText.includes('{') && TEMPLATE_LINE.test(lineText)) {
      templateLines.push(line);
      return;
    }
    const magic: MagicWord | undefined = lineText.startsWith('#SBATCH') ? '#SBATCH'
      : lineText.startsWith('#SLURM') ? '#SLURM' : undefined;
    if (magic !== undefined && firstCommandLine === undefined) {
      let from = magic.length;
      while (from < lineText.length && isCSpace(lineText[from])) from++;
      const sep = /^(hetjob|packjob)(?=$|\s)/i.exec(lineText.slice(from));
      let separator: 'hetjob' | 'packjob' | undefined;
      if (sep) {
        separator = sep[1]!.toLowerCase() as 'hetjob' | 'packjob';
        component++;
        from += sep[1]!.length;
      }
      const t = tokenizeDirective(lineText, line, from);
      directives.push({
        kind: 'directive', line, magic, tokens: t.tokens, component,
        ...(t.rest ? { rest: t.rest } : {}),
        ...(t.problem ? { problem: t.problem } : {}),
        ...(separator ? { separator } : {}),
      });
      return;
    }
    if (magic !== undefined) {
      ignored.push(ignoredLine(lineText, line, 'afterCommand', 0, magic.length));
      return;
    }
    const look = firstNonSpace(lineText) === '#' ? LOOKALIKE.exec(lineText) : null;
    if (look) {
      const [, indent, hashes, gap, word] = look as unknown as [string, string, string, string, string];
      // `##SBATCH` is the usual way to switch a directive off on purpose: not a mistake.
      const reason = hashes.length === 1 ? lookalikeReason(indent, gap, word) : undefined;
      if (reason) {
        // After the first command a misspelt directive would be ignored anyway: one report, for the spelling.
        ignored.push(ignoredLine(lineText, line, firstCommandLine !== undefined && reason !== 'misspelt' ? 'afterCommand' : reason, indent.length, look[0].length));
        return;
      }
    }
    if (isCommand(lineText)) {
      if (firstCommandLine === undefined) firstCommandLine = line;
      const h = python || !lineText.includes('<<') ? undefined : HEREDOC.exec(lineText.replace(/(^|\s)#.*$/, ''));
      if (h) heredoc = { word: h[3]!, tabs: h[1] === '-' };
      const q = python && (lineText.includes('"""') || lineText.includes("'''")) ? TRIPLE_QUOTE.exec(lineText) : null;
      if (q && lineText.split(q[0]).length % 2 === 0) heredoc = { word: q[0], tabs: false, quotes: true };
    }
  });

  return {
    text, lines, crlfLines, nulOffsets,
    hasShebang: text.startsWith('#!'),
    directives, ignored, pbs, splitDirectives, heredocLines, templateLines,
    ...(firstCommandLine !== undefined ? { firstCommandLine } : {}),
  };
}

/** sbatch's test: the first non-space character exists and is not `#`. */
function isCommand(lineText: string): boolean {
  const ch = firstNonSpace(lineText);
  return ch !== undefined && ch !== '#';
}

function firstNonSpace(lineText: string): string | undefined {
  for (let i = 0; i < lineText.length; i++) if (!isCSpace(lineText[i])) return lineText[i];
  return undefined;
}

function ignoredLine(lineText: string, line: number, reason: IgnoredReason, magicStart: number, magicEnd: number): IgnoredDirective {
  const { tokens } = tokenizeDirective(lineText, line, magicEnd);
  return { kind: 'ignored', line, reason, magicStart, magicEnd, tokens };
}
