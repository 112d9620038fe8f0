/**
 * The resource summary after the directive block: the key figures, short (VS Code cuts a hint
 * at editor.inlayHints.maximumLength, 43 characters by default, so the core-hours came last and
 * never showed), and the whole breakdown with its numbers in the tooltip.
 */
import { InlayHintKind, MarkupKind, type InlayHint } from 'vscode-languageserver';
import { jobResources, resourceBreakdown, shortResources } from '../jobResources';
import type { ScriptAnalysis } from '../lint';

export function resourceHints(a: ScriptAnalysis): InlayHint[] {
  const hints: InlayHint[] = [];
  const components = [...new Set(a.script.directives.map((d) => d.component))];
  for (const component of components) {
    const lines = a.script.directives.filter((d) => d.component === component && d.tokens.length > 0);
    const last = lines[lines.length - 1];
    if (!last || !a.reading.uses.some((u) => u.component === component)) continue;
    const resources = jobResources(a.reading, component);
    hints.push({
      position: { line: last.line, character: a.script.lines[last.line]!.length },
      label: shortResources(resources),
      kind: InlayHintKind.Type,
      paddingLeft: true,
      tooltip: {
        kind: MarkupKind.Markdown,
        value: [`**What this job asks Slurm for**${components.length > 1 ? ` (component ${component})` : ''}`, '', ...resourceBreakdown(resources).map((l) => `- ${l}`)].join('\n'),
      },
    });
  }
  return hints;
}
