import { describe } from 'node:test';
import { checkCount, checkCount0, checkInteger } from '../../../../server/src/values/counts';
import { runRows } from './table';

// parse_int() (src/common/proc_args.c); arg_set_nice / arg_set_priority (slurm_opt.c).
describe('count: positive whole numbers', () => {
  runRows(checkCount, 'ntasks', [
    { value: '4', meaning: '4 tasks', parsed: 4 },
    { value: '1', meaning: '1 task', parsed: 1 },
    { value: '+4', parsed: 4 },
    { value: '04', parsed: 4 },
    { value: ' 4', parsed: 4 },
    { value: '8', option: 'cpus-per-task', meaning: '8 CPUs per task', parsed: 8 },
    { value: '2', option: 'ntasks-per-node', meaning: '2 tasks per node', parsed: 2 },
    { value: '7', option: 'some-count', meaning: '7', parsed: 7 },
    { value: 'abc', codes: ['SBATCH032'], parsed: null, message: /sbatch rejects this: `abc` is not a whole number of at least 1\. sbatch says: Invalid numeric value "abc" for --ntasks\./ },
    { value: '0', option: 'cpus-per-task', codes: ['SBATCH032'], message: /--cpus-per-task must be at least 1\. sbatch says: Invalid numeric value "0" for --cpus-per-task\./ },
    { value: '-1', codes: ['SBATCH032'] },
    { value: '4 ', codes: ['SBATCH032'] },
    { value: '4k', codes: ['SBATCH032'] },
    { value: '1.0', codes: ['SBATCH032'] },
    { value: '', codes: ['SBATCH032'] },
    { value: '99999999999999999999', codes: ['SBATCH032'], message: /Numeric argument \(9223372036854775807\) to big for --ntasks/ },
    { value: '3000000000', codes: ['SBATCH032'], message: /32-bit.*-1294967296/ },
  ]);
});

describe('count0: zero allowed', () => {
  runRows(checkCount0, 'core-spec', [
    { value: '0', parsed: 0 },
    { value: '1', meaning: '1 core reserved for system use per node', parsed: 1 },
    { value: '-1', codes: ['SBATCH032'], message: /0 or more.*Invalid numeric value "-1" for --core-spec/ },
    { value: 'a', codes: ['SBATCH032'] },
  ]);
});

describe('integer: --nice', () => {
  runRows(checkInteger, 'nice', [
    { value: '100', meaning: "lower the job's scheduling priority by 100", parsed: 100 },
    { value: '0', meaning: 'no change to the scheduling priority', parsed: 0 },
    { value: '2147483645', parsed: 2147483645 },
    { value: '-5', codes: ['SBATCH112'], message: /operators and administrators may set a negative --nice.*rejects the job/, parsed: -5 },
    { value: 'abc', codes: ['SBATCH112'], message: /reads `abc` as 0/, parsed: 0 },
    { value: '10x', codes: ['SBATCH112'], span: [2, 3], parsed: 10 },
    { value: '2147483646', codes: ['SBATCH032'], message: /out of range \(\+\/- 2147483645\)/ },
    { value: '-2147483646', codes: ['SBATCH032'] },
  ]);
});

describe('integer: --priority', () => {
  runRows(checkInteger, 'priority', [
    { value: '5', codes: ['SBATCH112'], message: /slurmctld ignores it/, meaning: 'priority 5', parsed: 5 },
    { value: 'TOP', codes: ['SBATCH112'] },
    { value: 'top', codes: ['SBATCH112'] },
    { value: '0', codes: ['SBATCH112'], message: /held/, parsed: 0 },
    { value: '4294967293', codes: ['SBATCH112'], parsed: 4294967293 },
    { value: '-1', codes: ['SBATCH032'], message: /Priority must be >= 0/ },
    { value: '4294967294', codes: ['SBATCH032'], message: /Priority must be < 4294967294/ },
  ]);
});

describe('integer: any other option', () => {
  runRows(checkInteger, 'some-int', [
    { value: '-3', meaning: '-3', parsed: -3 },
    { value: '7abc', codes: ['SBATCH112'], parsed: 7 },
  ]);
});
