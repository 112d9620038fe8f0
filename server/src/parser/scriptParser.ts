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
  | 'case';        // `#sbatch`, `#Sbatch`

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
}

// A comment that would be a directive but for its spelling: it must be followed by an option,
// so prose such as `# Slurm settings` is not mistaken for one.
const LOOKALIKE = /^([ \t]*)(#+)([ \t]*)(sbatch|slurm)(?=[ \t]*-)/i;

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
  let firstCommandLine: number | undefined;
  let component = 0;

  lines.forEach((lineText, line) => {
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
    const look = LOOKALIKE.exec(lineText);
    if (look) {
      const [, indent, hashes, gap, word] = look as unknown as [string, string, string, string, string];
      // `##SBATCH` is the usual way to switch a directive off on purpose: not a mistake.
      if (hashes.length === 1) {
        const reason: IgnoredReason | undefined = firstCommandLine !== undefined ? 'afterCommand'
          : indent.length > 0 ? 'indented' : gap.length > 0 ? 'spaced' : word !== word.toUpperCase() ? 'case' : undefined;
        if (reason) {
          ignored.push(ignoredLine(lineText, line, reason, indent.length, look[0].length));
          return;
        }
      }
    }
    if (firstCommandLine === undefined && isCommand(lineText)) firstCommandLine = line;
  });

  return {
    text, lines, crlfLines, nulOffsets,
    hasShebang: text.startsWith('#!'),
    directives, ignored,
    ...(firstCommandLine !== undefined ? { firstCommandLine } : {}),
  };
}

/** sbatch's test: the first non-space character exists and is not `#`. */
function isCommand(lineText: string): boolean {
  for (const ch of lineText) {
    if (isCSpace(ch)) continue;
    return ch !== '#';
  }
  return false;
}

function ignoredLine(lineText: string, line: number, reason: IgnoredReason, magicStart: number, magicEnd: number): IgnoredDirective {
  const { tokens } = tokenizeDirective(lineText, line, magicEnd);
  return { kind: 'ignored', line, reason, magicStart, magicEnd, tokens };
}
