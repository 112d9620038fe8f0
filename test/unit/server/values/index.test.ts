import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ValueType } from '../../../../server/src/options/optionTypes';
import { CHECKERS, checkValue } from '../../../../server/src/values';

describe('checkValue: dispatch by ValueType', () => {
  const rows: Array<[ValueType, string, string, string | undefined, unknown]> = [
    ['time', '2-12', 'time', '2 days 12 hours', 3600],
    ['memory', '4G', 'mem', '4 GiB (4096 MB) per node', 4096],
    ['memory', '500', 'mem-per-cpu', '500 MB per CPU', 500],
    ['count', '4', 'ntasks', '4 tasks', 4],
    ['count0', '0', 'core-spec', '0 cores reserved for system use per node', 0],
    ['integer', '10', 'nice', "lower the job's scheduling priority by 10", 10],
    ['nodes', '2-4', 'nodes', 'between 2 and 4 nodes', { min: 2, max: 4 }],
    ['signal', 'B:USR1@90', 'signal', 'send SIGUSR1 to the batch shell only, 90 seconds before the time limit', undefined],
    ['mailType', 'END', 'mail-type', 'mail when the job ends', undefined],
    ['array', '0-15%4', 'array', '16 tasks (0–15), at most 4 at once', { count: 16, min: 0, max: 15, maxRunning: 4 }],
    ['dependency', 'afterok:123', 'dependency', 'start after job 123 completes successfully', undefined],
    ['gres', 'gpu:2', 'gres', '2 GPUs per node', [{ name: 'gpu', count: 2 }]],
    ['gpus', '2', 'gpus-per-node', '2 GPUs per node', [{ name: 'gpu', count: 2 }]],
    ['exclusive', 'user', 'exclusive', 'nodes are shared only with your own jobs', 'user'],
    ['filePattern', '%x_%j.out', 'output', 'file named after job name and job ID', undefined],
    ['datetime', 'now+1hour', 'begin', '1 hour after submission', { relativeSeconds: 3600 }],
    ['nodelist', 'n[1-2]', 'nodelist', '2 nodes: n1, n2', undefined],
    ['distribution', 'cyclic', 'distribution', 'tasks are dealt round-robin across the nodes (cyclic)', undefined],
    ['cpuFreq', 'high', 'cpu-freq', 'CPU frequency the highest frequency', undefined],
  ];
  for (const [type, value, option, meaning, parsed] of rows) {
    test(`${type}: --${option}=${value}`, () => {
      const r = checkValue(type, value, option);
      assert.deepEqual(r.issues, []);
      assert.equal(r.meaning, meaning);
      if (parsed !== undefined) assert.deepEqual(r.parsed, parsed);
    });
  }

  test('every ValueType but enum has a checker', () => {
    const kinds: ValueType[] = ['time', 'memory', 'count', 'count0', 'integer', 'nodes', 'signal', 'mailType', 'array',
      'dependency', 'gres', 'gpus', 'exclusive', 'filePattern', 'path', 'datetime', 'nodelist', 'distribution', 'cpuFreq', 'string'];
    for (const k of kinds) assert.equal(typeof CHECKERS[k as Exclude<ValueType, 'enum'>], 'function', k);
  });

  test('string and path are never checked', () => {
    assert.deepEqual(checkValue('string', '%%% anything', 'comment'), { issues: [] });
    assert.deepEqual(checkValue('path', '/no/such/dir', 'chdir'), { issues: [] });
  });

  test('enum uses the values list', () => {
    assert.deepEqual(checkValue('enum', 'append', 'open-mode', ['append', 'truncate']).issues, []);
    assert.deepEqual(checkValue('enum', 'x', 'open-mode', ['append', 'truncate']).issues.map((i) => i.code), ['SBATCH040']);
  });

  test('the option name may carry its dashes', () => {
    assert.match(checkValue('count', 'abc', '--ntasks').issues[0]!.message, /Invalid numeric value "abc" for --ntasks\./);
  });

  test('a rejected value has no meaning and no parsed value', () => {
    const r = checkValue('dependency', 'afterok:1,afterok:2?afterany:3', 'dependency');
    assert.deepEqual(r.issues.map((i) => i.code), ['SBATCH037']);
    assert.equal(r.meaning, undefined);
    assert.equal(r.parsed, undefined);
  });

  test('a warning keeps the meaning and the parsed value', () => {
    const r = checkValue('time', '10:70', 'time');
    assert.deepEqual(r.issues.map((i) => i.code), ['SBATCH105']);
    assert.equal(r.parsed, 12);
  });

  test('the target release is passed through', () => {
    assert.deepEqual(checkValue('exclusive', 'topo', 'exclusive').issues.map((i) => i.code), ['SBATCH039']);
    assert.deepEqual(checkValue('exclusive', 'topo', 'exclusive', undefined, { slurmVersion: '24.05.3' }).issues, []);
  });

  test('issue offsets stay inside the value', () => {
    const samples: Array<[ValueType, string, string]> = [
      ['time', '1hour', 'time'], ['memory', '1.5G', 'mem'], ['array', '1-5%', 'array'], ['dependency', 'afterok:1,', 'dependency'],
      ['signal', 'USR1@', 'signal'], ['gres', 'gpu:1,', 'gres'], ['datetime', 'now+1h', 'begin'], ['nodes', '1-2-3', 'nodes'],
    ];
    for (const [type, value, option] of samples) {
      for (const i of checkValue(type, value, option).issues) {
        assert.ok((i.start ?? 0) >= 0 && (i.end ?? value.length) <= value.length && (i.start ?? 0) < (i.end ?? value.length), `${type} ${value}`);
      }
    }
  });
});
