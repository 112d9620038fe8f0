/** Outline: the directive block (one per job component) with each option as a child. */
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import type { ScriptAnalysis } from '../lint';
import { spanRange } from '../rules/ruleContext';

export function documentSymbols(a: ScriptAnalysis): DocumentSymbol[] {
  const components = [...new Set(a.script.directives.map((d) => d.component))];
  return components.flatMap((component) => {
    const lines = a.script.directives.filter((d) => d.component === component);
    if (lines.length === 0) return [];
    const first = lines[0]!; const last = lines[lines.length - 1]!;
    const range = { start: { line: first.line, character: 0 }, end: { line: last.line, character: a.script.lines[last.line]!.length } };
    const children: DocumentSymbol[] = a.reading.uses.filter((u) => u.component === component).map((u) => ({
      name: u.option ? `--${u.option.name}` : u.written,
      detail: u.value ?? '',
      kind: SymbolKind.Property,
      range: spanRange(u.span),
      selectionRange: spanRange(u.nameSpan),
    }));
    return [{
      name: components.length > 1 ? `Job component ${component}` : 'Slurm directives',
      detail: `${children.length} option${children.length === 1 ? '' : 's'}`,
      kind: SymbolKind.Namespace, range, selectionRange: { start: range.start, end: { line: first.line, character: first.magic.length } },
      children,
    }];
  });
}
