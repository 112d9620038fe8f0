import { describe } from 'node:test';
import { checkTime } from '../../../../server/src/values/time';
import { runRows } from './table';

// time_str2mins() (src/common/parse_time.c) via arg_set_time_limit(); every row was also
// run through `sbatch --test-only` 22.05.8: REJECT rows are "Invalid --time specification".
describe('time: accepted forms', () => {
  runRows(checkTime, 'time', [
    { value: '90', meaning: '90 minutes (1 hour 30 minutes)', parsed: 90 },
    { value: '10', meaning: '10 minutes', parsed: 10 },
    { value: '2:30', meaning: '2 minutes 30 seconds (read as minutes:seconds), rounded up to 3 minutes', parsed: 3 },
    { value: '0:30', meaning: '30 seconds (read as minutes:seconds), rounded up to 1 minute', parsed: 1 },
    { value: '1:30:00', meaning: '1 hour 30 minutes', parsed: 90 },
    { value: '48:00:00', meaning: '2 days', parsed: 2880 },
    { value: '2-12', meaning: '2 days 12 hours', parsed: 3600 },
    { value: '1-2:3', meaning: '1 day 2 hours 3 minutes', parsed: 1563 },
    { value: '1-02:03:04', meaning: /1 day 2 hours 3 minutes 4 seconds, rounded up to 1564 minutes/, parsed: 1564 },
    { value: '0-1', meaning: '1 hour', parsed: 60 },
  ]);
});

describe('time: no limit', () => {
  runRows(checkTime, 'time', [
    { value: 'UNLIMITED', meaning: /^no time limit/, parsed: Infinity },
    { value: 'unlimited', parsed: Infinity },
    { value: 'Infinite', parsed: Infinity },
    { value: '-1', parsed: Infinity },
    { value: '0', meaning: /no time limit.*0 means unlimited/, parsed: Infinity },
    { value: '00:00:00', parsed: Infinity },
    { value: '0-0', parsed: Infinity },
    { value: '-0', parsed: Infinity },
  ]);
});

describe('time: fields that roll over (SBATCH105)', () => {
  runRows(checkTime, 'time', [
    { value: '10:70', codes: ['SBATCH105'], span: [3, 5], message: /11 minutes 10 seconds.*`11:10`/, meaning: /^11 minutes 10 seconds/, parsed: 12 },
    { value: '1:90:00', codes: ['SBATCH105'], span: [2, 4], message: /2 hours 30 minutes/, parsed: 150 },
    { value: '1:00:75', codes: ['SBATCH105'], span: [5, 7], parsed: 62 },
    { value: '1:61:61', codes: ['SBATCH105', 'SBATCH105'], parsed: 123 },
    { value: '1-30', codes: ['SBATCH105'], span: [2, 4], message: /2 days 6 hours.*`2-6`/, parsed: 3240 },
    { value: '1-12:60', codes: ['SBATCH105'], span: [5, 7], parsed: 2220 },
    { value: '90:00', meaning: /^1 hour 30 minutes \(read as minutes:seconds\)$/, parsed: 90 }, // minutes of MM:SS have no cap
  ]);
});

describe('time: accepted but suspicious (SBATCH112)', () => {
  runRows(checkTime, 'time', [
    { value: '5-', codes: ['SBATCH112'], span: [1, 2], meaning: '5 days', parsed: 7200 },
    { value: '-5', codes: ['SBATCH112'], message: /minus 5 days/, parsed: null },
    { value: '99999999999', codes: ['SBATCH112'], message: /32-bit/, parsed: null },
    { value: '30000-0', codes: ['SBATCH112'], message: /wraps around/, parsed: null },
  ]);
});

describe('time: rejected by sbatch (SBATCH030)', () => {
  runRows(checkTime, 'time', [
    { value: '1hour', codes: ['SBATCH030'], span: [1, 5], meaning: null, parsed: null, message: /sbatch rejects this: `1hour` is not a time \(use minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS\); for 1 hour write `1:00:00`/ },
    { value: '2h', codes: ['SBATCH030'], message: /write `2:00:00`/ },
    { value: '30min', codes: ['SBATCH030'], message: /write `30`/ },
    { value: '2days', codes: ['SBATCH030'], message: /write `2-0`/ },
    { value: '1.5', codes: ['SBATCH030'], span: [1, 2], message: /write `1:30:00`/ },
    { value: '', codes: ['SBATCH030'], span: null, message: /empty --time/ },
    { value: '1:2:3:4', codes: ['SBATCH030'], span: null },
    { value: '1-2-3', codes: ['SBATCH030'] },
    { value: ':10', codes: ['SBATCH030'] },
    { value: '10:', codes: ['SBATCH030'] },
    { value: '1::2', codes: ['SBATCH030'] },
    { value: '1-:2', codes: ['SBATCH030'] },
    { value: '-1:2', codes: ['SBATCH030'] },
    { value: '1:2-3', codes: ['SBATCH030'] },
    { value: '+5', codes: ['SBATCH030'] },
    { value: ' 5', codes: ['SBATCH030'] },
    { value: '5 ', codes: ['SBATCH030'] },
    { value: '1h', option: 'time-min', codes: ['SBATCH030'], message: /Invalid --time-min specification/ },
  ]);
});
