/**
 * Directives that are almost right: a typographic dash where sbatch needs "-" (also in the
 * shebang), a long option written with one dash, a directive split over two lines.
 */
import { matchLongOption } from '../options/sbatchOptions';
import type { Fix, Rule } from './ruleContext';
import { lineRange } from './ruleContext';

/** Hyphen, non-breaking hyphen, figure/en/em dash, horizontal bar, minus sign, small/full-width hyphen-minus. */
const DASH_LOOKALIKE = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/;
const DASH_LOOKALIKES = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g;

/**
 * Plain text for a word with look-alike dashes: a look-alike that starts a word before a long
 * name (`–time`, `—mem`) stood for "--" (word processors join two dashes into one), else for "-".
 */
function plainDashes(word: string): string {
  return word.replace(DASH_LOOKALIKES, (_ch: string, at: number) => {
    const after = word.slice(at + 1);
    return at === 0 && /^[a-z][a-z-]+/.test(after) && !after.startsWith('-') ? '--' : '-';
  });
}

export const checkLookalikeDashes: Rule = (ctx) => {
  const { script } = ctx;
  const shebang = script.hasShebang ? script.lines[0]! : '';
  if (DASH_LOOKALIKE.test(shebang)) {
    const at = shebang.search(DASH_LOOKALIKE);
    const fixed = shebang.replace(DASH_LOOKALIKES, '-');
    ctx.report('SBATCH116', lineRange(0, at, at + 1),
      `The shebang holds "${shebang[at]}" (U+${shebang.codePointAt(at)!.toString(16).toUpperCase().padStart(4, '0')}), not a plain "-": the interpreter takes it for a file name, and the job exits at once (status 127).`,
      { fixes: [{ title: 'Use plain "-" in the shebang', preferred: true, edits: [{ range: lineRange(0, 0, shebang.length), newText: fixed }] }] });
  }
  for (const d of script.directives) {
    for (const t of d.tokens) {
      const raw = script.lines[d.line]!.slice(t.start, t.end);
      const at = raw.search(DASH_LOOKALIKE);
      if (at < 0) continue;
      const range = lineRange(d.line, t.start, t.end);
      const fixed = plainDashes(raw);
      const fix: Fix = { title: `Change to "${fixed}"`, preferred: true, edits: [{ range, newText: fixed }] };
      ctx.report('SBATCH116', range,
        `"${raw[at]}" (U+${raw.codePointAt(at)!.toString(16).toUpperCase().padStart(4, '0')}) looks like a dash but is not one: sbatch reads "${t.text}" ` +
        (at === 0 ? 'as a word that is not an option.' : 'literally.') + ` Write "${fixed}".`,
        { claims: range, fixes: [fix] });
    }
  }
};

export const checkSingleDashLongOptions: Rule = (ctx) => {
  const seen = new Set<string>();
  for (const use of ctx.reading.uses) {
    if (use.form !== 'short') continue;
    const t = use.token;
    const key = `${t.line}:${t.start}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const m = /^-([a-z][a-z-]+)(=.*)?$/.exec(t.text);
    if (!m) continue;
    const match = matchLongOption(m[1]!, ctx.options.slurmVersion);
    if (match.kind !== 'exact' && !(match.kind === 'prefix' && m[2] !== undefined && m[1]!.length >= 3)) continue;
    const name = match.option.name;
    const range = lineRange(t.line, t.start, t.end);
    const letter = t.text[1]!;
    const as = t.text.length > 2 ? `-${letter} with the value "${t.text.slice(2)}"` : `-${letter}`;
    ctx.report('SBATCH117', range,
      `"${t.text}" has one dash, so sbatch reads it as ${as}, not as --${name}. Long options need two dashes.`,
      { claims: range, fixes: [{ title: `Change to "-${t.text}"`, preferred: true, edits: [{ range: lineRange(t.line, t.start, t.start), newText: '-' }] }] });
  }
};

export const checkSplitDirectives: Rule = (ctx) => {
  for (const line of ctx.script.splitDirectives) {
    const text = ctx.script.lines[line]!;
    const next = ctx.script.lines[line + 1]!;
    const indent = next.length - next.trimStart().length;
    ctx.report('SBATCH118', lineRange(line, 0, text.length),
      `"#SBATCH" stands alone: sbatch reads no option from it, and the next line ("${next.trim()}") is a shell command that stops directive reading and fails when the job runs. Put the option on the #SBATCH line.`,
      { fixes: [{ title: 'Join the option to this #SBATCH line', preferred: true,
        edits: [{ range: { start: { line, character: text.length }, end: { line: line + 1, character: indent } }, newText: text.endsWith(' ') ? '' : ' ' }] }] });
  }
};
