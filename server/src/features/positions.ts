/** Finding what sits under a cursor in an analysed script. */
import type { Position } from '../lint';
import type { OptionUse, Span } from '../parser/optionReader';
import type { ScriptAnalysis } from '../lint';

export function inSpan(s: Span, p: Position): boolean {
  return s.line === p.line && p.character >= s.start && p.character <= s.end;
}

export type CursorTarget =
  | { readonly kind: 'name'; readonly use: OptionUse }
  | { readonly kind: 'value'; readonly use: OptionUse; readonly offset: number }
  | { readonly kind: 'magic'; readonly line: number }
  | { readonly kind: 'ignored'; readonly line: number }
  | { readonly kind: 'pbs'; readonly line: number }
  | { readonly kind: 'none' };

export function targetAt(a: ScriptAnalysis, p: Position): CursorTarget {
  for (const use of a.reading.uses) {
    if (inSpan(use.nameSpan, p)) return { kind: 'name', use };
    const v = use.valueSpan;
    if (v && v.line === p.line && p.character >= v.columns[0]! && p.character <= v.columns[v.columns.length - 1]!) {
      const offset = v.columns.findIndex((c) => c >= p.character);
      return { kind: 'value', use, offset: offset < 0 ? v.columns.length - 1 : offset };
    }
  }
  const directive = a.script.directives.find((d) => d.line === p.line);
  if (directive && p.character <= directive.magic.length) return { kind: 'magic', line: p.line };
  if (a.script.ignored.some((ig) => ig.line === p.line)) return { kind: 'ignored', line: p.line };
  if (a.script.pbs.some((l) => l.line === p.line)) return { kind: 'pbs', line: p.line };
  return { kind: 'none' };
}
