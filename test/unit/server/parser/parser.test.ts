import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { tokenizeDirective } from '../../../../server/src/parser/directiveTokens';
import { readOptions } from '../../../../server/src/parser/optionReader';
import { parseScript } from '../../../../server/src/parser/scriptParser';

describe('tokenizeDirective: words as sbatch get_argument() splits them', () => {
  const rows: Array<[string, string[], string?]> = [
    [' --time=10', ['--time=10']],
    [' -N 1 -n 2 -t 10', ['-N', '1', '-n', '2', '-t', '10']],
    ['--time=10', ['--time=10']],                                   // #SBATCH--time=10
    [' --job-name="my job" -n4', ['--job-name=my job', '-n4']],
    [" --job-name='a b'c", ['--job-name=a bc']],
    [' --job-name=a\\ b', ['--job-name=a b']],
    [' --job-name=a\\"b', ['--job-name=a"b']],
    [' --comment="x # y"', ['--comment=x # y']],                    // # inside quotes is literal
    [' --time=10 # ten minutes', ['--time=10'], 'comment'],
    [' --time=10#x', ['--time=10'], 'comment'],
    [' --job-name=a\\#b', ['--job-name=a#b']],
    [' --job-name "" --time=5', ['--job-name'], 'emptyWord'],        // an empty word ends the line
    ['\t--ntasks=2\r', ['--ntasks=2']],
    ['', []],
  ];
  for (const [input, words, rest] of rows) {
    test(JSON.stringify(input), () => {
      const line = '#SBATCH' + input;
      const t = tokenizeDirective(line, 0, 7);
      assert.deepEqual(t.tokens.map((x) => x.text), words);
      assert.equal(t.rest?.reason, rest);
      assert.equal(t.problem, undefined);
    });
  }

  test('columns map every character back to the line', () => {
    const line = '#SBATCH --job-name="a b"';
    const [tok] = tokenizeDirective(line, 3, 7).tokens;
    assert.equal(tok!.line, 3);
    assert.equal(tok!.start, 8);
    assert.equal(tok!.end, line.length);
    assert.equal(line[tok!.columns[tok!.text.indexOf('a')]!], 'a');
    assert.equal(line[tok!.columns[tok!.text.indexOf('b')]!], 'b');
    assert.equal(tok!.columns[tok!.text.length], line.length);
  });

  test('unmatched quote and leading colon are problems', () => {
    assert.deepEqual(tokenizeDirective('#SBATCH --job-name="oops', 0, 7).problem, { kind: 'unmatchedQuote', quote: '"', column: 19 });
    assert.deepEqual(tokenizeDirective('#SBATCH -n 1 : -n 2', 0, 7).problem, { kind: 'unexpectedColon', column: 13 });
  });
});

describe('parseScript: which lines are directives', () => {
  const script = [
    '#!/bin/bash',                //0
    '#SBATCH --ntasks=2',         //1
    '',                           //2
    '# a comment',                //3
    '# SBATCH --time=5',          //4 spaced look-alike
    '  #SBATCH --mem=1G',         //5 indented
    '#sbatch --qos=low',          //6 lower case
    '##SBATCH --hold',            //7 deliberately off: not reported
    '# Slurm settings below',     //8 prose, not a look-alike
    '#SLURM --nodes=1',           //9 legacy prefix, still read
    'module load python',         //10 first command
    '#SBATCH --time=10',          //11 ignored: after the first command
  ].join('\n');
  const p = parseScript(script);

  test('directive lines stop at the first command', () => {
    assert.deepEqual(p.directives.map((d) => [d.line, d.magic]), [[1, '#SBATCH'], [9, '#SLURM']]);
    assert.equal(p.firstCommandLine, 10);
    assert.equal(p.hasShebang, true);
  });

  test('look-alikes and late directives are kept with the reason', () => {
    assert.deepEqual(p.ignored.map((i) => [i.line, i.reason]), [[4, 'spaced'], [5, 'indented'], [6, 'case'], [11, 'afterCommand']]);
    assert.deepEqual(p.ignored[0]!.tokens.map((t) => t.text), ['--time=5']);
  });

  test('CRLF, NUL and a missing shebang are noticed', () => {
    const q = parseScript('echo hi\r\n#SBATCH -n1\r\nx\0');
    assert.equal(q.hasShebang, false);
    assert.deepEqual(q.crlfLines, [0, 1]);
    assert.deepEqual(q.nulOffsets, [23]);
    assert.equal(q.lines[0], 'echo hi');
  });

  test('hetjob separators start a new component', () => {
    const q = parseScript('#!/bin/sh\n#SBATCH -n1\n#SBATCH hetjob\n#SBATCH -n2\n');
    assert.deepEqual(q.directives.map((d) => [d.component, d.separator]), [[0, undefined], [1, 'hetjob'], [1, undefined]]);
  });
});

