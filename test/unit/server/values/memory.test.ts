import { describe } from 'node:test';
import { checkMemory } from '../../../../server/src/values/memory';
import { runRows } from './table';

// str_to_mbytes() (src/common/proc_args.c); rows checked against sbatch 22.05.8.
describe('memory: accepted', () => {
  runRows(checkMemory, 'mem', [
    { value: '4G', meaning: '4 GiB (4096 MB) per node', parsed: 4096 },
    { value: '4g', parsed: 4096 },
    { value: '4GB', meaning: '4 GiB (4096 MB) per node', parsed: 4096 },
    { value: '4gb', parsed: 4096 },
    { value: '4Gb', parsed: 4096 },
    { value: '1T', meaning: '1 TiB (1048576 MB) per node', parsed: 1048576 },
    { value: '4TB', parsed: 4194304 },
    { value: '500M', meaning: '500 MB per node', parsed: 500 },
    { value: '4MB', parsed: 4, codes: [] },
    { value: '2048', meaning: '2048 MB (2 GiB) per node', parsed: 2048 },
    { value: '1500K', meaning: '1500 KiB, rounded up to 2 MB per node', parsed: 2 },
    { value: '4KB', parsed: 1 },
    { value: '+4G', parsed: 4096 },
    { value: ' 4G', parsed: 4096 },
    { value: '500', option: 'mem-per-cpu', meaning: '500 MB per CPU', parsed: 500 },
    { value: '2G', option: 'mem-per-gpu', meaning: '2 GiB (2048 MB) per GPU', parsed: 2048 },
    { value: '10G', option: 'tmp', meaning: '10 GiB (10240 MB) of temporary disk per node', parsed: 10240 },
  ]);
});

describe('memory: 0 is all of a node', () => {
  runRows(checkMemory, 'mem', [
    { value: '0', meaning: 'all of the memory of each node (0 is a special case)', parsed: 0 },
    { value: '0G', parsed: 0 },
    { value: '-0', parsed: 0 },
    // slurmctld: "Map --mem-per-cpu=0 to --mem=0"
    { value: '0', option: 'mem-per-cpu', meaning: /^all of the memory of each node/, parsed: 0 },
  ]);
});

describe('memory: accepted but suspicious', () => {
  runRows(checkMemory, 'mem', [
    { value: '4', codes: ['SBATCH112'], message: /4 MB per node.*`4G`/, parsed: 4 },
    { value: '16', option: 'mem-per-cpu', codes: ['SBATCH112'], parsed: 16 },
    { value: '4', option: 'tmp', codes: [], parsed: 4 },
  ]);
});

describe('memory: rejected by sbatch (SBATCH031)', () => {
  runRows(checkMemory, 'mem', [
    { value: '1.5G', codes: ['SBATCH031'], span: [1, 4], meaning: null, parsed: null, message: /decimals are not allowed; write `1536M`.*Invalid --mem specification/ },
    { value: '2.5T', codes: ['SBATCH031'], message: /`2560G`/ },
    { value: '4GiB', codes: ['SBATCH031'], span: [1, 4], message: /only the suffixes K, M, G and T/ },
    { value: '4P', codes: ['SBATCH031'] },
    { value: '4B', codes: ['SBATCH031'] },
    { value: '4 G', codes: ['SBATCH031'] },
    { value: '4G ', codes: ['SBATCH031'] },
    { value: '4GBB', codes: ['SBATCH031'] },
    { value: '0x10', codes: ['SBATCH031'] },
    { value: '-1', codes: ['SBATCH031'], span: null },
    { value: 'lots', codes: ['SBATCH031'], span: [0, 4] },
    { value: '', codes: ['SBATCH031'], message: /empty --mem/ },
    { value: '1.5G', option: 'mem-per-cpu', codes: ['SBATCH031'], message: /Invalid --mem-per-cpu specification/ },
    { value: 'x', option: 'tmp', codes: ['SBATCH031'], message: /Invalid --tmp specification/ },
  ]);
});
