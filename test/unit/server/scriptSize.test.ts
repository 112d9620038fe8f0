/**
 * sbatch's limit on a script: with Slurm's default max_script_size, slurmctld takes 4,194,304
 * bytes and refuses 4,194,305 ("allocation failure: Pathname of a file, directory or other
 * parameter too long", checked with sbatch --test-only on the 22.05 test cluster). The linter
 * says so in one finding and reads no further.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { lintText, MAX_SCRIPT_BYTES } from '../../../server/src/lint';

const HEAD = '#!/bin/bash\n#SBATCH --time=1\n';
const TAIL = 'true\n';
/** A script of exactly `bytes` bytes, filled with a comment of `fill` characters. */
function scriptOf(bytes: number, fill = '#'): string {
  const room = bytes - Buffer.byteLength(HEAD + TAIL) - 1;
  const unit = Buffer.byteLength(fill);
  return HEAD + fill.repeat(Math.floor(room / unit)) + '#'.repeat(room % unit) + '\n' + TAIL;
}

describe('the size of a script', () => {
  test('4 MiB is accepted, one byte more is refused: one error, nothing else read', () => {
    assert.equal(MAX_SCRIPT_BYTES, 4_194_304);
    const at = scriptOf(MAX_SCRIPT_BYTES);
    assert.equal(Buffer.byteLength(at), MAX_SCRIPT_BYTES);
    assert.deepEqual(lintText(at).map((d) => d.code), []);
    const over = lintText(scriptOf(MAX_SCRIPT_BYTES + 1));
    assert.deepEqual(over.map((d) => [d.code, d.severity]), [['SBATCH005', 'error']]);
    assert.match(over[0]!.message, /^The script is 4\.0 MB: sbatch refuses a batch script over 4 MB/);
  });

  test('bytes, not characters: a script of 2-byte characters over the limit is refused', () => {
    const text = scriptOf(MAX_SCRIPT_BYTES + 2, 'é');
    assert.ok(text.length < MAX_SCRIPT_BYTES, 'fewer characters than the limit');
    assert.deepEqual(lintText(text).map((d) => d.code), ['SBATCH005']);
  });

  test('a 30 MB line: one finding, no heap exhaustion', () => {
    const d = lintText(`${HEAD}#SBATCH --comment=${'x'.repeat(30 * 1024 * 1024)}\n${TAIL}`);
    assert.deepEqual(d.map((x) => x.code), ['SBATCH005']);
    assert.match(d[0]!.message, /^The script is 30\.0 MB/);
  });

  // Heap, not time, is what can be asserted: the collector's work was the seconds. Each lint
  // runs in a node with a capped heap; running out of it kills that node.
  const lintUnder = (heapMb: number, line: string): string => {
    const code = `const { lintText } = require(${JSON.stringify(path.join(__dirname, '../../../server/src/lint'))});\n` +
      `const d = lintText('#!/bin/bash\\n' + ${line} + '\\n');\nprocess.stdout.write(d.map((x) => x.code).join(','));`;
    const r = spawnSync(process.execPath, [`--max-old-space-size=${heapMb}`, '--import', 'tsx', '-e', code], { encoding: 'utf8', cwd: path.join(__dirname, '../../..') });
    assert.equal(r.status, 0, `out of ${heapMb} MB of heap? ${r.stderr.slice(-300)}`);
    return r.stdout;
  };

  test('a directive line just under 4 MB, one word or 2 million: linted in a bounded heap', { timeout: 120_000 }, () => {
    // 4 million one-character strings joined one `+=` at a time needed over 128 MB; 2 million
    // words' columns in arrays grown to 17 slots needed over 512 MB.
    assert.equal(lintUnder(128, `'#SBATCH --job-name=' + 'a'.repeat(${MAX_SCRIPT_BYTES - 200})`), '');
    assert.equal(lintUnder(448, `'#SBATCH --job-name=x ' + 'a '.repeat(${(MAX_SCRIPT_BYTES - 200) / 2})`), 'SBATCH011');
  });
});

