/**
 * Lint truth on the realistic corpus (test/fixtures/real-scripts, see its README.md): batch
 * scripts in the styles users meet (centre examples, ML launchers, MPI codes, pipelines,
 * templates, hetjobs), most of them correct, judged by hand as a Slurm expert on the script's
 * site would, with real `sbatch --test-only` verdicts.
 *
 * Asserts: no error where sbatch accepts (a `siteOnly` rejection counts as accepted: only the
 * test cluster's names, sizes or plugins refused it), no warning or error on a must-stay-quiet
 * line, recall >= 0.9 (expected line+code found at any severity) and precision >= 0.9
 * (warnings and errors on accepted scripts that match an expected line+code). Prints a per-code
 * table and every false positive and miss, to work from.
 *
 * Run: node --import tsx --test test/unit/server/realScripts.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { lintText, type LintDiagnostic } from '../../../server/src/lint';
import { REAL_SCRIPTS_DIR, acceptedOnSite, loadRealExpected, realScriptFiles, type RealScriptEntry } from '../../cluster/realScriptsCorpus';

const MIN_SCRIPTS = 120;
const MIN_RECALL = 0.9;
const MIN_PRECISION = 0.9;
/** Scripts written and judged after the rules were tuned, before the linter ran on them. */
const HELDOUT_PREFIX = 'heldout-';

const files = realScriptFiles();
const expected = loadRealExpected();

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

interface Linted {
  readonly file: string;
  readonly entry: RealScriptEntry;
  readonly diagnostics: readonly LintDiagnostic[];
  readonly accepted: boolean;
}

/** Lint as the language server does: with the file's path, a real folder check, the site's release. */
function lintFile(file: string): Linted {
  const entry = expected[file]!;
  const filePath = path.join(REAL_SCRIPTS_DIR, file);
  const diagnostics = lintText(readFileSync(filePath, 'utf8'), {
    filePath,
    directoryExists: isDirectory,
    ...(entry.slurmVersion !== undefined ? { slurmVersion: entry.slurmVersion } : {}),
  });
  return { file, entry, diagnostics, accepted: entry.sbatch !== undefined && acceptedOnSite(entry.sbatch) };
}

const lineOf = (d: LintDiagnostic): number => d.range.start.line + 1;
const loud = (d: LintDiagnostic): boolean => d.severity === 'error' || d.severity === 'warning';
const show = (file: string, d: LintDiagnostic): string => `${file}:${lineOf(d)} ${d.severity} ${d.code} ${d.message}`;

test('corpus: every script has expectations and a recorded sbatch verdict, and vice versa', () => {
  assert.ok(files.length >= MIN_SCRIPTS, `only ${files.length} scripts`);
  assert.deepEqual(Object.keys(expected).sort(), files);
  for (const file of files) {
    const e = expected[file]!;
    assert.ok(e.sbatch, `${file}: no sbatch verdict (run test/cluster/record-corpus.sh)`);
    assert.ok(e.sbatch.accepted || e.sbatch.siteOnly !== undefined, `${file}: rejected, but not judged siteOnly or not`);
    const lines = readFileSync(path.join(REAL_SCRIPTS_DIR, file), 'utf8').split('\n').length;
    for (const f of e.expect) assert.ok(f.line >= 1 && f.line <= lines, `${file}: expected line ${f.line} is outside the script`);
    for (const q of e.quiet) assert.ok(!e.expect.some((f) => f.line === q), `${file}: line ${q} is both quiet and expected`);
  }
});

const linted = files.filter((f) => expected[f]).map(lintFile);

test('no error where sbatch accepts the script on its site', async (t) => {
  for (const l of linted.filter((x) => x.accepted)) {
    await t.test(l.file, () => {
      const errors = l.diagnostics.filter((d) => d.severity === 'error');
      assert.equal(errors.length, 0, `sbatch accepts ${l.file}, but the linter reports:\n  ${errors.map((d) => show(l.file, d)).join('\n  ')}`);
    });
  }
});

test('no warning or error on a must-stay-quiet line', async (t) => {
  for (const l of linted.filter((x) => x.entry.quiet.length > 0)) {
    await t.test(l.file, () => {
      const quiet = new Set(l.entry.quiet);
      const noisy = l.diagnostics.filter((d) => loud(d) && quiet.has(lineOf(d)));
      assert.equal(noisy.length, 0, `${l.file}: on quiet lines:\n  ${noisy.map((d) => show(l.file, d)).join('\n  ')}`);
    });
  }
});

