/**
 * A small table runner for rule tests kept outside rules.test.ts (issue 13's codes): each case
 * lints a script and pins the code's ranges and severity, optionally a message, the codes
 * reported in all, and the text after the preferred fix (which must clear the code).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lintText, type LintDiagnostic, type LintOptions } from '../../../../server/src/lint';
import type { DiagnosticCode, Severity } from '../../../../server/src/rules/codes';
import { applyEdits } from '../textEdits';

/** `#!/bin/bash`, the lines given, each ended by `\n`. */
export const sh = (...lines: string[]): string => ['#!/bin/bash', ...lines].map((l) => l + '\n').join('');

/** [line, startCharacter, endLine, endCharacter], 0-based as in LSP. */
export type R = readonly [number, number, number, number];
export const rangeOf = (d: LintDiagnostic): R => [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character];

export interface Case {
  readonly title: string;
  readonly text: string;
  readonly options?: LintOptions;
  /** Ranges of every diagnostic with the code; empty: the code must not be reported. */
  readonly ranges: readonly R[];
  readonly severity?: Severity;
  readonly message?: RegExp;
  /** Every code reported, when the case pins that down. */
  readonly all?: readonly DiagnosticCode[];
  /** The text after the first diagnostic's preferred fix. */
  readonly fixed?: string;
}

const show = (ds: readonly LintDiagnostic[]) => ds.map((d) => `  ${d.severity} ${d.code} ${JSON.stringify(rangeOf(d))} ${d.message}`).join('\n') || '  (none)';

export function runCases(code: DiagnosticCode, cases: readonly Case[]): void {
  for (const c of cases) {
    test(`${c.ranges.length ? 'reports' : 'silent'}: ${c.title}`, () => {
      const all = lintText(c.text, c.options);
      const found = all.filter((d) => d.code === code);
      assert.deepEqual(found.map(rangeOf), c.ranges, `ranges of ${code}; everything reported:\n${show(all)}`);
      if (c.severity) for (const d of found) assert.equal(d.severity, c.severity, show(found));
      if (c.message) assert.match(found[0]!.message, c.message);
      if (c.all) assert.deepEqual([...new Set(all.map((d) => d.code))].sort(), [...c.all].sort(), `everything reported:\n${show(all)}`);
      if (c.fixed !== undefined) {
        const fix = found[0]!.fixes?.find((f) => f.preferred) ?? found[0]!.fixes?.[0];
        assert.ok(fix, `${code} has no fix`);
        const fixed = applyEdits(c.text, fix.edits);
        assert.equal(fixed, c.fixed);
        assert.deepEqual(show(lintText(fixed, c.options).filter((d) => d.code === code)), show([]), `${code} still reported after "${fix.title}"`);
      }
    });
  }
}
