/**
 * Issue 13, placeholders and templates: unfilled template fields (SBATCH106) are one finding each,
 * never a stray-word or invalid-value cascade; where sbatch rejects the text the finding is the
 * error. Shell variables in directives (SBATCH115) are never expanded. A file that is itself a
 * template gets its fields as information only.
 *
 * Run: node --import tsx --test test/unit/server/rules/templateRules.test.ts
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { lintText } from '../../../../server/src/lint';
import { runCases, sh } from './ruleCases';

describe('SBATCH106 placeholder', () => {
  runCases('SBATCH106', [
    { title: '<proj>', text: sh('#SBATCH --account=<proj>'), ranges: [[1, 18, 1, 24]], severity: 'warning', message: /unknown account/ },
    { title: 'a str.format field in a count: one error, not an invalid-number cascade', text: sh('#SBATCH --nodes={nodes}'), ranges: [[1, 16, 1, 23]],
      severity: 'error', all: ['SBATCH106'], message: /unfilled template field.*sbatch rejects/ },
    { title: '{{ name }} spread over three words: one error, no stray word', text: sh('#SBATCH --job-name={{ name }}'), ranges: [[1, 19, 1, 29]],
      severity: 'error', all: ['SBATCH106'] },
    { title: 'a field inside a memory size', text: sh('#SBATCH --mem={mem}G'), ranges: [[1, 14, 1, 19]], severity: 'error', all: ['SBATCH106'] },
    { title: 'a positional $1', text: sh('#SBATCH --time=$1'), ranges: [[1, 15, 1, 17]], severity: 'error', all: ['SBATCH106'] },
    { title: '"your account" in two words: the stand-in, not "quote the value"', text: sh('#SBATCH --account=your account'), ranges: [[1, 18, 1, 30]],
      severity: 'error', all: ['SBATCH106'], message: /"your account" looks like a placeholder/ },
    { title: 'XXXX', text: sh('#SBATCH --account=XXXX'), ranges: [[1, 18, 1, 22]] },
    { title: 'def-someuser', text: sh('#SBATCH --account=def-someuser'), ranges: [[1, 18, 1, 30]] },
    { title: 'name@example.com', text: sh('#SBATCH --mail-user=name@example.com --mail-type=END'), ranges: [[1, 20, 1, 36]] },
    { title: 'someone@example.org: the whole address', text: sh('#SBATCH --mail-user=someone@example.org --mail-type=END'), ranges: [[1, 20, 1, 39]] },
    { title: '...', text: sh('#SBATCH --partition=...'), ranges: [[1, 20, 1, 23]] },
    { title: 'HH:MM:SS from the documentation', text: sh('#SBATCH --time=HH:MM:SS'), ranges: [[1, 15, 1, 23]], severity: 'error' },
    { title: 'an ALL-CAPS stand-in next to "change this"', text: sh('#SBATCH --account=PROJECT   # change this to your project'), ranges: [[1, 18, 1, 25]] },
    { title: 'an ALL-CAPS stand-in under an edit-me comment', text: sh('# Edit the next line:', '#SBATCH --partition=PARTITION_NAME'), ranges: [[2, 20, 2, 34]] },
    { title: 'a real account id with an edit-me comment', text: sh('#SBATCH --account=AST23001   # <-- change to your project'), ranges: [] },
    { title: 'capitals without an edit-me comment', text: sh('#SBATCH --partition=GPU'), ranges: [] },
    { title: 'mail types are capitals anyway', text: sh('#SBATCH --mail-type=END,FAIL # change as you like'), ranges: [] },
    { title: 'an ellipsis ending a sentence', text: sh('#SBATCH --comment="long run, wait..."'), ranges: [] },
    { title: 'a real mail address', text: sh('#SBATCH --mail-user=ana.silva@uni-example.pt --mail-type=END'), ranges: [] },
    { title: 'Slurm\'s own patterns', text: sh('#SBATCH --output=%x_%A_%a.out'), ranges: [] },
    { title: 'an unknown option of x\'s is an unknown option', text: sh('#SBATCH --xxxx=1'), ranges: [], all: ['SBATCH020'] },
    { title: 'a placeholder in a trailing comment', text: sh('#SBATCH --account=proj1 # was <proj>'), ranges: [] },
  ]);
});

describe('template mode: a file that is a template', () => {
  runCases('SBATCH106', [
    { title: 'Jinja control lines: fields are information, and nothing else is said on template syntax',
      text: sh('{% if account %}', '#SBATCH --account={{ account }}', '{% endif %}', '#SBATCH --nodes={{ nodes }}', 'srun ./a'),
      ranges: [[2, 18, 2, 31], [4, 16, 4, 27]], severity: 'information', all: ['SBATCH106'] },
    { title: 'a .j2 file name', text: sh('#SBATCH --job-name={{ name }}'), options: { filePath: '/work/templates/job.sbatch.j2' },
      ranges: [[1, 19, 1, 29]], severity: 'information', all: ['SBATCH106'], message: /is a template field: this file is a template, so that is expected/ },
  ]);
  test('a template that opens with control lines has its #! after them', () => {
    const text = '{# job template, rendered by our workflow #}\n{%- set n = 4 -%}\n#!/bin/bash\n#SBATCH --nodes={{ n }}\nsrun ./a\n';
    assert.deepEqual(lintText(text).map((d) => [d.code, d.severity]), [['SBATCH106', 'information']]);
    assert.deepEqual(lintText('{% set n = 4 %}\necho no shebang\n').map((d) => d.code), ['SBATCH001']);
  });
  test('template syntax raises no error at all', () => {
    const ds = lintText(sh('#SBATCH --time={{ hours }}:00:00 --nodes={n}', 'srun ./a'), { filePath: 'job.tmpl' });
    assert.deepEqual(ds.filter((d) => d.severity === 'error' || d.severity === 'warning'), []);
  });
});

describe('placeholder search stays linear on hostile lines', () => {
  // A search that tried the mail pattern from every position of a long word was quadratic: a
  // 100,000-character word took 4.5 s, this one would take minutes and hit the timeout.
  test('a 1,000,000-character word and a long #PBS select list', { timeout: 60_000 }, () => {
    assert.deepEqual(lintText(sh(`#SBATCH --comment=${'a.'.repeat(500_000)}`)).map((d) => d.code), []);
    assert.deepEqual(lintText(sh(`#PBS -l ${'select=1:'.repeat(200_000)}`)).map((d) => d.code), ['SBATCH113']);
  });
});

describe('SBATCH115 unexpanded-variable', () => {
  runCases('SBATCH115', [
    { title: '$USER in --output: %u is offered', text: sh('#SBATCH --output=/scratch/$USER/%j.out'), ranges: [[1, 26, 1, 31]],
      message: /does not expand shell variables.*Use %u/, fixed: sh('#SBATCH --output=/scratch/%u/%j.out') },
    { title: '${SLURM_JOB_ID} in --error: %j', text: sh('#SBATCH --error=err.${SLURM_JOB_ID}'), ranges: [[1, 20, 1, 35]], fixed: sh('#SBATCH --error=err.%j') },
    { title: '${ACCOUNT}: refused for an account literally so named', text: sh('#SBATCH --account=${ACCOUNT}'), ranges: [[1, 18, 1, 28]],
      message: /account literally named "\$\{ACCOUNT\}"/ },
    { title: 'a variable where sbatch rejects the text: the finding is the error', text: sh('#SBATCH --ntasks=$NTASKS'), ranges: [[1, 17, 1, 24]],
      severity: 'error', all: ['SBATCH115'] },
    { title: '~ at the start of a path', text: sh('#SBATCH --output=~/logs/%j.out'), ranges: [[1, 17, 1, 18]], message: /does not expand "~"/ },
    { title: 'a variable in the body', text: sh('#SBATCH -n 1', 'echo $USER'), ranges: [] },
    { title: '%u written out', text: sh('#SBATCH --output=/scratch/%u/%j.out'), ranges: [] },
  ]);
});