interface CodeRow { tp: number; fp: number; found: number; missed: number }

interface Score {
  readonly precision: number;
  readonly recall: number;
  readonly fp: number;
  readonly missed: number;
}

/** Scores `set`, prints its per-code table, false positives and misses under `title`. */
function score(title: string, set: readonly Linted[]): Score {
  const rows = new Map<string, CodeRow>();
  const row = (code: string): CodeRow => {
    let r = rows.get(code);
    if (!r) rows.set(code, (r = { tp: 0, fp: 0, found: 0, missed: 0 }));
    return r;
  };
  const falsePositives: string[] = [];
  const misses: string[] = [];
  let scriptsWithTrap = 0;
  let scriptsCaught = 0;
  for (const l of set) {
    const matches = (d: LintDiagnostic): boolean => l.entry.expect.some((f) => f.line === lineOf(d) && f.code === d.code);
    let allFound = true;
    for (const f of l.entry.expect) {
      const hit = l.diagnostics.some((d) => lineOf(d) === f.line && d.code === f.code);
      if (hit) {
        row(f.code).found++;
      } else {
        allFound = false;
        row(f.code).missed++;
        const near = l.diagnostics.filter((d) => d.code === f.code).map(lineOf);
        misses.push(`${l.file}:${f.line} ${f.code} (${f.why})${near.length ? ` -- reported on line ${near.join(', ')} instead` : ''}`);
      }
    }
    if (l.entry.expect.length) {
      scriptsWithTrap++;
      if (allFound) scriptsCaught++;
    }
    // Precision: only where sbatch accepts; a rejected script's errors are the differential's business.
    if (!l.accepted) continue;
    for (const d of l.diagnostics.filter(loud)) {
      if (matches(d)) row(d.code).tp++;
      else {
        row(d.code).fp++;
        falsePositives.push(show(l.file, d));
      }
    }
  }
  const sum = (k: keyof CodeRow): number => [...rows.values()].reduce((n, r) => n + r[k], 0);
  const tp = sum('tp');
  const fp = sum('fp');
  const found = sum('found');
  const missed = sum('missed');
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = found + missed === 0 ? 1 : found / (found + missed);

  const table = [
    'code        TP   FP  found  missed   (TP/FP: warnings+errors on accepted scripts; found/missed: expected, any severity)',
    ...[...rows.keys()].sort().map((code) => {
      const r = rows.get(code)!;
      return `${code.padEnd(10)} ${String(r.tp).padStart(3)}  ${String(r.fp).padStart(3)}  ${String(r.found).padStart(5)}  ${String(r.missed).padStart(6)}`;
    }),
    `all        ${String(tp).padStart(3)}  ${String(fp).padStart(3)}  ${String(found).padStart(5)}  ${String(missed).padStart(6)}`,
    `precision ${precision.toFixed(3)} (${tp}/${tp + fp})   recall ${recall.toFixed(3)} (${found}/${found + missed})   ` +
      `scripts with a trap fully caught ${scriptsCaught}/${scriptsWithTrap}   scripts ${set.length} (${set.filter((l) => l.accepted).length} accepted on their site)`,
  ];
  console.log(`\n${title}\n${table.join('\n')}`);
  if (falsePositives.length) console.log(`\nfalse positives (${falsePositives.length}):\n  ${falsePositives.join('\n  ')}`);
  if (misses.length) console.log(`\nmissed (${misses.length}):\n  ${misses.join('\n  ')}`);
  return { precision, recall, fp, missed };
}

test(`recall >= ${MIN_RECALL} and precision >= ${MIN_PRECISION} on the corpus`, () => {
  // The held-out part (heldout-*) was judged before the linter ever ran on it: its figure is the
  // fair one for scripts the rules were not tuned on. Printed first; the whole corpus is asserted.
  score(`held-out part (${HELDOUT_PREFIX}*)`, linted.filter((l) => l.file.startsWith(HELDOUT_PREFIX)));
  const { precision, recall, fp, missed } = score('real-scripts corpus', linted);
  assert.ok(recall >= MIN_RECALL, `recall ${recall.toFixed(3)} < ${MIN_RECALL}: ${missed} expected findings missed (listed above)`);
  assert.ok(precision >= MIN_PRECISION, `precision ${precision.toFixed(3)} < ${MIN_PRECISION}: ${fp} false warnings/errors (listed above)`);
});
