/** The resource summary over the directive block: tasks × CPUs, memory, time, core-hours. */
import { InlayHintKind, type InlayHint } from 'vscode-languageserver';
import { jobResources, summarizeResources } from '../jobResources';
import type { ScriptAnalysis } from '../lint';

export function resourceHints(a: ScriptAnalysis): InlayHint[] {
  const hints: InlayHint[] = [];
  const components = [...new Set(a.script.directives.map((d) => d.component))];
  for (const component of components) {
    const lines = a.script.directives.filter((d) => d.component === component && d.tokens.length > 0);
    const last = lines[lines.length - 1];
    if (!last || !a.reading.uses.some((u) => u.component === component)) continue;
    const summary = summarizeResources(jobResources(a.reading, component));
    hints.push({
      position: { line: last.line, character: a.script.lines[last.line]!.length },
      label: `  ⟹ ${summary}`,
      kind: InlayHintKind.Type,
      paddingLeft: true,
      tooltip: 'What this job asks Slurm for (core-hours = CPUs × wall time, the most the job can be charged).',
    });
  }
  return hints;
}
