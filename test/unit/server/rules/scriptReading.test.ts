/**
 * Issue 13, section 1: lines that only look like this script's directives — in a heredoc the job
 * writes, in a Python job's template string, in Jinja control lines, in prose — draw no
 * "after the first command" or "look-alike" warning; real near-misses still do.
 *
 * Run: node --import tsx --test test/unit/server/rules/scriptReading.test.ts
 */
import { describe } from 'node:test';
import { runCases, sh } from './ruleCases';

describe('SBATCH100 directive-after-command: only this script\'s own lines', () => {
  runCases('SBATCH100', [
    { title: 'a real late directive', text: sh('#SBATCH -n 1', 'set -euo pipefail', '#SBATCH --time=5'), ranges: [[3, 0, 3, 16]] },
    { title: 'a heredoc that writes another job script', text: sh('#SBATCH -n 1', 'cat > step2.sh <<EOF', '#!/bin/bash', '#SBATCH --time=10', 'srun ./b', 'EOF', 'sbatch step2.sh'), ranges: [] },
    { title: 'a quoted, tab-stripped heredoc (<<-\'END\')', text: sh('#SBATCH -n 1', 'sbatch <<-\'END\'', '\t#!/bin/bash', '#SBATCH --mem=1G', '\tEND', 'echo done'), ranges: [] },
    { title: 'after the heredoc ends, a late directive counts again', text: sh('#SBATCH -n 1', 'cat <<EOF > x', '#SBATCH --time=10', 'EOF', '#SBATCH --mem=1G'), ranges: [[5, 0, 5, 16]] },
    { title: 'a here-string is no heredoc', text: sh('#SBATCH -n 1', 'read a <<< "x"', '#SBATCH --time=5'), ranges: [[3, 0, 3, 16]] },
    { title: 'Jinja control lines are gone once the template is rendered', text: sh('#SBATCH -n 1', '{% if gpus %}', '#SBATCH --gres=gpu:{{ gpus }}', '{% endif %}', 'srun ./a'), ranges: [] },
    { title: 'a Python job that writes scripts in a triple-quoted string',
      text: ['#!/usr/bin/env python3', '#SBATCH --time=5', 'import subprocess', 'T = """#!/bin/bash', '#SBATCH --job-name={name}', '"""', 'print(T)', ''].join('\n'), ranges: [] },
  ]);
});

describe('SBATCH101 directive-lookalike: near-misses, not prose', () => {
  runCases('SBATCH101', [
    { title: '# SBATCH with a space', text: sh('# SBATCH --time=5'), ranges: [[1, 0, 1, 17]] },
    { title: 'lower case #sbatch', text: sh('#sbatch --time=5'), ranges: [[1, 0, 1, 16]] },
    { title: 'misspelt #SBTACH', text: sh('#SBTACH --time=5'), ranges: [[1, 0, 1, 16]], message: /misspelt/, fixed: sh('#SBATCH --time=5') },
    { title: 'misspelt #BATCH', text: sh('#BATCH -N 2'), ranges: [[1, 0, 1, 11]], fixed: sh('#SBATCH -N 2') },
    { title: 'misspelt #CBATCH', text: sh('#CBATCH --mem=4G'), ranges: [[1, 0, 1, 16]] },
    { title: 'a command line quoted in prose', text: sh('#   sbatch -N 4 job.sh', '#SBATCH -n 1'), ranges: [] },
    { title: 'an output file named in prose', text: sh('# slurm-1234.out holds the log', '#SBATCH -n 1'), ranges: [] },
    { title: 'a heading', text: sh('# SLURM settings', '#SBATCH -n 1'), ranges: [] },
    { title: 'a word that only looks close, without an option after it', text: sh('# BATCH processing of all files', '#SBATCH -n 1'), ranges: [] },
    { title: '##SBATCH switched off on purpose', text: sh('##SBATCH --time=5'), ranges: [] },
  ]);
});
