/**
 * Issue 13: #PBS lines, which sbatch translates after the #SBATCH lines (src/sbatch/xlate.c:
 * they override, and untranslatable attributes vanish), and heterogeneous job components, where
 * options carry forward to later components but never back to the leader (slurm_opt.c resets
 * only its reset_each_pass options between components).
 *
 * Run: node --import tsx --test test/unit/server/rules/pbsAndHetjobRules.test.ts
 */
import { describe } from 'node:test';
import { runCases, sh } from './ruleCases';

describe('SBATCH113 pbs-directive', () => {
  runCases('SBATCH113', [
    { title: 'walltime overrides --time', text: sh('#SBATCH --time=24:00:00', '#PBS -l walltime=12:00:00', 'srun ./a'), ranges: [[2, 0, 2, 25]],
      severity: 'warning', message: /sets --time=12:00:00, overriding --time=24:00:00 on line 2/,
      fixed: sh('#SBATCH --time=24:00:00', '##PBS -l walltime=12:00:00', 'srun ./a') },
    { title: '-N overrides --job-name', text: sh('#SBATCH -J new', '#PBS -N old', 'srun ./a'), ranges: [[2, 0, 2, 11]], severity: 'warning', message: /--job-name=old, overriding -J=new/ },
    { title: 'a dependency in -W x=depend is dropped', text: sh('#SBATCH -n 1', '#PBS -W x=depend:afterok:48213', './merge'), ranges: [[2, 0, 2, 30]],
      severity: 'warning', message: /dropped without a word.*--dependency/ },
    { title: '-v narrows the environment', text: sh('#PBS -v INPUT=a.dat', './run'), ranges: [[1, 0, 1, 19]], severity: 'warning', message: /only these variables/ },
    { title: 'a pure PBS script is translated: information', text: sh('#PBS -l nodes=2:ppn=8', '#PBS -q batch', 'mpirun ./a'), ranges: [[1, 0, 1, 21], [2, 0, 2, 13]],
      severity: 'information', message: /--nodes=2; sets --ntasks=16/ },
    { title: 'PBS Pro select: every part of it counts', text: sh('#PBS -l select=2:ncpus=8:mpiprocs=8', 'mpirun ./a'), ranges: [[1, 0, 1, 35]],
      message: /sets --nodes=2; sets --mincpus=8; sets --ntasks-per-node=8/ },
    { title: 'the same value as #SBATCH', text: sh('#SBATCH -J run', '#PBS -N run', './a'), ranges: [[2, 0, 2, 11]], severity: 'information' },
    { title: '#PBS after the first command is still read', text: sh('#SBATCH -t 10', 'cd $SLURM_SUBMIT_DIR', '#PBS -l walltime=1:00:00'), ranges: [[3, 0, 3, 24]] },
    { title: '--ignore-pbs', text: sh('#SBATCH --ignore-pbs -t 10', '#PBS -l walltime=1:00:00', './a'), ranges: [] },
    { title: 'after 100 non-comment lines sbatch stops looking', text: sh('#SBATCH -t 10', ...Array.from({ length: 101 }, () => 'true'), '#PBS -N late'), ranges: [] },
    { title: '# PBS with a space is a comment', text: sh('#SBATCH -t 10', '# PBS -N x', './a'), ranges: [] },
  ]);
});

describe('SBATCH126 hetjob-component', () => {
  runCases('SBATCH126', [
    { title: '--time and --output only after hetjob: the leader keeps the defaults',
      text: sh('#SBATCH -n 1', '#SBATCH hetjob', '#SBATCH -N 4 --time=06:00:00', '#SBATCH --output=run-%j.out', 'srun --het-group=1 ./a'),
      ranges: [[3, 13, 3, 28], [4, 8, 4, 27]], severity: 'warning', message: /component 0, which runs the batch script, keeps the partition's default time limit/ },
    { title: '--mem from the leader carries into --mem-per-cpu: sbatch refuses', text: sh('#SBATCH -n 1 --mem=4G', '#SBATCH hetjob', '#SBATCH -n 8 --mem-per-cpu=1G'),
      ranges: [[3, 13, 3, 29]], severity: 'error', message: /mutually exclusive/ },
    { title: 'options in the leader', text: sh('#SBATCH -n 1 --time=60 -o x.out', '#SBATCH hetjob', '#SBATCH -n 8'), ranges: [] },
    { title: 'per-component resources in a later component', text: sh('#SBATCH -n 1', '#SBATCH hetjob', '#SBATCH -n 8 -p gpu --mem-per-cpu=1G'), ranges: [] },
  ]);
});
