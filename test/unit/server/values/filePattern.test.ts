import { describe } from 'node:test';
import { checkFilePattern } from '../../../../server/src/values/filePattern';
import { runRows } from './table';

// fname_create() / _create_batch_fname() (src/slurmd/common/fname.c, 22.05).
describe('file patterns', () => {
  runRows(checkFilePattern, 'output', [
    { value: '%x_%j.out', meaning: 'file named after job name and job ID', parsed: { specifiers: ['x', 'j'], literal: false } },
    { value: 'logs/%A_%a.out', meaning: 'file named after array job ID and array task index', parsed: { specifiers: ['A', 'a'], literal: false, directory: 'logs' } },
    { value: '/scratch/me/%u/%N-%8j.log', meaning: 'file named after user name, node name and job ID', parsed: { specifiers: ['u', 'N', 'j'], literal: false } },
    { value: '%j-%J.out', meaning: 'file named after job ID' },
    { value: 'out.log', meaning: "the file out.log in the job's working directory", parsed: { specifiers: [], literal: false } },
    { value: '/abs/out.log', meaning: 'the file /abs/out.log', parsed: { specifiers: [], literal: false, directory: '/abs' } },
    { value: '100%%.log', meaning: "the file 100%%.log in the job's working directory", parsed: { specifiers: [], literal: false } },
    { value: '/dev/null', meaning: 'discarded (/dev/null)' },
    { value: '/dev/null', option: 'input', meaning: 'no input (/dev/null)' },
    { value: '0', parsed: { specifiers: [], literal: false } },
    { value: '5', codes: ['SBATCH112'], message: /task 0.*\/dev\/null.*`5\.out`/ },
    { value: 'out%y.log', codes: ['SBATCH112'], span: [3, 5], message: /%y is not a pattern/ },
    { value: 'out%', codes: ['SBATCH112'], span: [3, 4] },
    { value: 'out%b.log', codes: ['SBATCH112'], message: /Slurm 24\.11 and newer/ },
    { value: 'out%b.log', context: { slurmVersion: '24.11' }, parsed: { specifiers: ['b'], literal: false } },
    { value: 'a\\%j', codes: ['SBATCH112'], span: [1, 2], meaning: "the file a%j in the job's working directory", parsed: { specifiers: [], literal: true } },
  ]);
});
