/**
 * The name of a submission's own folder on the cluster: findable (script name and time), safe
 * whatever the script's name (no shell or path characters, never a leading dot or dash).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { submissionFolderName } from '../../../../runtimes/src/slurm/batchSubmit';

const at = new Date(2026, 11, 7, 10, 15, 0);

test('script name without its extension, local time, a random end', () => {
  assert.match(submissionFolderName('job_MPI.slurm', at), /^job_MPI-20261207-101500-[0-9a-f]{4}$/);
  assert.match(submissionFolderName('train.v2.sbatch', at), /^train\.v2-20261207-101500-[0-9a-f]{4}$/);
});

test('hostile or empty names become safe ones', () => {
  for (const [name, stem] of [
    [`b'; touch pwned; '.sh`, 'b_touch_pwned_'], ['$(rm -rf ~).sh', '_rm_-rf_'], ['two\nlines.sh', 'two_lines'],
    ['--help', 'help'], ['.hidden', 'job'], ['..', 'job'], ['ünï cödé.sh', '_n_c_d_'],
  ] as const) {
    const got = submissionFolderName(name, at);
    assert.equal(got.slice(0, -21), stem, `${JSON.stringify(name)} → ${got}`);
    assert.match(got, /^[A-Za-z0-9_+][A-Za-z0-9._+-]*$/);
  }
  assert.ok(submissionFolderName('x'.repeat(300), at).length < 80);
});
