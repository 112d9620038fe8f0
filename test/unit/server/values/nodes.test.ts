import { describe } from 'node:test';
import { checkNodes } from '../../../../server/src/values/nodes';
import { runRows } from './table';

// verify_node_count() (src/common/proc_args.c, 22.05); rows checked against sbatch 22.05.8.
describe('nodes: counts and ranges', () => {
  runRows(checkNodes, 'nodes', [
    { value: '4', meaning: '4 nodes', parsed: { min: 4, max: 4 } },
    { value: '1', meaning: '1 node', parsed: { min: 1, max: 1 } },
    { value: '2-4', meaning: 'between 2 and 4 nodes', parsed: { min: 2, max: 4 } },
    { value: '4k', meaning: '4096 nodes (4k)', parsed: { min: 4096, max: 4096 } },
    { value: '2K', parsed: { min: 2048, max: 2048 } },
    { value: '1m', parsed: { min: 1048576, max: 1048576 } },
    { value: '1-1k', meaning: 'between 1 and 1024 nodes (1k)', parsed: { min: 1, max: 1024 } },
    { value: '4 ', parsed: { min: 4, max: 4 } },
    { value: '-4', meaning: 'between 1 and 4 nodes', parsed: { min: 1, max: 4 } }, // empty minimum reads as 1
    { value: '2-0', codes: ['SBATCH112'], span: [2, 3], meaning: 'at least 2 nodes', parsed: { min: 2 } },
    { value: '0', codes: ['SBATCH112'], parsed: { min: 0, max: 0 } },
    { value: '0-0', codes: ['SBATCH112'], parsed: { min: 0 } },
  ]);
});

describe('nodes: rejected by sbatch (SBATCH033)', () => {
  runRows(checkNodes, 'nodes', [
    { value: '4-2', codes: ['SBATCH033'], parsed: null, message: /^sbatch rejects this: Maximum node count 2 is less than minimum node count 4\.$/ },
    { value: '4-', codes: ['SBATCH033'], message: /Maximum node count -1 is less than minimum node count 4/ },
    { value: '-', codes: ['SBATCH033'], message: /Maximum node count -1 is less than minimum node count 1/ },
    { value: 'x', codes: ['SBATCH033'], span: [0, 1], message: /"x" is not a valid node count/ },
    { value: '4x', codes: ['SBATCH033'], span: [0, 2] },
    { value: '1-2-3', codes: ['SBATCH033'], span: [2, 5], message: /"2-3" is not a valid node count/ },
    { value: 'a-4', codes: ['SBATCH033'], span: [0, 1] },
    { value: '1,2,4', codes: ['SBATCH033'], message: /needs Slurm 23\.02 or newer/ },
    { value: '1:2', codes: ['SBATCH033'] },
    { value: '3000000000', codes: ['SBATCH033'], message: /32-bit/ },
  ]);
});

describe('nodes: size lists from 23.02', () => {
  const v = { slurmVersion: '23.02' };
  runRows(checkNodes, 'nodes', [
    { value: '1,2,4', context: v, meaning: '1, 2 or 4 nodes', parsed: { min: 1, max: 4, sizes: [1, 2, 4] } },
    { value: '2-4,8', context: v, parsed: { min: 2, max: 8, sizes: [2, 3, 4, 8] } },
    { value: '2-8:2', context: v, parsed: { min: 2, max: 6, sizes: [2, 4, 6] } }, // bitfmt2int stops before the end
    { value: '4-2', context: v, codes: ['SBATCH033'] },
    { value: '1,x', context: v, codes: ['SBATCH033'], span: [2, 3] },
    { value: '1-9:0', context: v, codes: ['SBATCH033'] },
    { value: '1,20000', context: v, codes: ['SBATCH033'], message: /16383/ },
  ]);
});
