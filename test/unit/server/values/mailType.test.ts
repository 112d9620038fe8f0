import { describe } from 'node:test';
import { checkMailType } from '../../../../server/src/values/mailType';
import { runRows } from './table';

// parse_mail_type() (src/common/proc_args.c); checked against sbatch 22.05.8.
describe('mail-type', () => {
  runRows(checkMailType, 'mail-type', [
    { value: 'begin,end', meaning: 'mail when the job begins or ends', parsed: { events: ['BEGIN', 'END'], arrayTasks: false } },
    { value: 'END,FAIL', parsed: { events: ['END', 'FAIL'], arrayTasks: false } },
    { value: 'BEGIN,,END', parsed: { events: ['BEGIN', 'END'], arrayTasks: false } },
    { value: 'ALL', parsed: { events: ['BEGIN', 'END', 'FAIL', 'REQUEUE', 'INVALID_DEPEND', 'STAGE_OUT'], arrayTasks: false } },
    { value: 'time_limit_90', meaning: 'mail when the job reaches 90% of its time limit' },
    { value: 'END,ARRAY_TASKS', meaning: 'mail when the job ends, for each array task separately', parsed: { events: ['END'], arrayTasks: true } },
    { value: 'none', meaning: 'no mail', parsed: { events: [], arrayTasks: false } },
    { value: 'NONE', meaning: 'no mail' },
    { value: 'ARRAY_TASKS', codes: ['SBATCH112'], parsed: { events: [], arrayTasks: true } },
    { value: 'BEGIN,FOO', codes: ['SBATCH112'], span: [6, 9], message: /silently ignores `FOO`/, parsed: { events: ['BEGIN'], arrayTasks: false } },
    { value: 'END,FAILL', codes: ['SBATCH112'], message: /did you mean FAIL\?/ },
    { value: 'BEGIN,NONE', codes: ['SBATCH112'], span: [6, 10], meaning: 'no mail' },
    { value: 'NONE,END', codes: ['SBATCH112'], meaning: 'no mail' },
    { value: 'BEGINN', codes: ['SBATCH035'], parsed: null, message: /`BEGINN` is not a mail type \(did you mean BEGIN\?\).*Invalid --mail-type specification/ },
    { value: 'FOO,BAR', codes: ['SBATCH035'], message: /are not mail types/ },
    { value: '', codes: ['SBATCH035'], message: /no mail type is given/ },
    { value: ',', codes: ['SBATCH035'] },
  ]);
});
