import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_CLUSTER_LENSES, scriptLenses } from '../../../../extension/src/run/scriptLensPlan';

const SCRIPT = '#!/bin/bash\n# a job\n#SBATCH --ntasks=2\n#SBATCH --time=5\nsrun hostname\n';

describe('scriptLenses: the CodeLens over the #SBATCH block', () => {
  test('run here, and submit to each cluster', () => {
    assert.deepEqual(scriptLenses(SCRIPT, { trusted: true, clusters: ['hpc', 'lab'] }).map((l) => [l.line, l.title, l.command, l.cluster]), [
      [2, '$(play) Run locally', 'hpcJobs.run.scriptLocally', undefined],
      [2, '$(cloud-upload) Submit to hpc', 'hpcJobs.run.submitScript', 'hpc'],
      [2, '$(cloud-upload) Submit to lab', 'hpcJobs.run.submitScript', 'lab'],
      [2, '$(watch) Estimate start', 'hpcJobs.run.estimateStart', undefined],
    ]);
    assert.deepEqual(scriptLenses(SCRIPT, { trusted: true, clusters: ['hpc'] }).map((l) => [l.title, l.cluster]).slice(1),
      [['$(cloud-upload) Submit to hpc', 'hpc'], ['$(watch) Estimate start', 'hpc']]);
  });

  test('no cluster, or many: one "Submit…" that asks; nothing to estimate with no cluster', () => {
    const many = Array.from({ length: MAX_CLUSTER_LENSES + 1 }, (_, i) => `c${i}`);
    for (const clusters of [[], many]) {
      const lenses = scriptLenses(SCRIPT, { trusted: true, clusters });
      assert.deepEqual(lenses.map((l) => l.title), ['$(play) Run locally', '$(cloud-upload) Submit…', ...(clusters.length ? ['$(watch) Estimate start'] : [])]);
      assert.equal(lenses[1]!.cluster, undefined);
    }
  });

  test('an untrusted workspace gets none: both would execute the script', () => {
    assert.deepEqual(scriptLenses(SCRIPT, { trusted: false, clusters: ['hpc'] }), []);
  });

  test('a shell script without directives gets none', () => {
    assert.deepEqual(scriptLenses('#!/bin/bash\necho hi\n', { trusted: true, clusters: ['hpc'] }), []);
  });
});
