import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultDirectives, formatDirectives, parseDirectives } from '../../../extension/src/run/jobDirectives';
import { pythonBatchScript } from '../../../runtimes/src/slurm/pythonJob';
import { lintText } from '../../../server/src/lint';

describe('parseDirectives: the sbatch options typed for a Python job', () => {
  test('long, short, = or a separate word', () => {
    assert.deepEqual(parseDirectives('--ntasks=4 -c 2 --time 1:00:00 -p debug --mem=4G -A proj1 --gres=gpu:1 -N2 --job-name=pi --array=0-9%2').spec, {
      ntasks: 4, cpusPerTask: 2, time: '1:00:00', partition: 'debug', mem: '4G', account: 'proj1', gpus: 1, nodes: 2, jobName: 'pi', array: '0-9%2',
    });
  });
  test('empty: the defaults of the generated script', () => assert.deepEqual(parseDirectives('  ').spec, {}));

  const rejected: Array<[string, RegExp]> = [
    ['--ntasks=0', /--ntasks must be a whole number of at least 1, not "0"/],
    ['--ntasks=four', /--ntasks must be a whole number/],
    ['--time=10:70:99:1', /time/i],
    ['--mem=4GiB', /mem/i],
    ['--tiem=10', /Unknown option --tiem: use --job-name, --nodes, --ntasks/],
    ['-x 3', /Unknown option -x/],
    ['ntasks=4', /"ntasks=4" is not an option/],
    ['--ntasks', /--ntasks needs a value/],
    ['--ntasks=2 --ntasks=3', /--ntasks is given twice/],
    ['--gres=gpu:a100:1', /give GPUs per node as gpu:N/],
    ['--partition="debug"', /quotes and backslashes are not needed/],
  ];
  for (const [text, re] of rejected) test(`${text} rejected`, () => assert.match(parseDirectives(text).error ?? '(accepted)', re));
});

describe('formatDirectives ↔ parseDirectives', () => {
  test('round trip', () => {
    const spec = { ntasks: 4, cpusPerTask: 2, time: '30', partition: 'debug', mem: '1G', gpus: 2 };
    const text = formatDirectives(spec);
    assert.equal(text, '--ntasks=4 --cpus-per-task=2 --mem=1G --time=30 --partition=debug --gres=gpu:2');
    assert.deepEqual(parseDirectives(text).spec, spec);
  });

  test('the defaults make a script the linter accepts', () => {
    for (const mpi of [false, true]) {
      const spec = parseDirectives(formatDirectives(defaultDirectives(mpi))).spec!;
      const errors = lintText(pythonBatchScript(spec, 'pi.py'), {}).filter((d) => d.severity === 'error');
      assert.deepEqual(errors, [], `mpi=${mpi}`);
    }
  });
});
