import { describe } from 'node:test';
import { checkDependency } from '../../../../server/src/values/dependency';
import { runRows } from './table';

// update_job_dependency() (src/slurmctld/job_scheduler.c, 22.05): slurmctld refuses a bad one
// with "Job dependency problem". Checked with sbatch --test-only against slurmctld 22.05.8.
describe('dependency: accepted', () => {
  runRows(checkDependency, 'dependency', [
    { value: 'afterok:123', meaning: 'start after job 123 completes successfully', parsed: { mode: 'all', items: [{ type: 'afterok', jobs: [{ id: 123 }] }] } },
    { value: 'AFTEROK:5', parsed: { mode: 'all', items: [{ type: 'afterok', jobs: [{ id: 5 }] }] } },
    { value: 'afterok:20:21,afterany:23', meaning: 'start after all jobs 20 and 21 complete successfully, and after job 23 ends, in any state' },
    { value: 'afterok:20?afternotok:23', meaning: 'start as soon as any of these holds: job 20 completes successfully; or job 23 fails', parsed: { mode: 'any', items: [{ type: 'afterok', jobs: [{ id: 20 }] }, { type: 'afternotok', jobs: [{ id: 23 }] }] } },
    { value: 'after:123+5', meaning: 'start after job 123 starts (or is cancelled) plus 5 min', parsed: { mode: 'all', items: [{ type: 'after', jobs: [{ id: 123, delayMinutes: 5 }] }] } },
    { value: 'afterany:5_3', parsed: { mode: 'all', items: [{ type: 'afterany', jobs: [{ id: 5, arrayTask: 3 }] }] } },
    { value: 'aftercorr:5_*', meaning: /matching task of job 5/, parsed: { mode: 'all', items: [{ type: 'aftercorr', jobs: [{ id: 5, arrayTask: '*' }] }] } },
    { value: 'afterok:123_[1-3]', meaning: 'start after job 123 (tasks 1–3) completes successfully', parsed: { mode: 'all', items: [{ type: 'afterok', jobs: [{ id: 123, arrayTasks: [[1, 3]] }] }] } },
    { value: 'afterok:123_[1,3-4]:7', parsed: { mode: 'all', items: [{ type: 'afterok', jobs: [{ id: 123, arrayTasks: [[1, 1], [3, 4]] }, { id: 7 }] }] } },
    { value: 'afterok:5_[x]', parsed: { mode: 'all', items: [{ type: 'afterok', jobs: [{ id: 5, arrayTask: 0 }] }] } }, // bitfmt2int skips the x: task 0
    { value: '123_[5]', parsed: { mode: 'all', items: [{ type: 'afterany', jobs: [{ id: 123, arrayTask: 5 }] }] } },
    { value: 'afterburstbuffer:5', meaning: /burst-buffer stage-out/ },
    { value: 'afterburstbX:5', parsed: { mode: 'all', items: [{ type: 'afterburstbuffer', jobs: [{ id: 5 }] }] } }, // an 11-letter prefix match
    { value: 'singleton', meaning: 'start after no other job of yours with the same name is running', parsed: { mode: 'all', items: [{ type: 'singleton', jobs: [] }] } },
    { value: 'singleton,afterany:5', parsed: { mode: 'all', items: [{ type: 'singleton', jobs: [] }, { type: 'afterany', jobs: [{ id: 5 }] }] } },
    { value: '123,456', parsed: { mode: 'all', items: [{ type: 'afterany', jobs: [{ id: 123 }] }, { type: 'afterany', jobs: [{ id: 456 }] }] } },
    { value: '0', meaning: 'no dependency (clears any earlier one)', parsed: { mode: 'all', items: [] } },
    { value: '', parsed: { mode: 'all', items: [] } },
  ]);
});

describe('dependency: accepted but suspicious', () => {
  runRows(checkDependency, 'dependency', [
    { value: 'afterok:123+5', codes: ['SBATCH112'], span: [11, 13], message: /only applies to after:/ },
    { value: 'afterok:123+5x', codes: ['SBATCH112', 'SBATCH112'] },
    { value: 'afterok:123(x)y', codes: ['SBATCH112', 'SBATCH112'] },
    { value: 'afterok:5(failed)', codes: ['SBATCH112'], span: [9, 17] },
    { value: 'expand:5', codes: ['SBATCH112'], message: /permit_job_expansion/ },
    { value: 'afterok:-5', codes: ['SBATCH112'], message: /4294967291/ },
  ]);
});

describe('dependency: trailing text is refused from 25.11', () => {
  runRows(checkDependency, 'dependency', [
    { value: 'afterok:123x(y)z', codes: ['SBATCH037'], context: { slurmVersion: '25.11' } },
    { value: 'afterok:123+5x', codes: ['SBATCH037'], context: { slurmVersion: '25.11' }, span: [13, 14], message: /`x` after the job list/ },
  ]);
});

describe('dependency: rejected at submission (SBATCH037)', () => {
  runRows(checkDependency, 'dependency', [
    { value: 'afterok:1,afterok:2?afterany:3', codes: ['SBATCH037'], span: [19, 20], parsed: null, meaning: null, message: /one kind of separator/ },
    { value: 'foo:1', codes: ['SBATCH037'], span: [0, 3], message: /`foo` is not a dependency type/ },
    { value: '123,afterok:456', codes: ['SBATCH037'], span: [0, 3], message: /write afterany:123/ },
    { value: '123?456', codes: ['SBATCH037'], span: [3, 7] },
    { value: '123_[1-2]', codes: ['SBATCH037'], span: [0, 9], message: /expands `123_\[1-2\]` to several job IDs/ }, // 123_1:123_2 is no bare ID
    { value: 'afterok:123x', codes: ['SBATCH037'], span: [8, 12] },
    { value: 'afterok:5 ', codes: ['SBATCH037'] },
    { value: 'afterok:', codes: ['SBATCH037'], message: /no job ID after `afterok:`/ },
    { value: 'afterok:5:', codes: ['SBATCH037'] },
    { value: 'afterok:1,', codes: ['SBATCH037'], message: /nothing follows the separator/ },
    { value: 'afterok:0', codes: ['SBATCH037'] },
    { value: 'after:5+0', codes: ['SBATCH037'], message: /minutes, at least 1/ },
    { value: 'afterok:5(x', codes: ['SBATCH037'], message: /without `\)`/ },
    { value: 'singletonx', codes: ['SBATCH037'], span: [9, 10] },
    { value: 'afterok:5_[1-3', codes: ['SBATCH037'], message: /not a valid set of array tasks/ },
    { value: 'nonsense', codes: ['SBATCH037'], message: /not a dependency \(write type:jobid/ },
  ]);
});
