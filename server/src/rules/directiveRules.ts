/** How sbatch reads the directive lines themselves: quotes, stray words, ignored lines. */
import type { StrayWord } from '../parser/optionReader';
import type { IgnoredDirective } from '../parser/scriptParser';
import type { Fix, Rule } from './ruleContext';
import { lineRange } from './ruleContext';

export const checkDirectiveSyntax: Rule = (ctx) => {
  for (const d of ctx.script.directives) {
    const text = ctx.script.lines[d.line]!;
    if (d.problem?.kind === 'unmatchedQuote') {
      const q = d.problem.quote;
      let at = text.trimEnd().length;
      // A trailing lone backslash would escape the added quote (sbatch escapes inside quotes
      // too); it adds nothing to the word, so close the quote before it.
      let slashes = 0;
      while (slashes < at && text[at - 1 - slashes] === '\\') slashes++;
      if (slashes % 2 === 1) at--;
      ctx.report('SBATCH010', lineRange(d.line, d.problem.column, text.length),
        `sbatch stops with "Unmatched \`${q}\`": this ${q === '"' ? 'double' : 'single'} quote is never closed on this line.`,
        { fixes: [{ title: `Close the quote at the end of the line`, edits: [{ range: lineRange(d.line, at, at), newText: q }] }] });
    } else if (d.problem?.kind === 'unexpectedColon') {
      ctx.report('SBATCH012', lineRange(d.line, d.problem.column, d.problem.column + 1),
        'sbatch stops with "Unexpected `:`": a directive word cannot start with a colon (the old job-component separator; use "#SBATCH hetjob").');
    }
    if (d.rest?.reason === 'emptyWord') {
      ctx.report('SBATCH112', lineRange(d.line, d.rest.column, text.length),
        'sbatch stops reading this line at an empty quoted word; everything after it is ignored.', { tags: ['unnecessary'] });
    }
    if (d.magic === '#SLURM') {
      ctx.report('SBATCH102', lineRange(d.line, 0, 6),
        '#SLURM is still read, but sbatch prints "Change from #SLURM to #SBATCH"; write #SBATCH.',
        { fixes: [{ title: 'Change #SLURM to #SBATCH', preferred: true, edits: [{ range: lineRange(d.line, 0, 6), newText: '#SBATCH' }] }] });
    }
    if (d.separator === 'packjob') {
      ctx.report('SBATCH111', lineRange(d.line, 0, text.length), 'The "packjob" separator is deprecated; sbatch asks for "hetjob".');
    }
  }
  for (const s of ctx.reading.stray) {
    const t = s.token;
    const after = s.afterDoubleDash ? ' after "--"' : '';
    const before = ctx.script.lines[t.line]!.slice(0, t.start);
    const looksLikeValue = !s.afterDoubleDash && /\s/.test(before.slice(-1));
    const escaped = before.endsWith('\\ ');
    const fix = looksLikeValue || escaped ? quoteValueFix(ctx, s) : undefined;
    ctx.report('SBATCH011', lineRange(t.line, t.start, t.end),
      `sbatch stops with "Invalid directive found in batch script: ${t.text}"${after}: "${t.text}" is not an option.` +
      (escaped ? ' Before Slurm 24.05, "\\ " ends the word instead of keeping the space; quote the value (e.g. --job-name="my job").'
        : looksLikeValue ? ' If it belongs to the value before it, quote the value (e.g. --job-name="my job").' : ''),
      fix ? { fixes: [fix] } : {});
  }
};

/**
 * `--job-name=my job`: quote the value together with the plain words that follow it on the
 * line, up to the next option or comment. Offered only when the text holds no quotes or
 * escapes of its own, so the rewrite is exact.
 */
