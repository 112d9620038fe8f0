/** Option names as getopt_long reads them: unknown, ambiguous, abbreviated, repeated, in conflict. */
import type { SbatchOption } from '../options/optionTypes';
import { existsIn, matchLongOption, sameOptionAs, suggestOptions } from '../options/sbatchOptions';
import { releaseNumber } from '../options/optionLookup';
import { componentsOf, effectiveOptions, parsedValue } from '../parser/effectiveOptions';
import type { NodeCount } from '../values/nodes';
import type { OptionUse } from '../parser/optionReader';
import { isCSpace } from '../parser/directiveTokens';
import type { Fix, Rule, TextEdit } from './ruleContext';
import { lineRange, spanRange } from './ruleContext';

const dashed = (o: SbatchOption) => `--${o.name}`;

const MAX_SUGGEST_LENGTH = 64;

/** Options nobody puts in a batch script: "did you mean --usage" for `--image` helps nobody. */
const NEVER_SUGGEST = new Set(['usage', 'help', 'version']);

export const checkOptionNames: Rule = (ctx) => {
  const target = ctx.options.slurmVersion;
  for (const use of ctx.reading.uses) {
    const range = spanRange(use.nameSpan);
    if (use.resolution === 'unknown') {
      const name = use.form === 'long' ? use.written.slice(2) : use.written.slice(1);
      const sitePlugins = ctx.options.cluster?.pluginOptions;
      if (use.form === 'long' && sitePlugins?.includes(name)) continue;
      if (use.plugin && !sitePlugins) {
        ctx.report('SBATCH125', range,
          `${use.written} comes from a site plugin (${use.plugin.plugin}): sbatch accepts it only where that plugin is installed, and stops with "unrecognized option" elsewhere.`);
        continue;
      }
      // With a target release the reader only matches that release's options, so an option
      // from another release comes back unknown: say which release has it (SBATCH024).
      const elsewhere = target && use.form === 'long' && name.length > 0 ? matchLongOption(name) : undefined;
      if (elsewhere && (elsewhere.kind === 'exact' || elsewhere.kind === 'prefix')) {
        ctx.report('SBATCH024', range, versionMessage(use.written, elsewhere.option, target!));
        continue;
      }
      // Did-you-mean costs an edit distance per option; no typo of a real name is this long,
      // and a 30,000-character "name" took seconds.
      const suggestions = use.form === 'long' && name.length > 0 && name.length <= MAX_SUGGEST_LENGTH
        ? suggestOptions(name, 3, target).filter((o) => !NEVER_SUGGEST.has(o.name)) : [];
      const fixes: Fix[] = suggestions.map((o, i) => ({
        title: `Change to ${dashed(o)}`, preferred: i === 0,
        edits: [{ range, newText: dashed(o) }],
      }));
      const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.map(dashed).join(', ')}?` : '';
      const what = use.form === 'long' ? `unrecognized option '${use.written}'` : `invalid option -- '${name}'`;
      const onCluster = use.plugin && sitePlugins ? ` (${use.plugin.plugin} is not installed on cluster "${ctx.options.cluster!.name}")` : '';
      const dashHint = use.form === 'short' && use.token.text.length > 2 && !use.token.text.startsWith('--')
        ? ` ("${use.token.text}" is read as short options; long options need two dashes.)` : '';
      ctx.report('SBATCH020', range, `sbatch stops with "${what}"${onCluster}.${hint}${dashHint}`, { fixes });
      continue;
    }
    if (use.resolution === 'ambiguous') {
      const list = (use.candidates ?? []).map(dashed);
      ctx.report('SBATCH021', range,
        `sbatch stops: '${use.written}' is ambiguous; it could be ${list.join(', ')}. Write the full name.`,
        { fixes: (use.candidates ?? []).slice(0, 5).map((o) => ({ title: `Change to ${dashed(o)}`, edits: [{ range, newText: dashed(o) }] })) });
      continue;
    }
    const option = use.option!;
    if (use.resolution === 'prefix') {
      ctx.report('SBATCH110', range,
        `'${use.written}' is read as ${dashed(option)} (getopt accepts unambiguous abbreviations), but a later Slurm option could make it ambiguous. Spell it out.`,
        { fixes: [{ title: `Expand to ${dashed(option)}`, preferred: true, edits: [{ range, newText: dashed(option) }] }] });
    }
    if (use.problem === 'missingValue') {
      ctx.report('SBATCH022', spanRange(use.span),
        `sbatch stops: ${dashed(option)} requires a value${option.valueHint ? ` (${option.valueHint})` : ''}, and no directive word follows it.`);
    } else if (use.problem === 'unexpectedValue') {
      // The `=` itself, not the column before the value: that is a quote in `--hold="yes"`.
      const eq = use.token.columns[use.token.text.indexOf('=')]!;
      ctx.report('SBATCH023', spanRange(use.span),
        `sbatch stops: ${dashed(option)} takes no value ("option '${dashed(option)}' doesn't allow an argument").`,
        { fixes: [{ title: `Remove "=${use.value}"`, preferred: true, edits: [{ range: { start: { line: use.span.line, character: eq }, end: { line: use.span.line, character: use.span.end } }, newText: '' }] }] });
    }
    if (target && !existsIn(option, target)) {
      ctx.report('SBATCH024', range, versionMessage(use.written, option, target));
    }
    if (option.deprecated) {
      ctx.report('SBATCH111', range, `${dashed(option)} is deprecated: ${option.deprecated}`, { tags: ['deprecated'] });
    }
  }
};

function versionMessage(written: string, option: SbatchOption, target: string): string {
  const when = option.since && releaseNumber(target) < releaseNumber(option.since)
    ? `was added in Slurm ${option.since}` : option.removed ? `was removed in Slurm ${option.removed}` : 'is not in that release';
  const what = written === dashed(option) || !written.startsWith('--') ? dashed(option) : `'${written}' (${dashed(option)})`;
  return `${what} ${when}; sbatch ${target} rejects it as an unrecognized option.`;
}

/** Until 24.11 sbatch ORs repeated --mail-type values together; from 25.05 the last one wins. */
const MAIL_TYPE_LAST_WINS = '25.05';

export const checkRepeatedOptions: Rule = (ctx) => {
  const groups = new Map<string, OptionUse[]>();
  for (const use of ctx.reading.uses) {
    if (!use.option || use.problem) continue;
    const key = `${use.component}\u0000${sameOptionAs(use.option.name)}`;
    const list = groups.get(key) ?? [];
    list.push(use);
    groups.set(key, list);
  }
  for (const uses of groups.values()) {
    if (uses.length < 2) continue;
    const option = uses[0]!.option!;
    const last = uses[uses.length - 1]!;
    // The same value again changes nothing: tidy, but no problem worth a report.
    if (uses.every((u) => u.value === last.value)) continue;
    const lastLine = last.span.line + 1;
    if (option.name === 'mail-type') {
      reportMailTypes(ctx, uses, lastLine);
      continue;
    }
    for (const use of uses.slice(0, -1)) {
      const message = option.arg === 'none'
        ? `${dashed(option)} is given again on line ${lastLine}; the repeat changes nothing.`
        : `${dashed(option)} is given again on line ${lastLine} (${last.value ?? ''}); sbatch uses the last one, so "${use.value ?? ''}" here is ignored.`;
      ctx.report('SBATCH103', spanRange(use.span), message, { tags: ['unnecessary'], fixes: [removeUseFix(use, ctx.script.lines)] });
    }
  }
};

function reportMailTypes(ctx: Parameters<Rule>[0], uses: readonly OptionUse[], lastLine: number): void {
  const merged = [...new Set(uses.flatMap((u) => (u.value ?? '').split(',')).map((v) => v.trim().toUpperCase()).filter(Boolean))].join(',');
  const target = ctx.options.slurmVersion;
  const behaviour = target
    ? (releaseNumber(target) < releaseNumber(MAIL_TYPE_LAST_WINS)
      ? `Slurm ${target} combines them, but from 25.05 on only the last one (line ${lastLine}) counts.`
      : `Slurm ${target} keeps only the last one (line ${lastLine}); this one is ignored.`)
    : `Slurm up to 24.11 combines them; 25.05 and later keep only the last one (line ${lastLine}).`;
  const message = `--mail-type is given ${uses.length} times. ${behaviour} Write one: --mail-type=${merged}.`;
  // The merge fix edits every use: attach it once, so many repeats stay linear in size.
  // Combined today (below 25.05, or no release given): worth knowing, not a problem yet.
  const severity = target && !(releaseNumber(target) < releaseNumber(MAIL_TYPE_LAST_WINS)) ? 'warning' : 'information';
  uses.slice(0, -1).forEach((use, i) => ctx.report('SBATCH103', spanRange(use.span), message,
    { severity, fixes: [i === 0 ? mergeFix(uses, `--mail-type=${merged}`, ctx.script.lines) : removeUseFix(use, ctx.script.lines)] }));
}

/** Replaces the first use with `replacement` and removes the others. */
function mergeFix(uses: readonly OptionUse[], replacement: string, lines: readonly string[]): Fix {
  const [first, ...rest] = uses;
  return {
    title: `Merge into ${replacement}`, preferred: true,
    edits: [
      { range: spanRange(first!.span), newText: replacement },
      ...removeUseFix(first!, lines).edits.slice(1), // its value word on the next line, if any
      ...rest.flatMap((u) => removeUseFix(u, lines).edits),
    ],
  };
}

/**
 * Deletes a use: the whole directive line when it holds nothing else, else just the words.
 * A value on the next directive line (`#SBATCH --time` / `#SBATCH 10`) goes with it.
 */
function removeUseFix(use: OptionUse, lines: readonly string[]): Fix {
  const edits = [removeWords(lines, use.span.line, use.span.start, use.span.end)];
  const v = use.valueSpan;
  if (use.valueFrom === 'nextWord' && v && v.line !== use.span.line) {
    // The value word is the first word of its line; widen to its raw start (an opening quote).
    const text = lines[v.line]!;
    let start = v.columns[0]!;
    while (start > 0 && !isCSpace(text[start - 1])) start--;
    edits.push(removeWords(lines, v.line, start, v.columns[v.columns.length - 1]!));
  }
  return { title: `Remove this ${use.written}`, edits };
}

/**
 * Removes columns [start, end) of a directive line, or the whole line when nothing but the
 * magic word, blanks and a comment would be left. Scans only the blanks next to the words, so
 * many uses on one long line stay linear (slicing the line for each use was quadratic).
 */
function removeWords(lines: readonly string[], line: number, start: number, end: number): TextEdit {
  const text = lines[line]!;
  const magic = text.startsWith('#SBATCH') ? 7 : text.startsWith('#SLURM') ? 6 : 0;
  let i = start - 1;
  while (i >= magic && isCSpace(text[i])) i--;
  let j = end;
  while (j < text.length && isCSpace(text[j])) j++;
  const alone = i < magic && (j >= text.length || text[j] === '#');
  return alone
    ? { range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, newText: '' }
    : { range: lineRange(line, start, end), newText: '' };
}

/**
 * Pairs sbatch refuses only from some release on (see the header of sbatchOptions.ts). Without
 * a target release the linter follows 22.05, as the value checkers do: 22.05 accepts
 * --exclusive with --oversubscribe (test/fixtures/sbatch-corpus/059).
 */
const CONFLICT_SINCE: Readonly<Record<string, string>> = {
  'exclusive oversubscribe': '23.02',
  'cpus-per-gpu cpus-per-task': '23.11',
  'external wrap': '26.05',
};

/** Options sbatch refuses unless one of some others is given too. */
const REQUIRES_ONE_OF: Readonly<Record<string, {
  readonly anyOf: readonly string[]; readonly why: string; readonly code: 'SBATCH123';
  /** Other ways the requirement is met. */
  readonly implied?: (present: ReadonlyMap<string, OptionUse>) => boolean;
}>> = {
  // src/interfaces/gres.c: "--gpus-per-task used without either --gpus or -n/--ntasks is not allowed".
  // sbatch sets the task count itself from --ntasks-per-node, or from a fixed --nodes (1 per node,
  // src/sbatch/opt.c "massage the numbers"); a node range, or --cpus-per-task beside --nodes,
  // leaves it unset (checked with sbatch --test-only on 22.05).
  'gpus-per-task': { anyOf: ['gpus', 'ntasks', 'ntasks-per-node'], why: 'Slurm cannot tell how many GPUs the job needs', code: 'SBATCH123',
    implied: (present) => {
      const nodes = parsedValue<NodeCount>(present.get('nodes'));
      return nodes !== undefined && (nodes.max === undefined || nodes.max === nodes.min) && !present.has('cpus-per-task');
    } },
};

export const checkRequirements: Rule = (ctx) => {
  for (const component of componentsOf(ctx.reading)) {
    const present = effectiveOptions(ctx.reading, component);
    for (const [name, req] of Object.entries(REQUIRES_ONE_OF)) {
      const use = present.get(name);
      if (!use || req.anyOf.some((o) => present.has(o)) || req.implied?.(present)) continue;
      ctx.report(req.code, spanRange(use.span),
        `sbatch refuses --${name} without ${req.anyOf.map((o) => `--${o}`).join(' or ')} (or a fixed --nodes): ${req.why}. Add --ntasks.`);
    }
  }
};

export const checkConflicts: Rule = (ctx) => {
  const target = ctx.options.slurmVersion;
  const refused = (pair: string) => {
    const since = CONFLICT_SINCE[pair];
    return since === undefined || (target !== undefined && !(releaseNumber(target) < releaseNumber(since)));
  };
  for (const present of componentsOf(ctx.reading).map((c) => effectiveOptions(ctx.reading, c))) {
    const seen = new Set<string>();
    for (const [name, use] of present) {
      for (const other of use.option!.conflicts ?? []) {
        const o = present.get(other);
        const pair = [name, other].sort().join(' ');
        if (!o || seen.has(pair) || !refused(pair)) continue;
        seen.add(pair);
        const later = o.span.line > use.span.line || (o.span.line === use.span.line && o.span.start > use.span.start) ? o : use;
        const earlier = later === o ? use : o;
        ctx.report('SBATCH025', spanRange(later.span),
          `sbatch refuses ${dashed(earlier.option!)} (line ${earlier.span.line + 1}) together with ${dashed(later.option!)}: use only one of them.`);
      }
    }
  }
};
