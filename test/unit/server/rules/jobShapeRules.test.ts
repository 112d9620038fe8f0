/**
 * Issue 13, jobs sbatch takes but that do not do what was meant: mail never sent (SBATCH119),
 * --mem=0 on a shared node (SBATCH120), a trapped signal Slurm never sends (SBATCH121), nodes
 * nothing runs on (SBATCH122), --gpus-per-task without a task count (SBATCH123, which sbatch
 * refuses: checked with sbatch --test-only on 22.05).
 *
 * Run: node --import tsx --test test/unit/server/rules/jobShapeRules.test.ts
 */
import { describe } from 'node:test';
import { runCases, sh } from './ruleCases';

describe('SBATCH119 mail-user-without-type', () => {
  runCases('SBATCH119', [
    { title: '--mail-user alone', text: sh('#SBATCH --mail-user=ana@uni.pt', 'echo'), ranges: [[1, 20, 1, 30]], message: /sends none/,
      fixed: sh('#SBATCH --mail-user=ana@uni.pt --mail-type=END,FAIL', 'echo') },
    { title: 'with --mail-type', text: sh('#SBATCH --mail-user=ana@uni.pt --mail-type=FAIL'), ranges: [] },
  ]);
});

describe('SBATCH120 mem-zero-shared', () => {
  runCases('SBATCH120', [
    { title: '--mem=0 without --exclusive', text: sh('#SBATCH -N 1 --mem=0', 'echo'), ranges: [[1, 19, 1, 20]], fixed: sh('#SBATCH -N 1 --exclusive --mem=0', 'echo') },
    { title: '--mem=0G', text: sh('#SBATCH --mem=0G'), ranges: [[1, 14, 1, 16]] },
    { title: 'with --exclusive', text: sh('#SBATCH --exclusive --mem=0'), ranges: [] },
    { title: 'in a later hetjob component, which --exclusive in the leader does not reach', text: sh('#SBATCH -n 1 --exclusive', '#SBATCH hetjob', '#SBATCH -N 2 --mem=0'),
      ranges: [[3, 19, 3, 20]] },
    { title: 'a real size', text: sh('#SBATCH --mem=10G'), ranges: [] },
  ]);
});

describe('SBATCH121 signal-trap-without-signal', () => {
  runCases('SBATCH121', [
    { title: 'trap USR1 with no --signal', text: sh('#SBATCH -t 60', 'trap "touch stop" USR1', './sim'), ranges: [[2, 18, 2, 22]], message: /no --signal/,
      fixed: sh('#SBATCH -t 60 --signal=B:USR1@120', 'trap "touch stop" USR1', './sim') },
    { title: 'SIGUSR2 among others', text: sh('#SBATCH -t 60', "trap 'save' TERM SIGUSR2", './sim'), ranges: [[2, 17, 2, 24]] },
    { title: '--signal without B: the batch shell never gets it', text: sh('#SBATCH --signal=USR1@90', 'trap save USR1', './sim'), ranges: [[2, 10, 2, 14]],
      message: /job steps only/ },
    { title: 'another signal than the one trapped', text: sh('#SBATCH --signal=B:USR2@90', 'trap save USR1', './sim'), ranges: [[2, 10, 2, 14]] },
    { title: '--signal=B:USR1', text: sh('#SBATCH --signal=B:USR1@90', 'trap save USR1', './sim'), ranges: [] },
    { title: 'TERM comes anyway at the time limit', text: sh('#SBATCH -t 60', 'trap cleanup TERM EXIT', './sim'), ranges: [] },
  ]);
});

describe('SBATCH122 multi-node-no-launcher', () => {
  runCases('SBATCH122', [
    { title: 'two nodes, plain python', text: sh('#SBATCH -N 2', 'python count.py'), ranges: [[1, 11, 1, 12]] },
    { title: 'torchrun alone starts on the first node only', text: sh('#SBATCH --nodes=2', 'torchrun --nnodes=2 train.py'), ranges: [[1, 16, 1, 17]] },
    { title: 'conda activation is no launcher', text: sh('#SBATCH -N 2', 'source activate env', 'python x.py'), ranges: [[1, 11, 1, 12]] },
    { title: 'srun', text: sh('#SBATCH -N 2', 'srun ./a'), ranges: [] },
    { title: 'mpirun', text: sh('#SBATCH -N 4', 'mpirun ./a'), ranges: [] },
    { title: 'mpirun by its full path', text: sh('#SBATCH -N 4', '/opt/openmpi/bin/mpirun ./a'), ranges: [] },
    { title: 'a launcher in a variable', text: sh('#SBATCH -N 2', '$MPIRUN ./a'), ranges: [] },
    { title: 'a solver that starts its own processes', text: sh('#SBATCH -N 2', 'comsol batch -nn 2 -mpibootstrap slurm -inputfile m.mph'), ranges: [] },
    { title: 'another script that may launch', text: sh('#SBATCH -N 2', 'bash run_all.sh'), ranges: [] },
    { title: 'one node', text: sh('#SBATCH -N 1', 'python x.py'), ranges: [] },
    { title: 'several nodes in a later hetjob component, no launcher', text: sh('#SBATCH -n 1', '#SBATCH hetjob', '#SBATCH -N 4', 'python coordinator.py'), ranges: [[3, 11, 3, 12]] },
    { title: 'a range starting at 1', text: sh('#SBATCH -N 1-4', 'python x.py'), ranges: [] },
  ]);
});

describe('SBATCH123 gpus-per-task-without-tasks', () => {
  runCases('SBATCH123', [
    { title: 'alone', text: sh('#SBATCH --gpus-per-task=1'), ranges: [[1, 8, 1, 25]], severity: 'error' },
    { title: 'a fixed --nodes beside --cpus-per-task does not set the task count', text: sh('#SBATCH --nodes=1 --gpus-per-task=1 --cpus-per-task=2'), ranges: [[1, 18, 1, 35]] },
    { title: 'a node range', text: sh('#SBATCH --nodes=1-2 --gpus-per-task=1'), ranges: [[1, 20, 1, 37]] },
    { title: 'with --ntasks', text: sh('#SBATCH --ntasks=2 --gpus-per-task=1'), ranges: [] },
    { title: 'with --ntasks-per-node', text: sh('#SBATCH --ntasks-per-node=4 --gpus-per-task=1 --cpus-per-task=8'), ranges: [] },
    // Held-out corpus (heldout-ray-head-worker.sh): Ray's docs write the undocumented spelling; sbatch 22.05 accepts it.
    { title: 'with --tasks-per-node, the same option as --ntasks-per-node', text: sh('#SBATCH --nodes=3 --tasks-per-node=1 --cpus-per-task=32 --gpus-per-task=2'), ranges: [] },
    { title: 'with a fixed --nodes', text: sh('#SBATCH --nodes=2 --gpus-per-task=1'), ranges: [] },
    { title: 'with --gpus', text: sh('#SBATCH --gpus=4 --gpus-per-task=1'), ranges: [] },
  ]);
});
