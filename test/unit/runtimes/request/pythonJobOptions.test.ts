import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultJobOptions, formatJobOptions, parseJobOptions, readJobOption } from '../../../../runtimes/src/request/pythonJobOptions';
import { pythonBatchScript } from '../../../../runtimes/src/slurm/pythonJob';
import { lintText } from '../../../../server/src/lint';

describe('parseJobOptions: the sbatch options typed for a Python job', () => {
  test('long, short, = or a separate word', () => {
    assert.deepEqual(parseJobOptions('--ntasks=4 -c 2 --time 1:00:00 -p debug --mem=4G -A proj1 --gres=gpu:1 -N2 --job-name=pi --array=0-9%2').spec, {
      ntasks: 4, cpusPerTask: 2, time: '1:00:00', partition: 'debug', mem: '4G', account: 'proj1', gpus: 1, nodes: 2, jobName: 'pi', array: '0-9%2',
    });
  });
  test('empty: the defaults of the generated script', () => assert.deepEqual(parseJobOptions('  ').spec, {}));

  const rejected: Array<[string, RegExp]> = [
    ['--ntasks=0', /^--ntasks: the number of tasks must be a whole number of at least 1, not 0\.$/],
    ['--ntasks=four', /^--ntasks: the number of tasks must be a whole number of at least 1, not "four"\.$/],
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
  for (const [text, re] of rejected) test(`${text} rejected`, () => assert.match(parseJobOptions(text).error ?? '(accepted)', re));
});

describe('formatJobOptions ↔ parseJobOptions', () => {
  test('round trip', () => {
    const spec = { ntasks: 4, cpusPerTask: 2, time: '30', partition: 'debug', mem: '1G', gpus: 2 };
    const text = formatJobOptions(spec);
    assert.equal(text, '--ntasks=4 --cpus-per-task=2 --mem=1G --time=30 --partition=debug --gres=gpu:2');
    assert.deepEqual(parseJobOptions(text).spec, spec);
  });

  test('the defaults make a script the linter accepts', () => {
    for (const mpi of [false, true]) {
      const spec = parseJobOptions(formatJobOptions(defaultJobOptions(mpi))).spec!;
      const errors = lintText(pythonBatchScript(spec, 'pi.py'), {}).filter((d) => d.severity === 'error');
      assert.deepEqual(errors, [], `mpi=${mpi}`);
    }
  });
});

describe('readJobOption: one option of hpc-jobs submit FILE.py, checked as the line is', () => {
  test('each kind of value, into its field', () => {
    assert.deepEqual(readJobOption('cpus-per-task', '+2'), { field: 'cpusPerTask', value: 2 });
    assert.deepEqual(readJobOption('nodes', '3'), { field: 'nodes', value: 3 });
    assert.deepEqual(readJobOption('gres', 'gpu:2'), { field: 'gpus', value: 2 });
    assert.deepEqual(readJobOption('gpus-per-node', '1'), { field: 'gpus', value: 1 });
    assert.deepEqual(readJobOption('time', '10'), { field: 'time', value: '10' });
    assert.deepEqual(readJobOption('mem', '4G'), { field: 'mem', value: '4G' });
    assert.deepEqual(readJobOption('array', '0-9%2'), { field: 'array', value: '0-9%2' });
  });
  test('a value the shell already unquoted is kept as it is (the script quotes it)', () => {
    assert.deepEqual(readJobOption('job-name', 'it\'s "mine"'), { field: 'jobName', value: 'it\'s "mine"' });
  });
  const rejected: Array<[string, string, string]> = [
    ['nodes', '0', '--nodes: the number of nodes must be a whole number of at least 1, not 0.'],
    ['cpus-per-task', '2.5', '--cpus-per-task: the number of CPUs per task must be a whole number of at least 1, not "2.5".'],
    ['tiem', '10', 'Unknown option --tiem: use --job-name, --nodes, --ntasks, --cpus-per-task, --mem, --time, --partition, --account, --gres, --array.'],
  ];
  for (const [name, value, message] of rejected) test(`--${name} ${value} refused`, () => assert.deepEqual(readJobOption(name, value), { error: message }));
  test('values sbatch would refuse, in the value checkers\' words', () => {
    for (const [name, value, re] of [['time', '10:70:99:1', /Invalid --time specification/], ['mem', '4GiB', /Invalid --mem specification/], ['array', '5-1', /the range `5-1` ends before it starts/]] as const) {
      const read = readJobOption(name, value);
      assert.ok('error' in read, `${name}=${value} refused`);
      assert.match(read.error, re);
    }
  });
});
