/**
 * The realistic corpus's recorded sbatch verdicts (test/fixtures/real-scripts/expected.json) still
 * hold on the live cluster: `sbatch --test-only` is run again on every script and must give the
 * recorded exit status, message and acceptance, so test/unit/server/realScripts.test.ts cannot rest on a
 * verdict that drifted from the real Slurm. Skipped when no controller answers, except when CI=true
 * or HPC_JOBS_REQUIRE_CLUSTER=1, where it fails (as sbatchDifferential.test.ts (b)).
 *
 * Run: node --import tsx --test test/cluster/realScriptsVerdicts.test.ts
 * Re-record (after adding scripts, or if Slurm changed): bash test/cluster/record-corpus.sh
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REAL_SCRIPTS_DIR, loadRealExpected, realScriptFiles } from './realScriptsCorpus';
import { liveClusterOrSkip, sbatchTestOnly } from './sbatchTestOnly';

test('live sbatch --test-only agrees with the real-scripts verdicts', async (t) => {
  if (!liveClusterOrSkip(t)) return;
  const expected = loadRealExpected();
  const work = mkdtempSync(path.join(os.tmpdir(), 'real-scripts-verdicts-'));
  try {
    for (const file of realScriptFiles()) {
      await t.test(file, () => {
        const want = expected[file]?.sbatch;
        assert.ok(want, `${file}: no recorded verdict (run test/cluster/record-corpus.sh)`);
        const got = sbatchTestOnly(path.join(REAL_SCRIPTS_DIR, file), work);
        assert.deepEqual(
          got,
          { exit: want.exit, stderr: want.stderr, accepted: want.accepted },
          `${file}: the live sbatch disagrees with expected.json (re-record with test/cluster/record-corpus.sh if Slurm changed)`,
        );
      });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
