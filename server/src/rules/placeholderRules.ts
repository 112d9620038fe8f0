/**
 * Text in a directive that is not what the job should get: unfilled template fields
 * (`<proj>`, `{x}`, `{{ x }}`, `$1`, `XXXX`, `def-someuser`, `you@example.com`, `...`) and shell
 * variables, which sbatch never expands. One finding per field: it claims its text, so the
 * stray-word or invalid-value errors the same text would cause are not reported beside it.
 */
import type { OptionUse } from '../parser/optionReader';
import type { DirectiveLine } from '../parser/scriptParser';
import type { Range } from '../lint';
import type { Fix, Rule, RuleContext } from './ruleContext';
import { lineRange } from './ruleContext';

type Kind = 'control' | 'field' | 'variable' | 'tilde';

interface FieldPattern { readonly kind: Kind; readonly re: RegExp }

/** Tried in order; a later pattern never matches inside an earlier one's text. */
const PATTERNS: readonly FieldPattern[] = [
  { kind: 'control', re: /\{%-?[^%]*?-?%\}|\{#[^#]*#\}/g },
  { kind: 'field', re: /\{\{[^{}]*\}\}/g },
  { kind: 'field', re: /\$\{\d+\}|\$\d/g },
  { kind: 'variable', re: /\$\{[A-Za-z_]\w*(?:[:?+=-][^}]*)?\}|\$[A-Za-z_]\w*/g },
  { kind: 'field', re: /(?<![$\w])\{(?:[A-Za-z_]\w*(?:\.\w+|\[[^\]]*\])*)?(?::[^{}]*)?\}/g },
  { kind: 'field', re: /<[^<>\s][^<>]{0,40}>/g },
  { kind: 'field', re: /\b(?:YOUR_[A-Za-z0-9_]+|CHANGE_?ME|REPLACE_?ME|FIXME|TODO|INSERT_[A-Z0-9_]+)\b|\byour[ _-]?(?:account|project|group|name|email|user(?:name)?|partition|allocation|pi|lab|qos)\b/gi },
  { kind: 'field', re: /\b[xX]{3,}\b/g },
  // Before `someone`: the whole address is the field. The lookbehind starts a try only at a word's
  // start: without it a 100,000-character word took seconds (every position scanned to its end).
  { kind: 'field', re: /(?<![\w.+-])[\w.+-]*@(?:example|domain|yourdomain|email)\.[\w.]+|\b(?:your|my)[._-]?(?:name|email|mail)?@[\w.-]+|\bname@[\w.-]+/gi },
  { kind: 'field', re: /\bdef-some\w*|\bsome(?:user|one|body|prof|pi|group)\b/g },
  // A word of its own: `--account=...`, not the end of a sentence in --comment ("wait...").
  { kind: 'field', re: /(?<![\w.])(?:\.{3}|\u2026)(?![\w.])/g },
  { kind: 'field', re: /\b(?:D+-)?(?:HH|hh):(?:MM|mm)(?::(?:SS|ss))?\b/g },
  // `~` at the start of a path: a shell expands it, sbatch does not.
  { kind: 'tilde', re: /(?<=[=\s])~(?=\/|\s|$)/g },
];

/** A comment that asks the reader to fill something in: `# <- edit me`, `# change to your account`. */
const EDIT_ME = /\b(?:edit|change|replace|fill|put|insert|modify|adjust|customi[sz]e)\b|\bset (?:this|it|to)\b|\byour\b|\bTODO\b|\bFIXME\b/i;
/** An ALL-CAPS stand-in such as ACCOUNT, MY_PROJECT, PROJECT-ID (digits make it a real id: AST23001). */
const ALLCAPS_VALUE = /^[A-Z]+(?:[_-][A-Z]+)*$/;
/** Options whose values are written in capitals anyway. */
const CAPS_OPTIONS = new Set(['mail-type', 'export', 'propagate', 'signal', 'exclusive', 'distribution', 'get-user-env', 'open-mode', 'profile']);

/** Patterns sbatch fills in itself, offered where they replace a variable (man sbatch, filename pattern). */
const PATTERN_FOR: Readonly<Record<string, string>> = {
  SLURM_JOB_ID: '%j', SLURM_JOBID: '%j', SLURM_ARRAY_JOB_ID: '%A', SLURM_ARRAY_TASK_ID: '%a',
  SLURM_JOB_NAME: '%x', USER: '%u', SLURMD_NODENAME: '%N',
};
const PATTERN_OPTIONS = new Set(['output', 'error', 'input']);

/** A template file is rendered before sbatch sees it: Jinja control lines, or a template's name. */
export function isTemplate(ctx: RuleContext): boolean {
  return ctx.script.templateLines.length > 0 || /\.(j2|jinja2?|tmpl|tpl|template|mustache)$/i.test(ctx.options.filePath ?? '');
}

interface Found { readonly kind: Kind; readonly start: number; readonly end: number; readonly text: string }

