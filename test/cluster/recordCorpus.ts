/**
 * Writes test/fixtures/sbatch-corpus/expected.json from a live `sbatch --test-only` of every corpus
 * script. Run through record-corpus.sh, which checks the cluster first.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CORPUS_DIR, EXPECTED_FILE, corpusFiles, sbatchTestOnly, type SbatchVerdict } from './sbatchTestOnly';

const work = mkdtempSync(path.join(os.tmpdir(), 'sbatch-corpus-'));
try {
  const out: Record<string, SbatchVerdict> = {};
  let accepted = 0;
  for (const file of corpusFiles()) {
    const v = sbatchTestOnly(path.join(CORPUS_DIR, file), work);
    out[file] = v;
    if (v.accepted) accepted++;
    console.log(`${v.accepted ? 'accepted' : 'REJECTED'} exit=${v.exit} ${file}${v.accepted ? '' : `  ${v.stderr.split('\n')[0]}`}`);
  }
  writeFileSync(EXPECTED_FILE, `${JSON.stringify(out, null, 2)}\n`);
  const n = Object.keys(out).length;
  console.log(`${n} scripts: ${accepted} accepted, ${n - accepted} rejected -> ${path.relative(process.cwd(), EXPECTED_FILE)}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
