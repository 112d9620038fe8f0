/** Table-driven checks for the value checkers: one row per value, one test per row. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DiagnosticCode } from '../../../../server/src/rules/codes';
import type { ValueChecker, ValueContext } from '../../../../server/src/values/valueCheck';

export interface Row {
  readonly value: string;
  /** Option name; the table's default otherwise. */
  readonly option?: string;
  readonly context?: ValueContext;
  /** The issue codes, in order; [] (the default) means no issue. */
  readonly codes?: readonly DiagnosticCode[];
  /** [start, end) of the first issue; `null` = the whole value (no offsets). */
  readonly span?: readonly [number, number] | null;
  /** The first issue's message matches. */
  readonly message?: RegExp;
  /** Exact text, or a pattern; `null` = no meaning. */
  readonly meaning?: string | RegExp | null;
  /** deepEqual to the parsed value; `null` = no parsed value. */
  readonly parsed?: unknown;
}

export function runRows(checker: ValueChecker, defaultOption: string, rows: readonly Row[]): void {
  for (const row of rows) {
    const option = row.option ?? defaultOption;
    const label = `--${option}=${JSON.stringify(row.value)}${row.context?.slurmVersion ? ` (${row.context.slurmVersion})` : ''}`;
    test(label, () => {
      const r = checker(row.value, option, row.context);
      assert.deepEqual(r.issues.map((i) => i.code), row.codes ?? [], r.issues.map((i) => i.message).join(' | '));
      const first = r.issues[0];
      if (row.span !== undefined) {
        assert.ok(first, 'an issue is expected for span');
        if (row.span === null) {
          assert.equal(first.start, undefined);
          assert.equal(first.end, undefined);
        } else {
          assert.deepEqual([first.start, first.end], row.span);
        }
      }
      if (row.message) assert.match(first?.message ?? '', row.message);
      if (row.meaning === null) assert.equal(r.meaning, undefined);
      else if (typeof row.meaning === 'string') assert.equal(r.meaning, row.meaning);
      else if (row.meaning) assert.match(r.meaning ?? '', row.meaning);
      if (row.parsed === null) assert.equal(r.parsed, undefined);
      else if (row.parsed !== undefined) assert.deepEqual(r.parsed, row.parsed);
    });
  }
}