function fieldsOf(text: string, from: number, to: number): Found[] {
  const found: Found[] = [];
  const part = text.slice(0, to);
  for (const p of PATTERNS) {
    p.re.lastIndex = from;
    for (let m = p.re.exec(part); m; m = p.re.exec(part)) {
      const start = m.index;
      const end = start + m[0].length;
      if (m[0].length === 0) { p.re.lastIndex++; continue; }
      if (!found.some((f) => start < f.end && f.start < end)) found.push({ kind: p.kind, start, end, text: m[0] });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/** The option a column of a directive line belongs to, if any. */
function optionAt(uses: readonly OptionUse[], line: number, column: number): string | undefined {
  for (const u of uses) {
    if (u.span.line === line && u.span.start <= column && column < u.span.end) return u.option?.name ?? u.written.replace(/^-+/, '');
    if (u.valueSpan?.line === line && u.valueSpan.columns[0]! <= column && column < u.valueSpan.columns[u.valueSpan.columns.length - 1]!) return u.option?.name;
  }
  return undefined;
}

function capsStandIns(ctx: RuleContext, d: DirectiveLine, uses: readonly OptionUse[], taken: readonly Found[]): Found[] {
  const text = ctx.script.lines[d.line]!;
  const comment = d.rest?.reason === 'comment' ? text.slice(d.rest.column) : '';
  const above = ctx.script.lines[d.line - 1] ?? '';
  const asked = EDIT_ME.test(comment) || (/^#(?!SBATCH)/.test(above) && EDIT_ME.test(above));
  if (!asked) return [];
  const out: Found[] = [];
  for (const u of uses) {
    if (u.valueSpan?.line !== d.line || u.value === undefined || !u.option || CAPS_OPTIONS.has(u.option.name)) continue;
    if (!ALLCAPS_VALUE.test(u.value) || u.value.length < 3) continue;
    const start = u.valueSpan.columns[0]!;
    const end = u.valueSpan.columns[u.valueSpan.columns.length - 1]!;
    if (!taken.some((f) => start < f.end && f.start < end)) out.push({ kind: 'field', start, end, text: u.value });
  }
  return out;
}

export const checkPlaceholders: Rule = (ctx) => {
  const template = isTemplate(ctx);
  // Uses by the lines they touch, so each directive line looks only at its own.
  const byLine = new Map<number, OptionUse[]>();
  for (const u of ctx.reading.uses) {
    for (const line of new Set([u.nameSpan.line, u.valueSpan?.line ?? u.nameSpan.line])) {
      const list = byLine.get(line);
      if (list) list.push(u);
      else byLine.set(line, [u]);
    }
  }
  for (const d of ctx.script.directives) {
    const text = ctx.script.lines[d.line]!;
    const from = d.magic.length;
    const to = d.rest?.reason === 'comment' ? d.rest.column : text.length;
    const uses = byLine.get(d.line) ?? [];
    // An option's own name is never a field: `--xxxx` is an unknown option, not a stand-in.
    const names = uses.filter((u) => u.nameSpan.line === d.line).map((u) => u.nameSpan);
    const fields = fieldsOf(text, from, to).filter((f) => !names.some((n) => f.start < n.end && n.start < f.end));
    for (const f of capsStandIns(ctx, d, uses, fields)) fields.push(f);
    for (const f of fields) report(ctx, d.line, f, optionAt(uses, d.line, f.start), template);
  }
};

function report(ctx: RuleContext, line: number, f: Found, option: string | undefined, template: boolean): void {
  const range: Range = lineRange(line, f.start, f.end);
  if (f.kind === 'control') {
    ctx.report('SBATCH106', range, `"${f.text}" is template syntax: render the template before submitting; sbatch would read it literally.`,
      { claims: range, severity: 'information' });
    return;
  }
  if (f.kind === 'tilde') {
    ctx.report('SBATCH115', range,
      `sbatch does not expand "~" in #SBATCH lines: this path names a folder "~" below the working folder, which does not exist, so the job fails without output. Write the path out (e.g. /home/<you>/...) or make it relative.`,
      { claims: range });
    return;
  }
  if (f.kind === 'variable' && !template) {
    const name = /\w+/.exec(f.text.slice(1))![0];
    const pattern = option && PATTERN_OPTIONS.has(option) ? PATTERN_FOR[name] : undefined;
    const fixes: Fix[] = pattern ? [{ title: `Use ${pattern}, which Slurm fills in`, preferred: true, edits: [{ range, newText: pattern }] }] : [];
    const what = option === 'account' ? ` and refuses the job for an account literally named "${f.text}"`
      : option && PATTERN_OPTIONS.has(option) ? ` and writes to a path with "${f.text}" in its name`
      : '';
    ctx.report('SBATCH115', range,
      `sbatch does not expand shell variables in #SBATCH lines: "${f.text}" is used as written${what}.` +
      (pattern ? ` Use ${pattern} instead.` : ' Write the value out, or pass it on the command line (sbatch --opt="$VAR" job.sh).'),
      { claims: range, fixes });
    return;
  }
  if (template) {
    ctx.report('SBATCH106', range, `"${f.text}" is a template field: this file is a template, so that is expected; sbatch must only ever see it rendered.`,
      { claims: range, severity: 'information' });
    return;
  }
  const account = option === 'account' ? ' and reject the job for an unknown account' : '';
  ctx.report('SBATCH106', range,
    `"${f.text}" looks like a placeholder from a template (an unfilled template field); sbatch will use it literally${account}. Put in the real value.`,
    { claims: range });
}