describe('readOptions: getopt_long over all directive words', () => {
  const read = (...lines: string[]) => readOptions(parseScript(['#!/bin/bash', ...lines, 'echo'].join('\n')).directives);

  test('--opt=value, --opt value, -n4, -n 4', () => {
    const r = read('#SBATCH --time=10 --ntasks 4', '#SBATCH -c2 -N 1');
    assert.deepEqual(r.uses.map((u) => [u.option?.name, u.value, u.valueFrom]), [
      ['time', '10', 'equals'], ['ntasks', '4', 'nextWord'], ['cpus-per-task', '2', 'attached'], ['nodes', '1', 'nextWord'],
    ]);
    assert.equal(r.stray.length, 0);
  });

  test('value ranges point at the value in the line', () => {
    const r = read('#SBATCH --job-name="my job"');
    const u = r.uses[0]!;
    assert.equal(u.value, 'my job');
    assert.equal(u.valueSpan!.line, 1);
    assert.equal(u.valueSpan!.columns[0], '#SBATCH --job-name="'.length);
  });

  test('a required value may come from the next directive line', () => {
    const r = read('#SBATCH --time', '#SBATCH 30');
    assert.deepEqual(r.uses.map((u) => [u.option?.name, u.value, u.valueSpan?.line]), [['time', '30', 2]]);
  });

  test('missing value at the end, value given to a no-arg option', () => {
    const r = read('#SBATCH --hold=yes --time');
    assert.deepEqual(r.uses.map((u) => [u.option?.name, u.problem]), [['hold', 'unexpectedValue'], ['time', 'missingValue']]);
  });

  test('abbreviations: unique prefix, ambiguous, unknown', () => {
    const r = read('#SBATCH --mail-u=me --cpu=2');
    assert.deepEqual(r.uses.map((u) => [u.written, u.resolution, u.option?.name]), [['--mail-u', 'prefix', 'mail-user'], ['--cpu', 'ambiguous', undefined]]);
    assert.ok(r.uses[1]!.candidates!.length > 1);
    assert.equal(read('#SBATCH --tiem=10').uses[0]!.resolution, 'unknown');
  });

  test('a stray word stops reading ("Invalid directive found")', () => {
    const r = read('#SBATCH --job-name=my job --time=10');
    assert.deepEqual(r.uses.map((u) => u.option?.name), ['job-name']);
    assert.equal(r.stray[0]!.token.text, 'job');
  });

  test('short clusters: flags then a value', () => {
    const r = read('#SBATCH -Hn4');
    assert.deepEqual(r.uses.map((u) => [u.option?.name, u.value]), [['hold', undefined], ['ntasks', '4']]);
  });

  test('one dash with a long name is read as short options', () => {
    const r = read('#SBATCH -time=10');
    assert.deepEqual(r.uses.map((u) => [u.written, u.value]), [['-t', 'ime=10']]);
  });

  test('-- ends the options; a word after it is stray', () => {
    const r = read('#SBATCH -n1 -- foo');
    assert.equal(r.stray[0]!.token.text, 'foo');
    assert.equal(r.stray[0]!.afterDoubleDash, true);
  });
});
