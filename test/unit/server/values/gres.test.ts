import { describe } from 'node:test';
import { checkGpus, checkGres } from '../../../../server/src/values/gres';
import { runRows } from './table';

// _get_next_gres() (src/common/gres.c) in sbatch, then valid_tres_cnt() in slurmctld
// (src/slurmctld/job_mgr.c). Checked against sbatch/slurmctld 22.05.8.
describe('gres: accepted', () => {
  runRows(checkGres, 'gres', [
    { value: 'gpu:2', meaning: '2 GPUs per node', parsed: [{ name: 'gpu', count: 2 }] },
    { value: 'gpu', meaning: '1 GPU per node', parsed: [{ name: 'gpu', count: 1 }] },
    { value: 'gpu:a100:2', meaning: '2 GPUs of type `a100` per node', parsed: [{ name: 'gpu', type: 'a100', count: 2 }] },
    { value: 'gpu:a100', parsed: [{ name: 'gpu', type: 'a100', count: 1 }] },
    { value: 'gpu:2,nic:1', meaning: '2 GPUs and 1 `nic` per node', parsed: [{ name: 'gpu', count: 2 }, { name: 'nic', count: 1 }] },
    { value: 'gpu:2k', parsed: [{ name: 'gpu', count: 2048 }] },
    { value: 'gpu:1kb', parsed: [{ name: 'gpu', count: 1000 }] },
    { value: 'gpu:+2', parsed: [{ name: 'gpu', count: 2 }] },
    { value: 'gres:gpu:1', parsed: [{ name: 'gpu', count: 1 }] },
    { value: 'none', meaning: /no generic resources/, parsed: [] },
    { value: 'gpu:two', codes: ['SBATCH112'], span: [0, 7], message: /read as a GPU type with a count of 1/, parsed: [{ name: 'gpu', type: 'two', count: 1 }] },
    { value: 'gpu:-1', codes: ['SBATCH112'], parsed: [{ name: 'gpu', type: '-1', count: 1 }] },
    { value: 'gpu:0', codes: ['SBATCH112'], message: /count of 0/, meaning: 'nothing (every count is 0)', parsed: [] },
    { value: 'gpu:tesla:0', codes: ['SBATCH112'], parsed: [] },
    { value: 'help', codes: ['SBATCH112'], message: /exit without submitting/ },
    { value: 'LIST', codes: ['SBATCH112'] },
  ]);
});

describe('gres: rejected (SBATCH038)', () => {
  runRows(checkGres, 'gres', [
    { value: 'gpu::1', codes: ['SBATCH038'], span: [0, 6], parsed: null, message: /the type between the colons is empty.*Invalid generic resource \(gres\) specification/ },
    { value: 'gpu:', codes: ['SBATCH038'], message: /nothing follows the `:`/ },
    { value: 'gpu:a100:', codes: ['SBATCH038'] },
    { value: 'gpu:a:b:c', codes: ['SBATCH038'], message: /at most name:type:count/ },
    { value: 'gpu:a100:x', codes: ['SBATCH038'] },
    { value: 'gpu:a100:2x', codes: ['SBATCH038'] },
    { value: ':2', codes: ['SBATCH038'], message: /name is empty/ },
    { value: 'mic:1,gpu:', codes: ['SBATCH038'], span: [6, 10] },
    // sbatch takes these, slurmctld's valid_tres_cnt() does not
    { value: 'gpu:2x', codes: ['SBATCH038'], message: /^Slurm rejects this at submission.*Invalid Trackable RESource/ },
    { value: 'gpu:1,', codes: ['SBATCH038'], span: [5, 6], message: /empty item/ },
    { value: 'gpu:1,,mic', codes: ['SBATCH038'] },
    { value: ',', codes: ['SBATCH038'] },
    { value: '', codes: ['SBATCH038'] },
  ]);
});

describe('gpus: [type:]count per scope', () => {
  runRows(checkGpus, 'gpus', [
    { value: '2', option: 'gpus-per-node', meaning: '2 GPUs per node', parsed: [{ name: 'gpu', count: 2 }] },
    { value: '1', option: 'gpus-per-task', meaning: '1 GPU per task' },
    { value: 'a100:2', meaning: '2 GPUs of type `a100` for the whole job', parsed: [{ name: 'gpu', type: 'a100', count: 2 }] },
    { value: 'a100', parsed: [{ name: 'gpu', type: 'a100', count: 1 }] },
    { value: 'a100:2,v100:1', meaning: '3 GPUs: 2 GPUs of type `a100` and 1 GPU of type `v100` for the whole job' },
    { value: '2,', parsed: [{ name: 'gpu', count: 2 }] },
    { value: 'gpu:2', codes: ['SBATCH112'], message: /type named "gpu"/, parsed: [{ name: 'gpu', type: 'gpu', count: 2 }] },
    { value: '0', codes: ['SBATCH112'], parsed: [] },
    { value: '', codes: ['SBATCH112'], parsed: [] },
    { value: 'a:b:c', codes: ['SBATCH038'], message: /write \[type:\]count/ },
    { value: 'a100:2x', codes: ['SBATCH038'] },
    { value: '2x', codes: ['SBATCH038'], message: /^Slurm rejects this at submission/ },
  ]);
});
