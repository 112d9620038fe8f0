/**
 * Differential test: the linter reports an error exactly where sbatch rejects a script.
 *
 * (a) always: every script in test/fixtures/sbatch-corpus is linted and must have an error-severity
 *     diagnostic if and only if sbatch rejected it (test/fixtures/sbatch-corpus/expected.json,
 *     recorded from Slurm 22.05 by test/cluster/record-corpus.sh).
 * (b) with a cluster (test/cluster/up.sh): `sbatch --test-only` is run again on every script and
 *     must give the recorded verdict, so the fixture cannot drift from the real Slurm. Skipped when
 *     no controller answers, except when CI=true or HPC_JOBS_REQUIRE_CLUSTER=1, where it fails.
 *
 * Run: node --import tsx --test test/cluster/sbatchDifferential.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lintText, type LintDiagnostic } from '../../server/src/lint';
import { CORPUS_DIR, corpusFiles, liveClusterOrSkip, loadExpected, sbatchTestOnly } from './sbatchTestOnly';

const files = corpusFiles();
const expected = loadExpected();

function describe(d: LintDiagnostic): string {
  return `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code} ${d.message}`;
}

test('corpus: every script has a recorded verdict and vice versa', () => {
  assert.ok(files.length >= 60, `corpus has only ${files.length} scripts`);
  assert.deepEqual(Object.keys(expected).sort(), files);
  const accepted = files.filter((f) => expected[f]!.accepted).length;
  assert.ok(accepted > 0 && accepted < files.length, 'the corpus needs both accepted and rejected scripts');
});

test('linter: an error exactly where sbatch rejects the script', async (t) => {
  for (const file of files) {
    await t.test(file, () => {
      const want = expected[file];
      assert.ok(want, `${file}: no entry in expected.json (run test/cluster/record-corpus.sh)`);
      const filePath = path.join(CORPUS_DIR, file);
      const text = readFileSync(filePath, 'utf8');
      // expected.json was recorded from Slurm 22.05: lint for that release.
      const diagnostics = lintText(text, { filePath, slurmVersion: '22.05' });
      const errors = diagnostics.filter((d) => d.severity === 'error');
      const hasError = errors.length > 0;
      assert.equal(
        hasError,
        !want.accepted,
        want.accepted
          ? `${file}: sbatch accepts it, but the linter reports:\n  ${errors.map(describe).join('\n  ')}`
          : `${file}: sbatch rejects it (exit ${want.exit}: ${want.stderr}), but the linter reports no error` +
              (diagnostics.length ? `; it reports:\n  ${diagnostics.map(describe).join('\n  ')}` : ''),
      );
    });
  }
});

test('live sbatch --test-only agrees with expected.json', async (t) => {
  if (!liveClusterOrSkip(t)) return;
  const work = mkdtempSync(path.join(os.tmpdir(), 'sbatch-differential-'));
  try {
    for (const file of files) {
      await t.test(file, () => {
        const got = sbatchTestOnly(path.join(CORPUS_DIR, file), work);
        assert.deepEqual(got, expected[file], `${file}: the live sbatch disagrees with expected.json (re-record with test/cluster/record-corpus.sh if Slurm changed)`);
      });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
