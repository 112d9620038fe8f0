import { describe } from 'node:test';
import { checkEnum } from '../../../../server/src/values/enumValue';
import { checkExclusive } from '../../../../server/src/values/exclusive';
import { runRows } from './table';

// arg_set_exclusive() (src/common/slurm_opt.c): 22.05 knows exclusive, oversubscribe, user,
// mcs; topo came in 24.05, allocation in 26.05. Checked against sbatch 22.05.8.
describe('exclusive', () => {
  runRows(checkExclusive, 'exclusive', [
    { value: 'user', meaning: 'nodes are shared only with your own jobs', parsed: 'user' },
    { value: 'USER', parsed: 'user' },
    { value: 'mcs', parsed: 'mcs' },
    { value: 'exclusive', parsed: 'exclusive' },
    { value: 'EXCLUSIVE', parsed: 'exclusive' },
    { value: 'oversubscribe', parsed: 'oversubscribe' },
    { value: 'topo', codes: ['SBATCH039'], message: /needs Slurm 24\.05 or newer.*Invalid --exclusive specification/ },
    { value: 'topo', context: { slurmVersion: '24.05' }, parsed: 'topo' },
    { value: 'allocation', context: { slurmVersion: '25.11' }, codes: ['SBATCH039'] },
    { value: 'allocation', context: { slurmVersion: '26.05.1' }, parsed: 'allocation' },
    { value: 'foo', codes: ['SBATCH039'], message: /`foo` is not one of exclusive, oversubscribe, user, mcs/ },
  ]);
});

describe('enum', () => {
  runRows(checkEnum(['append', 'truncate']), 'open-mode', [
    { value: 'append', parsed: 'append' },
    { value: 'APPEND', parsed: 'append' },
    { value: 'APPEND', context: { caseSensitive: true }, codes: ['SBATCH040'], message: /the case matters: write `append`/ },
    { value: 'foo', codes: ['SBATCH040'], message: /`foo` is not a value --open-mode accepts \(use `append` or `truncate`\)/ },
  ]);
  runRows(checkEnum(undefined), 'whatever', [{ value: 'anything', parsed: 'anything' }]);
});
