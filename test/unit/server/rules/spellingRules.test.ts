/**
 * Issue 13, directives that are almost right: typographic dashes (SBATCH116, also in the shebang),
 * long options with one dash (SBATCH117), a directive split over two lines (SBATCH118). Where the
 * slip makes sbatch reject the script, the finding is the error and says why.
 *
 * Run: node --import tsx --test test/unit/server/rules/spellingRules.test.ts
 */
import { describe } from 'node:test';
import { runCases, sh } from './ruleCases';

describe('SBATCH116 unicode-dash', () => {
  runCases('SBATCH116', [
    { title: 'an en dash before a dash: sbatch rejects the word', text: sh('#SBATCH \u2013-time=10'), ranges: [[1, 8, 1, 17]], severity: 'error',
      all: ['SBATCH116'], message: /U\+2013.*not an option/, fixed: sh('#SBATCH --time=10') },
    { title: 'an em dash for two dashes', text: sh('#SBATCH \u2014mem=4G'), ranges: [[1, 8, 1, 15]], severity: 'error', fixed: sh('#SBATCH --mem=4G') },
    { title: 'an en dash for a short option', text: sh('#SBATCH \u2013N 2'), ranges: [[1, 8, 1, 10]], fixed: sh('#SBATCH -N 2') },
    { title: 'in the shebang: the job exits 127 at once', text: '#!/bin/sh \u2013l\n#SBATCH -n 1\necho hi\n', ranges: [[0, 10, 0, 11]], severity: 'warning',
      message: /status 127/, fixed: '#!/bin/sh -l\n#SBATCH -n 1\necho hi\n' },
    { title: 'plain dashes', text: '#!/bin/bash -l\n#SBATCH --time=10 -N 2\n', ranges: [] },
    { title: 'a dash in a comment', text: sh('#SBATCH --time=10 # ten minutes \u2013 enough'), ranges: [] },
  ]);
});

describe('SBATCH117 single-dash-long-option', () => {
  runCases('SBATCH117', [
    { title: '-qos=debug is -q "os=debug"', text: sh('#SBATCH -qos=debug'), ranges: [[1, 8, 1, 18]], severity: 'warning',
      message: /-q with the value "os=debug", not as --qos/, fixed: sh('#SBATCH --qos=debug') },
    { title: '-time=10 is -t "ime=10", which sbatch rejects', text: sh('#SBATCH -time=10'), ranges: [[1, 8, 1, 16]], severity: 'error', all: ['SBATCH117'] },
    { title: '-exclusive is -e "xclusive": stderr to a file named xclusive', text: sh('#SBATCH -exclusive'), ranges: [[1, 8, 1, 18]], fixed: sh('#SBATCH --exclusive') },
    { title: 'short options with attached values', text: sh('#SBATCH -pgpu -n4 -N2'), ranges: [] },
    { title: 'two dashes', text: sh('#SBATCH --qos=debug'), ranges: [] },
  ]);
});

describe('SBATCH118 split-directive', () => {
  runCases('SBATCH118', [
    { title: '#SBATCH alone, the option on the next line', text: sh('#SBATCH', '--time=10', 'echo hi'), ranges: [[1, 0, 1, 7]],
      message: /stands alone/, fixed: sh('#SBATCH --time=10', 'echo hi') },
    { title: 'the option indented on the next line', text: sh('#SBATCH ', '    -N 2', 'echo hi'), ranges: [[1, 0, 1, 8]], fixed: sh('#SBATCH -N 2', 'echo hi') },
    { title: 'an empty #SBATCH before a comment', text: sh('#SBATCH', '# nodes', '#SBATCH -N 2'), ranges: [] },
  ]);
});