function quoteValueFix(ctx: Parameters<Rule>[0], stray: StrayWord): Fix | undefined {
  const t = stray.token;
  const use = ctx.reading.uses.find((u) => u.component === stray.component && u.valueSpan?.line === t.line
    && u.valueSpan.columns[u.valueSpan.columns.length - 1]! <= t.start && u.value !== undefined);
  if (!use?.valueSpan) return undefined;
  const line = ctx.script.lines[t.line]!;
  const start = use.valueSpan.columns[0]!;
  // A lone "-" is stray too, but it is no word of a value: nothing to quote then.
  const end = plainWordsEnd(line, t.start);
  if (end === t.start) return undefined;
  const raw = line.slice(start, end);
  // Escapes or quotes anywhere in the words (the value's own word included) make a rewrite inexact.
  if (/["'\\]/.test(line.slice(Math.min(use.token.start, start), end))) return undefined;
  return { title: `Quote the value: "${raw}"`, preferred: true, edits: [{ range: lineRange(t.line, start, end), newText: `"${raw}"` }] };
}

/**
 * Where the plain words from `from` end: words not starting with `-`, separated by spaces or
 * tabs, up to an option, a comment or the end of the line. A loop: the regex it replaces
 * (a repeated group) overflowed the stack on a 4 MB line.
 */
function plainWordsEnd(line: string, from: number): number {
  const plain = (c: string | undefined) => c !== undefined && c !== '#' && !/\s/.test(c);
  let end = from;
  let i = from;
  while (plain(line[i]) && line[i] !== '-') {
    while (plain(line[i])) i++;
    end = i;
    while (line[i] === ' ' || line[i] === '\t') i++;
  }
  return end;
}

const IGNORED_WHY = {
  afterCommand: 'sbatch stops reading directives at the first command (line {cmd}); this one is silently ignored.',
  spaced: 'sbatch reads "# SBATCH" as a comment and ignores it: the directive must be written "#SBATCH" with no space.',
  indented: 'sbatch reads an indented "#SBATCH" as a comment and ignores it: the directive must start in column 1.',
  case: 'sbatch only reads "#SBATCH" in capitals; this line is a comment and is ignored.',
  misspelt: 'sbatch reads this misspelt "#SBATCH" as a comment and ignores the options on it.',
} as const;

export const checkIgnoredDirectives: Rule = (ctx) => {
  const { script } = ctx;
  const cmd = script.firstCommandLine;
  const late = script.ignored.filter((ig) => ig.reason === 'afterCommand');
  // Moved directives join the block: right after its last directive, not after the blank lines
  // or comments between it and the first command.
  let last = -1;
  for (const d of script.directives) if (cmd !== undefined && d.line < cmd && d.line > last) last = d.line;
  const at = last >= 0 ? last + 1 : cmd;
  // Built once and shared: one per diagnostic made n late directives cost n² time and memory.
  const moveAll = at !== undefined && late.length > 1 ? moveAboveCommand(at, late, script.lines, false) : undefined;
  for (const ig of script.ignored) {
    const text = script.lines[ig.line]!;
    const message = IGNORED_WHY[ig.reason].replace('{cmd}', String((cmd ?? 0) + 1));
    const fixes: Fix[] = [];
    if (ig.reason === 'afterCommand' && cmd !== undefined) {
      fixes.push(moveAboveCommand(at ?? cmd, [ig], script.lines, true));
      if (moveAll) fixes.push(moveAll);
    } else {
      fixes.push({ title: 'Rewrite as "#SBATCH" so sbatch reads it', preferred: true,
        edits: [{ range: lineRange(ig.line, 0, ig.magicEnd), newText: '#SBATCH' }] });
    }
    ctx.report(ig.reason === 'afterCommand' ? 'SBATCH100' : 'SBATCH101', lineRange(ig.line, ig.magicStart, text.length), message, { fixes });
  }
};

/** Moves directives (rewritten as plain `#SBATCH`) to line `at`, above the first command. */
function moveAboveCommand(at: number, moved: readonly IgnoredDirective[], lines: readonly string[], preferred: boolean): Fix {
  const insert = moved.map((ig) => '#SBATCH' + lines[ig.line]!.slice(ig.magicEnd) + '\n').join('');
  return {
    title: moved.length > 1 ? `Move all ${moved.length} ignored directives above the first command` : 'Move above the first command',
    preferred,
    edits: [
      { range: lineRange(at, 0, 0), newText: insert },
      ...moved.map((ig) => ({ range: { start: { line: ig.line, character: 0 }, end: { line: ig.line + 1, character: 0 } }, newText: '' })),
    ],
  };
}
