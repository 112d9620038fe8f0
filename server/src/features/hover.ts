/** Hover: what an option asks for, and how Slurm reads the value written. */
import type { Hover, MarkupContent } from 'vscode-languageserver';
import type { Position, ScriptAnalysis } from '../lint';
import type { SbatchOption } from '../options/optionTypes';
import { checkValue } from '../values';
import { FILE_PATTERNS } from './filePatterns';
import { targetAt } from './positions';
import { spanRange } from '../rules/ruleContext';

export function optionDoc(o: SbatchOption): string {
  const names = [`--${o.name}${o.arg === 'required' ? `=${o.valueHint ?? '<value>'}` : o.arg === 'optional' ? `[=${o.valueHint ?? '<value>'}]` : ''}`];
  if (o.short) names.push(`-${o.short}${o.arg === 'none' ? '' : ` ${o.valueHint ?? '<value>'}`}`);
  // "or", not a comma: VS Code pads code spans, so a comma after one reads as "<count> ,".
  const lines = [`**${names.map((n) => '`' + n + '`').join(' or ')}**`, '', o.description];
  if (o.values?.length && o.type === 'enum') lines.push('', `Values: ${o.values.map((v) => '`' + v + '`').join(', ')}`);
  const history = [o.since ? `since Slurm ${o.since}` : '', o.removed ? `removed in ${o.removed}` : ''].filter(Boolean).join(', ');
  if (history) lines.push('', `_${history}_`);
  if (o.deprecated) lines.push('', `**Deprecated:** ${o.deprecated}`);
  if (o.conflicts?.length) lines.push('', `Cannot be combined with ${o.conflicts.map((c) => '`--' + c + '`').join(', ')}.`);
  return lines.join('\n');
}

const markdown = (value: string): MarkupContent => ({ kind: 'markdown', value });

export function hoverAt(a: ScriptAnalysis, p: Position): Hover | null {
  const t = targetAt(a, p);
  switch (t.kind) {
    case 'name': {
      const o = t.use.option;
      if (!o) {
        const plugin = t.use.plugin;
        if (plugin) {
          return { contents: markdown(`**\`${t.use.written}\`** comes from a site plugin: ${plugin.plugin}. sbatch knows it only where that SPANK plugin is installed (\`sbatch --help\` lists it under "Options provided by plugins").`), range: spanRange(t.use.nameSpan) };
        }
        const c = t.use.candidates;
        return c?.length ? { contents: markdown(`\`${t.use.written}\` is ambiguous; it could be ${c.map((x) => '`--' + x.name + '`').join(', ')}.`), range: spanRange(t.use.nameSpan) } : null;
      }
      const abbreviated = t.use.resolution === 'prefix' ? `\n\n\`${t.use.written}\` is an abbreviation of \`--${o.name}\`.` : '';
      return { contents: markdown(optionDoc(o) + abbreviated), range: spanRange(t.use.nameSpan) };
    }
    case 'value': {
      const o = t.use.option;
      if (!o || t.use.value === undefined) return null;
      const version = a.options.slurmVersion;
      const check = checkValue(o.type, t.use.value, o.name, o.values, version ? { slurmVersion: version } : {});
      const parts = [`**--${o.name}** = \`${t.use.value}\``];
      if (check.meaning) parts.push('', check.meaning);
      if (o.type === 'filePattern') {
        const used = FILE_PATTERNS.filter((fp) => t.use.value!.includes(fp.pattern));
        if (used.length) parts.push('', ...used.map((fp) => `- \`${fp.pattern}\`: ${fp.description}`));
      }
      parts.push('', '---', o.description);
      return { contents: markdown(parts.join('\n')) };
    }
    case 'magic':
      return { contents: markdown('**#SBATCH** — sbatch reads options from these lines until the first command. Command-line options and `SBATCH_*` environment variables override them.') };
    case 'pbs': {
      // What the line does is worked out once, by the rule (SBATCH113); the hover repeats it.
      const d = a.diagnostics.find((x) => x.code === 'SBATCH113' && x.range.start.line === t.line);
      return { contents: markdown(`**#PBS** — sbatch translates Torque/PBS directives (after the \`#SBATCH\` lines, so they win) unless \`--ignore-pbs\` is given.${d ? `\n\n${d.message}` : ''}`) };
    }
    case 'ignored':
      return { contents: markdown('sbatch does **not** read this line: only lines that start in column 1 with `#SBATCH`, before the first command, are directives.') };
    default:
      return null;
  }
}
