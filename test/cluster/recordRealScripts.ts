/**
 * Records what a live `sbatch --test-only` says about every script of the realistic corpus into
 * test/fixtures/real-scripts/expected.json (the `sbatch` field), keeping everything judged by hand:
 * style, slurmVersion, expected findings, quiet lines and `siteOnly`. Run through
 * record-corpus.sh, which checks the cluster first.
 *
 * A new rejection that has no `siteOnly` judgement yet is listed at the end: read its message and
 * decide by hand whether only the test site's names, sizes or plugins refuse it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REAL_EXPECTED_FILE, REAL_SCRIPTS_DIR, formatRealExpected, loadRealExpected, realScriptFiles, type RealScriptsExpected } from './realScriptsCorpus';
import { sbatchTestOnly } from './sbatchTestOnly';

const before = loadRealExpected();
const work = mkdtempSync(path.join(os.tmpdir(), 'real-scripts-'));
try {
  const out: RealScriptsExpected = {};
  const unjudged: string[] = [];
  for (const file of realScriptFiles()) {
    const old = before[file];
    if (!old) throw new Error(`${file}: no entry in ${path.relative(process.cwd(), REAL_EXPECTED_FILE)}; write its expectations first`);
    const v = sbatchTestOnly(path.join(REAL_SCRIPTS_DIR, file), work);
    const siteOnly = v.accepted ? undefined : old.sbatch?.siteOnly;
    if (!v.accepted && siteOnly === undefined) unjudged.push(`${file}: ${v.stderr.split('\n')[0]}`);
    out[file] = { ...old, sbatch: { accepted: v.accepted, exit: v.exit, stderr: v.stderr, ...(siteOnly !== undefined ? { siteOnly } : {}) } };
    console.log(`${v.accepted ? 'accepted' : siteOnly ? 'site-only' : 'REJECTED'} exit=${v.exit} ${file}${v.accepted ? '' : `  ${v.stderr.split('\n')[0]}`}`);
  }
  for (const file of Object.keys(before)) if (!(file in out)) console.log(`dropped: ${file} (no such script)`);
  writeFileSync(REAL_EXPECTED_FILE, formatRealExpected(out));
  const n = Object.keys(out).length;
  const accepted = Object.values(out).filter((e) => e.sbatch?.accepted).length;
  console.log(`${n} scripts: ${accepted} accepted -> ${path.relative(process.cwd(), REAL_EXPECTED_FILE)}`);
  if (unjudged.length) {
    console.log(`\n${unjudged.length} rejection(s) without a siteOnly judgement (set "siteOnly" by hand):\n  ${unjudged.join('\n  ')}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
