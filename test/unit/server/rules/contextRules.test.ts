/**
 * Issue 13, section 2: rules that know the context. srun and --cpus-per-task by release
 * (SBATCH114) and the quieter SBATCH109; output folders relative to the submit folder, not on this
 * machine, or made too late (SBATCH107/124); site plugin options (SBATCH125); whole-node jobs
 * (SBATCH108); repeats that change nothing (SBATCH103).
 *
 * Run: node --import tsx --test test/unit/server/rules/contextRules.test.ts
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ClusterProfile } from '../../../../server/src/clusterProfile';
import { lintText } from '../../../../server/src/lint';
import { runCases, sh } from './ruleCases';

describe('SBATCH114 srun-cpus-not-inherited', () => {
  const hybrid = sh('#SBATCH --ntasks=4 --cpus-per-task=8', 'export OMP_NUM_THREADS=$SLURM_CPUS_PER_TASK', 'srun ./hybrid');
  runCases('SBATCH114', [
    { title: 'on 22.05, even with OMP_NUM_THREADS set', text: hybrid, options: { slurmVersion: '22.05' }, ranges: [[3, 0, 3, 4]], severity: 'warning',
      message: /On Slurm 22\.05 srun does not inherit --cpus-per-task=8/,
      fixed: sh('#SBATCH --ntasks=4 --cpus-per-task=8', 'export SRUN_CPUS_PER_TASK=$SLURM_CPUS_PER_TASK', 'export OMP_NUM_THREADS=$SLURM_CPUS_PER_TASK', 'srun ./hybrid') },
    { title: 'on 23.02', text: hybrid, options: { slurmVersion: '23.02' }, ranges: [[3, 0, 3, 4]], severity: 'warning' },
    { title: 'no release given: information', text: hybrid, ranges: [[3, 0, 3, 4]], severity: 'information', message: /22\.05 to 23\.02/ },
    { title: '23.11 went back to inheriting it', text: hybrid, options: { slurmVersion: '23.11' }, ranges: [] },
    { title: 'srun -c passes it', text: sh('#SBATCH -c 8', 'srun -c $SLURM_CPUS_PER_TASK ./a'), options: { slurmVersion: '22.05' }, ranges: [] },
    { title: 'SRUN_CPUS_PER_TASK exported', text: sh('#SBATCH -c 8', 'export SRUN_CPUS_PER_TASK=$SLURM_CPUS_PER_TASK', 'srun ./a'), options: { slurmVersion: '22.05' }, ranges: [] },
    { title: 'an explicit CPU mask', text: sh('#SBATCH -c 8', 'srun --cpu-bind=mask_cpu:0xff ./a'), options: { slurmVersion: '22.05' }, ranges: [] },
    { title: 'one CPU per task', text: sh('#SBATCH -c 1', 'srun ./a'), options: { slurmVersion: '22.05' }, ranges: [] },
  ]);
});

describe('SBATCH109 threads-not-passed: information, quiet where a launcher manages threads', () => {
  runCases('SBATCH109', [
    { title: 'nothing passes the count on', text: sh('#SBATCH --cpus-per-task=4', 'python train.py'), ranges: [[1, 24, 1, 25]], severity: 'information',
      message: /one worker per core of the whole node, more than the job has\. Export OMP_NUM_THREADS=\$SLURM_CPUS_PER_TASK/ },
    { title: 'torchrun', text: sh('#SBATCH --cpus-per-task=8', 'torchrun --nproc_per_node=4 train.py'), ranges: [] },
    { title: 'python -m torch.distributed.run', text: sh('#SBATCH -c 8', 'python -m torch.distributed.run train.py'), ranges: [] },
    { title: 'accelerate launch', text: sh('#SBATCH -c 8', 'accelerate launch train.py'), ranges: [] },
    { title: 'deepspeed', text: sh('#SBATCH -c 8', 'deepspeed train.py --deepspeed ds.json'), ranges: [] },
    { title: 'the count written out: samtools -@ style -t 8', text: sh('#SBATCH -c 8', 'bwa mem -t 8 ref.fa r.fq > o.sam'), ranges: [] },
    { title: 'a launcher\'s task count is not a thread count', text: sh('#SBATCH -c 8', 'srun --ntasks=8 ./post'), ranges: [[1, 11, 1, 12]] },
    { title: 'samtools -@ 8', text: sh('#SBATCH -c 8', 'samtools sort -@ 8 -o out.bam in.bam'), ranges: [] },
    { title: 'nproc', text: sh('#SBATCH -c 8', 'make -j"$(nproc)"'), ranges: [] },
    { title: 'a workflow manager\'s head job (each step asks for its own CPUs)', text: sh('#SBATCH -c 2', 'module load nextflow', 'nextflow run nf-core/rnaseq -profile slurm'), ranges: [] },
    { title: 'snakemake head', text: sh('#SBATCH --cpus-per-task=2', 'snakemake --executor slurm --jobs 100'), ranges: [] },
  ]);
});

describe('SBATCH107 output-dir-missing and SBATCH124 output-dir-made-too-late', () => {
  const here = { filePath: '/work/jobs/run.sh', directoryExists: (p: string) => p === '/scratch' || p === '/work' };
  runCases('SBATCH107', [
    { title: 'relative: depends on where sbatch runs, so information', text: sh('#SBATCH -o logs/%j.out'), options: here, ranges: [[1, 11, 1, 15]],
      severity: 'information', message: /make sure it exists where you submit/ },
    { title: 'relative, where sbatch runs is known (a run or a submission from the script\'s folder): a warning', text: sh('#SBATCH -o logs/%j.out'),
      options: { ...here, submitDir: '/work/jobs' }, ranges: [[1, 11, 1, 15]], severity: 'warning', message: /"logs" does not exist \(relative to \/work\/jobs\)/ },
    { title: 'absolute, on this machine: a warning', text: sh('#SBATCH -o /scratch/run1/%j.out'), options: here, ranges: [[1, 11, 1, 24]], severity: 'warning' },
    { title: 'absolute, not on this machine (/fsx)', text: sh('#SBATCH -o /fsx/run1/%j.out'), options: here, ranges: [] },
    { title: 'not on this machine, and the cluster says it is missing there', text: sh('#SBATCH -o /fsx/run1/%j.out'),
      options: { ...here, clusterDirectoryExists: () => false }, ranges: [[1, 11, 1, 20]], severity: 'warning', message: /does not exist on cluster/ },
    { title: 'not on this machine, but on the cluster', text: sh('#SBATCH -o /fsx/run1/%j.out'), options: { ...here, clusterDirectoryExists: (p: string) => p === '/fsx/run1' }, ranges: [] },
    { title: 'another user\'s home, not on this machine', text: sh('#SBATCH -o /home/zz_not_me/logs/%j.out'), options: { ...here, directoryExists: (p: string) => p === '/home' }, ranges: [] },
    { title: 'a home that is on this machine', text: sh('#SBATCH -o /home/ana/logs/%j.out'), options: { ...here, directoryExists: (p: string) => p === '/home' || p === '/home/ana' },
      ranges: [[1, 11, 1, 25]], severity: 'warning' },
    { title: 'the folder made by the job instead (SBATCH124 says so)', text: sh('#SBATCH -o logs/%j.out', 'mkdir -p logs', 'python a.py'), options: here, ranges: [] },
  ]);
  runCases('SBATCH124', [
    { title: 'mkdir -p logs inside the job', text: sh('#SBATCH -o logs/%j.out', 'mkdir -p logs', 'python a.py'), options: here, ranges: [[2, 9, 2, 13]],
      severity: 'warning', message: /too late: slurmstepd opens/ },
    { title: 'mkdir of $SLURM_SUBMIT_DIR/logs', text: sh('#SBATCH -e logs/e.%j', 'mkdir -p "$SLURM_SUBMIT_DIR/logs"'), options: here, ranges: [[2, 9, 2, 33]] },
    { title: 'without a way to check folders, still too late', text: sh('#SBATCH -o out/%j.log', 'mkdir -p out'), ranges: [[2, 9, 2, 12]] },
    { title: 'the folder exists already', text: sh('#SBATCH -o logs/%j.out', 'mkdir -p logs'), options: { ...here, directoryExists: () => true }, ranges: [] },
    { title: 'another folder', text: sh('#SBATCH -o logs/%j.out', 'mkdir -p results'), options: here, ranges: [] },
  ]);
});

describe('SBATCH125 plugin-option and SBATCH020', () => {
  runCases('SBATCH125', [
    { title: 'Shifter --image with its value as the next word', text: sh('#SBATCH --image docker:nersc/app:1.0', '#SBATCH -N 1'), ranges: [[1, 8, 1, 15]],
      severity: 'information', all: ['SBATCH125'], message: /Shifter/ },
    { title: 'Pyxis --container-image=', text: sh('#SBATCH --container-image=nvcr.io/nvidia/pytorch:24.01-py3'), ranges: [[1, 8, 1, 25]], all: ['SBATCH125'] },
    { title: 'a plain typo stays an error', text: sh('#SBATCH --imgae=x'), ranges: [] },
  ]);
  test('no "did you mean --usage"', () => {
    for (const d of lintText(sh('#SBATCH --imag=x', '#SBATCH --imaeg', '#SBATCH --usge'))) assert.doesNotMatch(d.message, /--usage|--help|--version/);
  });
  const cluster = (pluginOptions?: string[]): ClusterProfile => ({ name: 'perlmutter', partitions: [], nodes: [], fetchedAt: '2026-01-01T00:00:00Z', ...(pluginOptions ? { pluginOptions } : {}) });
  test('with a cluster profile: the plugin options its sbatch lists are accepted, others are errors', () => {
    const text = sh('#SBATCH --image=docker:x --module=gpu', '#SBATCH --qpu=ionq');
    const ds = lintText(text, { cluster: cluster(['image', 'module']) });
    assert.deepEqual(ds.map((d) => [d.code, d.range.start.line, d.severity]), [['SBATCH020', 2, 'error']]);
    assert.match(ds[0]!.message, /not installed on cluster "perlmutter"/);
  });
  test('a profile that does not know its plugins: information as without one', () => {
    assert.deepEqual(lintText(sh('#SBATCH --image=docker:x'), { cluster: cluster() }).map((d) => d.code), ['SBATCH125']);
  });
});

describe('SBATCH108 mpi-oversubscribed: quiet on whole nodes', () => {
  runCases('SBATCH108', [
    { title: 'more ranks than --ntasks', text: sh('#SBATCH --ntasks=4', 'mpirun -n 16 ./a'), ranges: [[2, 10, 2, 12]] },
    { title: 'only --nodes', text: sh('#SBATCH --nodes=2', 'mpirun -n 256 ./a'), ranges: [] },
    { title: '--exclusive', text: sh('#SBATCH --ntasks=4 --exclusive', 'srun -n 128 ./a'), ranges: [] },
    { title: '--tasks-per-node × --nodes (the same option as --ntasks-per-node)', text: sh('#SBATCH -N 2 --tasks-per-node=4', 'mpirun -np 16 ./a'), ranges: [[2, 11, 2, 13]] },
  ]);
});

describe('SBATCH103 repeated-option: only where it changes something', () => {
  runCases('SBATCH103', [
    { title: 'the same value twice', text: sh('#SBATCH --time=10', '#SBATCH -t 10'), ranges: [] },
    { title: 'different values', text: sh('#SBATCH --time=10', '#SBATCH -t 20'), ranges: [[1, 8, 1, 17]], severity: 'warning' },
    { title: '--tasks-per-node then --ntasks-per-node: one option, the later wins', text: sh('#SBATCH --tasks-per-node=1', '#SBATCH --ntasks-per-node=3'),
      ranges: [[1, 8, 1, 26]], severity: 'warning' },
    { title: '--mail-type twice before 25.05: they add up, information', text: sh('#SBATCH --mail-type=BEGIN', '#SBATCH --mail-type=END'),
      options: { slurmVersion: '24.11' }, ranges: [[1, 8, 1, 25]], severity: 'information' },
    { title: '--mail-type twice from 25.05: the last wins, a warning', text: sh('#SBATCH --mail-type=BEGIN', '#SBATCH --mail-type=END'),
      options: { slurmVersion: '25.05' }, ranges: [[1, 8, 1, 25]], severity: 'warning' },
  ]);
});
