import { describe } from 'node:test';
import { checkArray } from '../../../../server/src/values/array';
import { runRows } from './table';

// _valid_array_inx() / _parse_array_tok() (src/slurmctld/job_mgr.c): sbatch passes --array on
// unchecked and slurmctld refuses a bad one ("Invalid job array specification"). Checked
// with sbatch --test-only against slurmctld 22.05.8.
describe('array: accepted', () => {
  runRows(checkArray, 'array', [
    { value: '0-15%4', meaning: '16 tasks (0–15), at most 4 at once', parsed: { count: 16, min: 0, max: 15, maxRunning: 4 } },
    { value: '0-15', meaning: '16 tasks (0–15), all may run at once', parsed: { count: 16, min: 0, max: 15 } },
    { value: '7', meaning: '1 task (index 7), all may run at once', parsed: { count: 1, min: 7, max: 7 } },
    { value: '0,6,16-32', meaning: '19 tasks (0, 6 and 16–32), all may run at once', parsed: { count: 19, min: 0, max: 32 } },
    { value: '0-15:4', meaning: '4 tasks (0–15 in steps of 4), all may run at once', parsed: { count: 4, min: 0, max: 12 } },
    { value: '0-10:2%3', parsed: { count: 6, min: 0, max: 10, maxRunning: 3 } },
    { value: '1-3,2-4', parsed: { count: 4, min: 1, max: 4 } },
    { value: '1,,2', parsed: { count: 2, min: 1, max: 2 } },
    { value: '[0-15]', parsed: { count: 16, min: 0, max: 15 } },
    { value: '[1,2,3]', parsed: { count: 3, min: 1, max: 3 } },
    { value: '0-1000', parsed: { count: 1001, min: 0, max: 1000 } },
  ]);
});

describe('array: % without a limit (SBATCH104) and other oddities', () => {
  runRows(checkArray, 'array', [
    { value: '1-5%', codes: ['SBATCH104'], span: [3, 4], meaning: '5 tasks (1–5), all may run at once', parsed: { count: 5, min: 1, max: 5 } },
    { value: '1-5%0', codes: ['SBATCH104'], span: [3, 5], parsed: { count: 5, min: 1, max: 5 } },
    { value: '1-5%abc', codes: ['SBATCH104'], span: [3, 7] },
    { value: '1-5%-1', codes: ['SBATCH104'] },
    { value: '1%2,3', codes: ['SBATCH112'], span: [1, 2], parsed: { count: 2, min: 1, max: 3, maxRunning: 2 } },
    { value: '1-3%2,5%4', codes: ['SBATCH112', 'SBATCH112'], parsed: { count: 4, min: 1, max: 5, maxRunning: 2 } },
    { value: '%4', codes: ['SBATCH112'], message: /index 0/, parsed: { count: 1, min: 0, max: 0, maxRunning: 4 } },
    { value: '-', codes: ['SBATCH112'], parsed: { count: 1, min: 0, max: 0 } },
    { value: '', codes: ['SBATCH112'], message: /not an array/ },
  ]);
});

describe('array: rejected at submission (SBATCH036)', () => {
  runRows(checkArray, 'array', [
    { value: '5-1', codes: ['SBATCH036'], span: [0, 3], parsed: null, message: /^Slurm rejects this at submission: the range `5-1` ends before it starts\.$/ },
    { value: '0-15:0', codes: ['SBATCH036'], message: /step .* at least 1/ },
    { value: '5:2', codes: ['SBATCH036'], message: /a step needs a range: write `5-<last>:2`/ },
    { value: '-3', codes: ['SBATCH036'], message: /negative/ },
    { value: 'abc', codes: ['SBATCH036'] },
    { value: '1,x', codes: ['SBATCH036'], span: [2, 3] },
    { value: '1-x', codes: ['SBATCH036'] },
    { value: '0-9999999', codes: ['SBATCH036'], message: /MaxArraySize/ },
    { value: '0-15:2x', codes: ['SBATCH036'] },
  ]);
});
