/**
 * Applying a quick fix's edits to a text, as an editor does: the rule tests, the rule tables and
 * the fuzzer check what a fix makes of a script with this one function.
 */
import assert from 'node:assert/strict';
import type { TextEdit } from '../../../server/src/rules/ruleContext';

/** Offset of an LSP position; like editors, a position past a line's end or the text's end is clamped. */
function offsetAt(text: string, lineStarts: readonly number[], line: number, character: number): number {
  if (line >= lineStarts.length) return text.length;
  const start = lineStarts[line]!;
  const end = line + 1 < lineStarts.length ? lineStarts[line + 1]! - 1 : text.length;
  return Math.min(start + character, end);
}

/** Applies edits whose ranges all refer to the original text (LSP WorkspaceEdit semantics). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const spans = edits
    .map((e, order) => ({
      from: offsetAt(text, lineStarts, e.range.start.line, e.range.start.character),
      to: offsetAt(text, lineStarts, e.range.end.line, e.range.end.character),
      newText: e.newText, order,
    }))
    .sort((a, b) => a.from - b.from || a.order - b.order);
  for (let i = 1; i < spans.length; i++) {
    assert.ok(spans[i]!.from >= spans[i - 1]!.to, `edits overlap: ${JSON.stringify(edits)}`);
  }
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.from) + s.newText;
    at = s.to;
  }
  return out + text.slice(at);
}
