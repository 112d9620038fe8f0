import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzeScript, lintText } from '../../../../server/src/lint';
import { effectiveOptions } from '../../../../server/src/parser/effectiveOptions';
import { directiveValue, pythonBatchScript } from '../../../../runtimes/src/slurm/pythonJob';

describe('batch script for a Python file', () => {
  test('directives from the choices; srun for several tasks; lints clean', () => {
    const s = pythonBatchScript({ ntasks: 4, cpusPerTask: 2, mem: '1G', time: 10, partition: 'debug', account: 'proj1', gpus: 1 }, 'pi.py');
    assert.match(s, /^#!\/bin\/bash\n/);
    for (const d of ['--job-name=pi', '--ntasks=4', '--cpus-per-task=2', '--mem=1G', '--time=10', '--partition=debug', '--account=proj1', '--gres=gpu:1', '--output=pi-%j.out']) {
      assert.ok(s.includes(`#SBATCH ${d}\n`), d);
    }
    assert.match(s, /export OMP_NUM_THREADS=\$SLURM_CPUS_PER_TASK/);
    assert.match(s, /\nsrun python3 pi\.py\n$/);
    assert.deepEqual(lintText(s).filter((d) => d.severity === 'error'), []);
  });

  test('several tasks of several CPUs: srun passes --cpus-per-task on, so 22.05 finds nothing to warn about', () => {
    // On 22.05-23.02 srun does not inherit it: each task of `srun python3 x.py` got one CPU, and
    // `submit x.py -n 2 --cpus-per-task 2` warned (SBATCH114) about a script the user never wrote.
    const s = pythonBatchScript({ ntasks: 2, cpusPerTask: 2 }, 'x.py');
    assert.match(s, /\nexport SRUN_CPUS_PER_TASK=\$SLURM_CPUS_PER_TASK\n/);
    assert.deepEqual(lintText(s, { slurmVersion: '22.05' }).map((d) => `${d.code} ${d.message}`), []);
    // One task runs without srun: nothing to pass on.
    assert.doesNotMatch(pythonBatchScript({ cpusPerTask: 4 }, 'x.py'), /SRUN_CPUS_PER_TASK/);
  });

  test('one task: the program alone; arrays get per-task output files', () => {
    const s = pythonBatchScript({ array: '0-3' }, 'w.py');
    assert.match(s, /\npython3 w\.py\n$/);
    assert.ok(s.includes('#SBATCH --output=w-%A_%a.out\n'));
  });

  test('hostile names: sbatch reads the job name back exactly; the shell gets one word', () => {
    for (const name of [`a'; rm -rf ~; '`, '$(reboot)', 'has "quotes" and \\ and # hash', 'naïve 日本']) {
      const s = pythonBatchScript({ jobName: name }, `${name}.py`);
      const reading = analyzeScript(s).reading;
      assert.equal(effectiveOptions(reading).get('job-name')?.value, name);
      assert.ok(s.includes(`\npython3 '`), 'program name quoted');
    }
    assert.throws(() => directiveValue('a\nb'), /line break/);
  });
});
