import { describe } from 'node:test';
import { checkCpuFreq } from '../../../../server/src/values/cpuFreq';
import { checkDistribution } from '../../../../server/src/values/distribution';
import { checkNodeList } from '../../../../server/src/values/nodelist';
import { runRows } from './table';

// verify_dist_type() (src/common/proc_args.c); checked against sbatch 22.05.8.
describe('distribution', () => {
  runRows(checkDistribution, 'distribution', [
    { value: 'block', meaning: 'consecutive tasks fill one node before the next (block)', parsed: { levels: ['block'] } },
    { value: 'cyclic', parsed: { levels: ['cyclic'] } },
    { value: 'BLOCK', parsed: { levels: ['block'] } },
    { value: 'block:cyclic', meaning: 'consecutive tasks fill one node before the next (block); cyclic over sockets', parsed: { levels: ['block', 'cyclic'] } },
    { value: 'cyclic:fcyclic', parsed: { levels: ['cyclic', 'fcyclic'] } },
    { value: 'block:block:fcyclic', parsed: { levels: ['block', 'block', 'fcyclic'] } },
    { value: '*:*:*', parsed: { levels: ['block', 'cyclic', 'cyclic'] } },
    { value: 'block:fcyclic:*', parsed: { levels: ['block', 'fcyclic', 'fcyclic'] } },
    { value: 'block::cyclic', parsed: { levels: ['block', 'cyclic'] } },
    { value: 'block:', parsed: { levels: ['block'] } },
    { value: 'arbitrary', parsed: { levels: ['arbitrary'] } },
    { value: 'cyclic,pack', meaning: /cyclic.*packed onto as few nodes/, parsed: { levels: ['cyclic'], pack: 'pack' } },
    { value: 'nopack', parsed: { levels: [], pack: 'nopack' } },
    { value: 'plane=4', meaning: 'blocks of 4 tasks dealt round-robin across the nodes (plane)', parsed: { levels: ['plane'], planeSize: 4 } },
    { value: 'planex=3', parsed: { levels: ['plane'], planeSize: 3 } },
    { value: 'plane', codes: ['SBATCH040'], message: /SLURM_DIST_PLANESIZE/ },
    { value: 'plane=0', codes: ['SBATCH040'] },
    { value: 'plane=4x', codes: ['SBATCH040'] },
    { value: 'foo', codes: ['SBATCH040'], message: /Invalid --distribution specification/ },
    { value: 'fcyclic', codes: ['SBATCH040'] },
    { value: 'block:block:block:block', codes: ['SBATCH040'], message: /more than three levels/ },
    { value: 'block,pack,nopack', codes: ['SBATCH040'] },
    { value: 'block,foo', codes: ['SBATCH040'] },
    { value: ',block', codes: ['SBATCH040'] },
  ]);
});

// cpu_freq_verify_cmdline() (src/common/cpu_frequency.c); checked against sbatch 22.05.8,
// whose slurm.conf keeps the default CpuFreqGovernors.
describe('cpu-freq', () => {
  runRows(checkCpuFreq, 'cpu-freq', [
    { value: '2400000', meaning: 'CPU frequency 2.4 GHz', parsed: { max: 2400000 } },
    { value: 'low', meaning: 'CPU frequency the lowest frequency', parsed: { max: 'low' } },
    { value: 'medium-high', parsed: { min: 'medium', max: 'high' } },
    { value: 'low-high:OnDemand', meaning: 'CPU frequency between the lowest frequency and the highest frequency, OnDemand governor', parsed: { min: 'low', max: 'high', governor: 'OnDemand' } },
    { value: 'Performance', meaning: 'Performance governor', parsed: { governor: 'Performance' } },
    { value: '2000000-2400000:userspace', parsed: { min: 2000000, max: 2400000, governor: 'UserSpace' } },
    { value: '2400', codes: ['SBATCH112'], message: /kilohertz.*2400000/ },
    { value: '2400MHz', codes: ['SBATCH112', 'SBATCH112'] },
    { value: 'powersave', codes: ['SBATCH112'], message: /CpuFreqGovernors/ },
    { value: 'high-low', codes: ['SBATCH040'], message: /below the minimum/ },
    { value: 'highm1-high', codes: ['SBATCH040'] },
    { value: '2000:performance', codes: ['SBATCH040'], message: /needs a min-max range/ },
    { value: 'performance-2000', codes: ['SBATCH040'] },
    { value: 'performance:userspace', codes: ['SBATCH040'], message: /given twice/ },
    { value: 'low-high:foo', codes: ['SBATCH040'] },
    { value: 'foo', codes: ['SBATCH040'], message: /Invalid --cpu-freq argument/ },
    { value: '0', codes: ['SBATCH040'] },
  ]);
});

// hostlist_create() (src/common/hostlist.c); checked against sbatch 22.05.8.
describe('nodelist', () => {
  runRows(checkNodeList, 'nodelist', [
    { value: 'n[1-4]', meaning: '4 nodes: n1, n2, n3, n4', parsed: { hosts: ['n1', 'n2', 'n3', 'n4'], count: 4 } },
    { value: 'node[01-04,07],gpu5', meaning: '6 nodes', parsed: { hosts: ['node01', 'node02', 'node03', 'node04', 'node07', 'gpu5'], count: 6 } },
    { value: 'n1,n2', meaning: '2 nodes: n1, n2' },
    { value: 'rack[1-2]n[1-3]', meaning: '6 nodes' },
    { value: './hosts', meaning: 'node names read from the file ./hosts', parsed: { file: './hosts' } },
    { value: 'n[3-1]', codes: ['SBATCH040'], span: [0, 6], message: /runs backwards/ },
    { value: 'n1,n[a-b]', codes: ['SBATCH040'], span: [3, 9] },
    { value: 'n[1--2]', codes: ['SBATCH040'] },
    { value: 'n[1-2].ib', codes: ['SBATCH040'], message: /nothing may follow the `\]`/ },
    { value: 'n[1-2', codes: ['SBATCH040'], message: /never closed.*`n\]`/ },
  ]);
});
