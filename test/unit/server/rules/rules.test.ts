/**
 * Table-driven rule tests: for every diagnostic code (except the 2xx cluster ones) a script that
 * triggers it, with exact 0-based LSP ranges, and a close variant that must not. Quick fixes are
 * applied to the text and the result is linted again.
 *
 * Run: node --import tsx --test test/unit/server/rules/rules.test.ts
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { analyzeScript, lintText, type LintDiagnostic, type LintOptions } from '../../../../server/src/lint';
import { CODES, type DiagnosticCode, type Severity } from '../../../../server/src/rules/codes';
import { applyEdits } from '../textEdits';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'fixtures', 'rules');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');

/** `#!/bin/bash`, the lines given, each ended by `\n`. */
const sh = (...lines: string[]) => ['#!/bin/bash', ...lines].map((l) => l + '\n').join('');

/** [line, startCharacter, endLine, endCharacter], 0-based as in LSP. */
type R = readonly [number, number, number, number];
const rangeOf = (d: LintDiagnostic): R => [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character];

/** The severity each code family has by design: 0xx errors, 1xx warnings; a few notes, and 123 (sbatch refuses it). */
function designedSeverity(code: DiagnosticCode): Severity {
  const n = Number(code.slice(6));
  return n < 100 || n === 123 ? 'error' : n === 109 || n === 110 || n === 125 ? 'information' : 'warning';
}

describe('applyEdits (test helper)', () => {
  test('inserts, replaces and deletes against the original text', () => {
    const text = 'ab\ncd\nef\n';
    assert.equal(applyEdits(text, [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: 'X' },
      { range: { start: { line: 1, character: 0 }, end: { line: 2, character: 0 } }, newText: '' },
      { range: { start: { line: 2, character: 1 }, end: { line: 2, character: 2 } }, newText: 'Y' },
    ]), 'Xab\neY\n');
  });
  test('positions past the end are clamped', () => {
    assert.equal(applyEdits('a\nb', [{ range: { start: { line: 1, character: 0 }, end: { line: 2, character: 0 } }, newText: '' }]), 'a\n');
    assert.equal(applyEdits('abc', [{ range: { start: { line: 0, character: 9 }, end: { line: 0, character: 9 } }, newText: '!' }]), 'abc!');
  });
  test('overlapping edits are refused', () => {
    assert.throws(() => applyEdits('abcdef', [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } }, newText: '' },
      { range: { start: { line: 0, character: 2 }, end: { line: 0, character: 4 } }, newText: '' },
    ]), /overlap/);
  });
});

// ---- the table ------------------------------------------------------------------------------

interface Trigger {
  readonly title: string;
  readonly text: string;
  readonly options?: LintOptions;
  /** Exact ranges of all diagnostics with the code, in order. */
  readonly ranges: readonly R[];
  /** Matched against the first one's message. */
  readonly message?: RegExp;
  /** Every code the script reports, when the test should pin that down too. */
  readonly all?: readonly DiagnosticCode[];
  /** Apply fixes[index] (default: the preferred one, else the first) of the first diagnostic. */
  readonly fix?: { readonly index?: number; readonly title?: RegExp; readonly result: string };
  /** Whether the code must be gone after the fix (default true; false when only one of several goes). */
  readonly fixClearsCode?: boolean;
  /** Where the rule knows less (or more) than the code's usual severity says. */
  readonly severity?: Severity;
}

interface Clean { readonly title: string; readonly text: string; readonly options?: LintOptions }

interface RuleCase { readonly code: DiagnosticCode; readonly triggers: readonly Trigger[]; readonly clean: readonly Clean[] }

const missing = () => false;
const inTmp: LintOptions = { filePath: '/work/jobs/run.slurm', directoryExists: missing };

const CASES: readonly RuleCase[] = [
  // ---- whole script ----
  {
    code: 'SBATCH001',
    triggers: [
      { title: 'directives but no #! line', text: '#SBATCH --time=5\necho hi\n', ranges: [[0, 0, 0, 16]], all: ['SBATCH001'],
        message: /first line must start with #!/,
        fix: { title: /#!\/bin\/bash/, result: '#!/bin/bash\n#SBATCH --time=5\necho hi\n' } },
      { title: 'a blank line before the #! line', text: '\n#!/bin/bash\necho hi\n', ranges: [[0, 0, 0, 0]],
        fix: { result: '#!/bin/bash\n\n#!/bin/bash\necho hi\n' } },
      { title: 'indented #!', text: ' #!/bin/bash\necho hi\n', ranges: [[0, 0, 0, 12]] },
    ],
    clean: [
      { title: '#!/bin/sh', text: '#!/bin/sh\necho hi\n' },
      { title: '#! with a space before the interpreter', text: '#! /bin/bash\necho hi\n' },
      { title: '#!/usr/bin/env python3', text: '#!/usr/bin/env python3\nprint("hi")\n' },
    ],
  },
  {
    code: 'SBATCH002',
    triggers: [
      { title: 'every line ends in CRLF', text: '#!/bin/bash\r\n#SBATCH --time=5\r\necho hi\r\n', ranges: [[0, 0, 0, 11]],
        all: ['SBATCH002'], message: /3 line\(s\) end in CRLF/,
        fix: { result: '#!/bin/bash\n#SBATCH --time=5\necho hi\n' } },
      { title: 'a CR before the CRLF goes too', text: '#!/bin/bash\r\r\necho hi\n', ranges: [[0, 0, 0, 12]],
        fix: { result: '#!/bin/bash\necho hi\n' } },
      { title: 'only the last line', text: '#!/bin/bash\n#SBATCH --time=5\necho hi\r\n', ranges: [[2, 0, 2, 7]],
        message: /1 line\(s\)/, fix: { result: '#!/bin/bash\n#SBATCH --time=5\necho hi\n' } },
    ],
    clean: [
      { title: 'LF line endings', text: '#!/bin/bash\n#SBATCH --time=5\necho hi\n' },
      { title: 'a CR that is not before a LF', text: '#!/bin/bash\necho "a\rb"\necho hi\r' },
    ],
  },
  {
    code: 'SBATCH003',
    triggers: [
      { title: 'a NUL in the body', text: '#!/bin/bash\n#SBATCH --time=5\necho hi\0\n', ranges: [[2, 7, 2, 8]], all: ['SBATCH003'], message: /found 1/ },
      { title: 'two NULs: reported once, at the first', text: '#!/bin/bash\n\0\necho \0\n', ranges: [[1, 0, 1, 1]], message: /found 2/ },
    ],
    clean: [{ title: 'an escaped \\0 is text', text: '#!/bin/bash\nprintf "a\\0b"\n' }],
  },
  {
    code: 'SBATCH004',
    triggers: [
      { title: 'empty', text: '', ranges: [[0, 0, 0, 0]], all: ['SBATCH004'], message: /empty script/ },
      { title: 'whitespace only', text: '   \n\n\t\n', ranges: [[0, 0, 0, 0]], all: ['SBATCH004'], message: /only whitespace/ },
    ],
    clean: [
      { title: 'just a #! line', text: '#!/bin/bash\n' },
      { title: 'a single comment (no #!, but not empty)', text: '#\n' },
    ],
  },
  // ---- directive syntax ----
  {
    code: 'SBATCH010',
    triggers: [
      { title: 'unclosed double quote', text: sh('#SBATCH --job-name="unterminated', '#SBATCH --time=5', 'echo hi'),
        ranges: [[1, 19, 1, 32]], all: ['SBATCH010'], message: /Unmatched `"`.*double quote/,
        fix: { result: sh('#SBATCH --job-name="unterminated"', '#SBATCH --time=5', 'echo hi') } },
      { title: 'unclosed single quote', text: sh("#SBATCH --job-name='it"), ranges: [[1, 19, 1, 22]], message: /single quote/,
        fix: { result: sh("#SBATCH --job-name='it'") } },
      { title: 'the quote is closed before trailing blanks', text: sh('#SBATCH --comment="a b   '), ranges: [[1, 18, 1, 25]],
        fix: { result: sh('#SBATCH --comment="a b"   ') } },
      { title: 'a trailing backslash would escape the added quote', text: sh('#SBATCH --comment="a b\\'), ranges: [[1, 18, 1, 23]],
        fix: { result: sh('#SBATCH --comment="a b"\\') } },
      { title: 'an escaped backslash at the end stays', text: sh('#SBATCH --comment="a\\\\'), ranges: [[1, 18, 1, 22]],
        fix: { result: sh('#SBATCH --comment="a\\\\"') } },
      { title: 'a # inside the open quote does not end it', text: sh('#SBATCH --comment="x # y'), ranges: [[1, 18, 1, 24]] },
    ],
    clean: [
      { title: 'closed quotes', text: sh('#SBATCH --job-name="my job" --comment=\'a b\'') },
      { title: 'an escaped quote', text: sh("#SBATCH --job-name=it\\'s") },
      { title: 'a quote in a trailing comment', text: sh("#SBATCH --time=5 # don't") },
      { title: 'a quote in a lookalike comment', text: sh("# SBATCH --job-name='x") },
      { title: 'a quote in a directive after the first command', text: sh('echo hi', '#SBATCH --job-name="x') },
    ],
  },
  {
    code: 'SBATCH011',
    triggers: [
      { title: 'an unquoted space in a value', text: sh('#SBATCH --job-name=my job', '#SBATCH --time=5'), ranges: [[1, 22, 1, 25]],
        all: ['SBATCH011'], message: /Invalid directive found in batch script: job".*quote the value/ },
      { title: 'the quote fix takes every plain word up to the next option', text: sh('#SBATCH -J my big job --time=5'), ranges: [[1, 14, 1, 17]],
        fix: { title: /Quote the value/, result: sh('#SBATCH -J "my big job" --time=5') } },
      { title: 'a word after --', text: sh('#SBATCH --time=5 -- extra'), ranges: [[1, 20, 1, 25]], message: /after "--"/ },
      { title: 'a value-less -J swallows -n, leaving 2', text: sh('#SBATCH -J', '#SBATCH -n 2'), ranges: [[2, 11, 2, 12]],
        message: /batch script: 2"/ },
      { title: 'a plain word', text: sh('#SBATCH time=5'), ranges: [[1, 8, 1, 14]] },
      { title: '"\\ " ends the word before 24.05 (no release given: 22.05)', text: sh('#SBATCH --job-name=my\\ job --time=5'),
        ranges: [[1, 23, 1, 26]], all: ['SBATCH011'], message: /batch script: job".*Before Slurm 24\.05, "\\ " ends the word/ },
      { title: '"\\ " with 23.11', text: sh('#SBATCH -J my\\ job'), options: { slurmVersion: '23.11' }, ranges: [[1, 15, 1, 18]] },
    ],
    clean: [
      { title: 'the value quoted', text: sh('#SBATCH --job-name="my job"', '#SBATCH --time=5') },
      { title: 'the value in single quotes', text: sh("#SBATCH --job-name='my job'") },
      { title: '-- at the end of the line', text: sh('#SBATCH --time=5 --') },
      { title: 'words in a trailing comment', text: sh('#SBATCH --time=5 # ten minutes') },
      { title: '"\\ " keeps the space from 24.05 on', text: sh('#SBATCH --job-name=my\\ job --time=5'), options: { slurmVersion: '24.05' } },
      { title: '"\\ " inside quotes', text: sh('#SBATCH --job-name="my\\ job"') },
      { title: '"\\ " before another option (22.05 reads two options)', text: sh('#SBATCH --job-name=my\\ --time=5') },
    ],
  },
  {
    code: 'SBATCH012',
    triggers: [
      { title: 'a word starting with :', text: sh('#SBATCH :--time=10'), ranges: [[1, 8, 1, 9]], all: ['SBATCH012'], message: /Unexpected `:`/ },
      { title: 'a lone : after an option', text: sh('#SBATCH --time=5 :'), ranges: [[1, 17, 1, 18]] },
    ],
    clean: [
      { title: 'colons inside a value', text: sh('#SBATCH --dependency=afterok:123:456 --time=1:00:00') },
      { title: 'hetjob instead of :', text: sh('#SBATCH --time=5', '#SBATCH hetjob', '#SBATCH --time=5') },
    ],
  },
  // ---- options ----
  {
    code: 'SBATCH020',
    triggers: [
      { title: 'a misspelt long option', text: sh('#SBATCH --tiem=00:10:00'), ranges: [[1, 8, 1, 14]], all: ['SBATCH020'],
        message: /unrecognized option '--tiem'.*Did you mean --time/,
        fix: { title: /--time$/, result: sh('#SBATCH --time=00:10:00') } },
      { title: 'an unknown short option', text: sh('#SBATCH -Z'), ranges: [[1, 8, 1, 10]], message: /invalid option -- 'Z'/ },
      { title: 'a long-looking word written with one dash', text: sh('#SBATCH -jobname=x'), ranges: [[1, 8, 1, 10]],
        message: /invalid option -- 'j'.*"-jobname=x" is read as short options; long options need two dashes/ },
      { title: 'an unknown letter inside a cluster of flags', text: sh('#SBATCH -HZ'), ranges: [[1, 10, 1, 11]] },
    ],
    clean: [
      { title: 'the right spelling', text: sh('#SBATCH --time=00:10:00') },
      { title: 'a known short option', text: sh('#SBATCH -t 10') },
      { title: 'a misspelling that is only a comment', text: sh('##SBATCH --tiem=10') },
    ],
  },
  {
    code: 'SBATCH021',
    triggers: [
      { title: '--tim: --time or --time-min', text: sh('#SBATCH --tim=10'), ranges: [[1, 8, 1, 13]], all: ['SBATCH021'],
        message: /'--tim' is ambiguous; it could be --time, --time-min/,
        fix: { index: 0, result: sh('#SBATCH --time=10') } },
      { title: '--cpu', text: sh('#SBATCH --cpu=2'), ranges: [[1, 8, 1, 13]], message: /--cpu-freq, --cpus-per-gpu, --cpus-per-task/,
        fix: { index: 2, result: sh('#SBATCH --cpus-per-task=2') } },
    ],
    clean: [
      { title: 'the full name', text: sh('#SBATCH --time=10') },
      { title: 'a unique abbreviation (a note, not an error)', text: sh('#SBATCH --time-m=10') },
    ],
  },
  {
    code: 'SBATCH022',
    triggers: [
      { title: 'a long option at the very end', text: sh('#SBATCH --ntasks=1', '#SBATCH --time'), ranges: [[2, 8, 2, 14]],
        all: ['SBATCH022'], message: /--time requires a value \(<time>\)/ },
      { title: 'a short option at the end', text: sh('#SBATCH --ntasks=1 -t'), ranges: [[1, 19, 1, 21]] },
    ],
    clean: [
      { title: 'the value in the next word', text: sh('#SBATCH --time 10') },
      { title: 'the value on the next directive line', text: sh('#SBATCH --time', '#SBATCH 10') },
      { title: 'an optional value left out', text: sh('#SBATCH --exclusive') },
    ],
  },
  {
    code: 'SBATCH023',
    triggers: [
      { title: 'a value for --hold', text: sh('#SBATCH --hold=yes'), ranges: [[1, 8, 1, 18]], all: ['SBATCH023'],
        message: /--hold takes no value/, fix: { result: sh('#SBATCH --hold') } },
      { title: 'a quoted value', text: sh('#SBATCH --hold="yes" -n 1'), ranges: [[1, 8, 1, 20]], fix: { result: sh('#SBATCH --hold -n 1') } },
      { title: 'an empty quoted value', text: sh("#SBATCH --hold=''"), ranges: [[1, 8, 1, 17]], fix: { result: sh('#SBATCH --hold') } },
      { title: '--requeue=1 before 25.11', text: sh('#SBATCH --requeue=1 --time=5'), options: { slurmVersion: '22.05' },
        ranges: [[1, 8, 1, 19]], fix: { result: sh('#SBATCH --requeue --time=5') } },
    ],
    clean: [
      { title: 'the flag alone', text: sh('#SBATCH --hold') },
      { title: '--requeue=expedite in 25.11', text: sh('#SBATCH --requeue=expedite'), options: { slurmVersion: '25.11' } },
    ],
  },
  {
    code: 'SBATCH024',
    triggers: [
      { title: 'an option added after the targeted release', text: sh('#SBATCH --tres-bind=gres/gpu:closest'),
        options: { slurmVersion: '22.05' }, ranges: [[1, 8, 1, 19]], all: ['SBATCH024'],
        message: /^--tres-bind was added in Slurm 23\.11; sbatch 22\.05 rejects it/ },
      { title: 'an abbreviation of such an option', text: sh('#SBATCH --tres-bi=gres/gpu:closest'),
        options: { slurmVersion: '23.02' }, ranges: [[1, 8, 1, 17]], message: /^'--tres-bi' \(--tres-bind\) was added in Slurm 23\.11/ },
      { title: 'an option removed before the targeted release', text: sh('#SBATCH --power=level'),
        options: { slurmVersion: '24.05' }, ranges: [[1, 8, 1, 15]], message: /--power was removed in Slurm 24\.05/ },
      { title: 'a flag of a later release', text: sh('#SBATCH --stepmgr'), options: { slurmVersion: '23.11.4' }, ranges: [[1, 8, 1, 17]] },
    ],
    clean: [
      { title: 'the release that added it', text: sh('#SBATCH --tres-bind=gres/gpu:closest'), options: { slurmVersion: '23.11' } },
      { title: 'no release targeted', text: sh('#SBATCH --tres-bind=gres/gpu:closest') },
      { title: 'an option every release has', text: sh('#SBATCH --time=5'), options: { slurmVersion: '22.05' } },
    ],
  },
  {
    code: 'SBATCH025',
    triggers: [
      { title: '--mem with --mem-per-cpu', text: sh('#SBATCH --mem=1G', '#SBATCH --mem-per-cpu=256'), ranges: [[2, 8, 2, 25]],
        all: ['SBATCH025'], message: /refuses --mem \(line 2\) together with --mem-per-cpu/ },
      { title: 'on one line, reported at the later one', text: sh('#SBATCH --mem-per-gpu=100 --mem-per-cpu=100'), ranges: [[1, 26, 1, 43]] },
      { title: '--quiet with -v', text: sh('#SBATCH --quiet -v'), ranges: [[1, 16, 1, 18]] },
      { title: '--exclusive with --oversubscribe from 23.02', text: sh('#SBATCH --exclusive', '#SBATCH --oversubscribe'),
        options: { slurmVersion: '23.02' }, ranges: [[2, 8, 2, 23]] },
    ],
    clean: [
      { title: 'only --mem', text: sh('#SBATCH --mem=1G') },
      { title: 'different components of a heterogeneous job', text: sh('#SBATCH --mem=1G', '#SBATCH hetjob', '#SBATCH --mem-per-cpu=256') },
      { title: 'the second one is only a comment', text: sh('#SBATCH --mem=1G', '##SBATCH --mem-per-cpu=256') },
      // Refused only from 23.02 on; 22.05 (also the default) accepts it: sbatch-corpus/059.
      { title: '--exclusive with --oversubscribe in 22.05', text: sh('#SBATCH --exclusive', '#SBATCH --oversubscribe'), options: { slurmVersion: '22.05' } },
      { title: '--exclusive with --oversubscribe, no release given', text: sh('#SBATCH --exclusive', '#SBATCH --oversubscribe') },
      { title: '--cpus-per-task with --cpus-per-gpu before 23.11', text: sh('#SBATCH -c 2 --cpus-per-gpu=4'), options: { slurmVersion: '23.02' } },
    ],
  },
  // ---- values ----
  {
    code: 'SBATCH030',
    triggers: [
      { title: 'a word (the part after the number is marked)', text: sh('#SBATCH --time=1hour'), ranges: [[1, 16, 1, 20]], all: ['SBATCH030'],
        message: /`1hour` is not a time.*write `1:00:00`.*Invalid --time specification/ },
      { title: '-tfive is -t with the value "five"', text: sh('#SBATCH -tfive'), ranges: [[1, 10, 1, 14]], all: ['SBATCH030'] },
      { title: 'four fields', text: sh('#SBATCH -t 1:2:3:4'), ranges: [[1, 11, 1, 18]] },
      { title: 'empty', text: sh('#SBATCH --time='), ranges: [[1, 15, 1, 15]] },
      { title: '--time-min', text: sh('#SBATCH --time-min=abc'), ranges: [[1, 19, 1, 22]], message: /--time-min/ },
    ],
    clean: [
      { title: 'H:M:S', text: sh('#SBATCH --time=1:00:00') },
      { title: 'D-H', text: sh('#SBATCH --time=2-12') },
      { title: 'UNLIMITED', text: sh('#SBATCH --time=UNLIMITED') },
    ],
  },
  {
    code: 'SBATCH031',
    triggers: [
      { title: 'a decimal', text: sh('#SBATCH --mem=1.5G'), ranges: [[1, 15, 1, 18]], all: ['SBATCH031'], message: /decimals.*Invalid --mem specification/ },
      { title: 'an unknown unit', text: sh('#SBATCH --mem-per-cpu=10X'), ranges: [[1, 24, 1, 25]], message: /Invalid --mem-per-cpu/ },
      { title: '--tmp', text: sh('#SBATCH --tmp=1.5G'), ranges: [[1, 15, 1, 18]], message: /Invalid --tmp/ },
    ],
    clean: [
      { title: 'G', text: sh('#SBATCH --mem=16G') },
      { title: 'lower-case mb', text: sh('#SBATCH --mem=512mb') },
      { title: '0: all of the node', text: sh('#SBATCH --mem=0') },
    ],
  },
  {
    code: 'SBATCH032',
    triggers: [
      { title: 'a word', text: sh('#SBATCH --ntasks=abc'), ranges: [[1, 17, 1, 20]], all: ['SBATCH032'], message: /--ntasks/ },
      { title: 'zero CPUs per task', text: sh('#SBATCH -c 0'), ranges: [[1, 11, 1, 12]] },
      { title: 'a decimal', text: sh('#SBATCH --ntasks=2.5'), ranges: [[1, 17, 1, 20]] },
    ],
    clean: [
      { title: 'a count', text: sh('#SBATCH --ntasks=4 -c 2') },
      { title: 'a count and threads passed on', text: sh('#SBATCH --ntasks-per-node=8') },
    ],
  },
  {
    code: 'SBATCH033',
    triggers: [
      { title: 'max below min', text: sh('#SBATCH --nodes=4-2'), ranges: [[1, 16, 1, 19]], all: ['SBATCH033'], message: /Maximum node count 2 is less than minimum node count 4|2.*less than.*4/ },
      { title: 'a word', text: sh('#SBATCH -N abc'), ranges: [[1, 11, 1, 14]] },
    ],
    clean: [
      { title: 'a range', text: sh('#SBATCH --nodes=2-4') },
      { title: 'a count', text: sh('#SBATCH -N 2') },
    ],
  },
  {
    code: 'SBATCH034',
    triggers: [
      { title: 'seconds out of range', text: sh('#SBATCH --signal=USR1@70000'), ranges: [[1, 22, 1, 27]], all: ['SBATCH034'], message: /0 to 65535/ },
      { title: 'an unknown signal', text: sh('#SBATCH --signal=NOTASIG'), ranges: [[1, 17, 1, 24]] },
    ],
    clean: [
      { title: 'B:USR1@60', text: sh('#SBATCH --signal=B:USR1@60') },
      { title: 'SIGUSR1', text: sh('#SBATCH --signal=SIGUSR1') },
    ],
  },
  {
    code: 'SBATCH035',
    triggers: [
      { title: 'an unknown type', text: sh('#SBATCH --mail-type=SOMETIMES'), ranges: [[1, 20, 1, 29]], all: ['SBATCH035'] },
      { title: 'empty', text: sh('#SBATCH --mail-type='), ranges: [[1, 20, 1, 20]] },
    ],
    clean: [
      { title: 'a list, any case', text: sh('#SBATCH --mail-type=begin,END,Fail') },
      { title: 'TIME_LIMIT_80', text: sh('#SBATCH --mail-type=TIME_LIMIT_80') },
    ],
  },
  {
    code: 'SBATCH036',
    triggers: [
      { title: 'a reversed range', text: sh('#SBATCH --array=5-1'), ranges: [[1, 16, 1, 19]], all: ['SBATCH036'] },
      { title: 'a word', text: sh('#SBATCH -a a-b'), ranges: [[1, 11, 1, 14]] },
    ],
    clean: [
      { title: 'full syntax', text: sh('#SBATCH --array=0,6,16-32:2%4') },
      { title: 'a range', text: sh('#SBATCH --array=1-5') },
    ],
  },
  {
    code: 'SBATCH037',
    triggers: [
      { title: 'an unknown type', text: sh('#SBATCH --dependency=whenever:1'), ranges: [[1, 21, 1, 29]], all: ['SBATCH037'] },
      { title: 'no job id', text: sh('#SBATCH -d afterok'), ranges: [[1, 11, 1, 18]] },
    ],
    clean: [
      { title: 'afterok with ids', text: sh('#SBATCH --dependency=afterok:123:456') },
      { title: 'singleton', text: sh('#SBATCH --dependency=singleton') },
    ],
  },
  {
    code: 'SBATCH038',
    triggers: [
      { title: 'no name', text: sh('#SBATCH --gres=:1'), ranges: [[1, 15, 1, 17]], all: ['SBATCH038'] },
      { title: 'too many fields', text: sh('#SBATCH --gres=gpu:1:2:3'), ranges: [[1, 15, 1, 24]] },
    ],
    clean: [
      { title: 'gpu:2', text: sh('#SBATCH --gres=gpu:2') },
      { title: 'a type and a count', text: sh('#SBATCH --gres=gpu:a100:2') },
    ],
  },
  {
    code: 'SBATCH039',
    triggers: [{ title: 'not user/mcs/topo', text: sh('#SBATCH --exclusive=sometimes'), ranges: [[1, 20, 1, 29]], all: ['SBATCH039'] }],
    clean: [
      { title: '=user', text: sh('#SBATCH --exclusive=user') },
      { title: 'no value', text: sh('#SBATCH --exclusive') },
    ],
  },
  {
    code: 'SBATCH040',
    triggers: [
      { title: '--open-mode', text: sh('#SBATCH --open-mode=overwrite'), ranges: [[1, 20, 1, 29]], all: ['SBATCH040'] },
      { title: '--kill-on-invalid-dep', text: sh('#SBATCH --kill-on-invalid-dep=maybe'), ranges: [[1, 30, 1, 35]] },
    ],
    clean: [
      { title: 'append', text: sh('#SBATCH --open-mode=append') },
      { title: 'yes', text: sh('#SBATCH --kill-on-invalid-dep=yes') },
    ],
  },
  // ---- silent traps ----
  {
    code: 'SBATCH100',
    triggers: [
      { title: 'after the first command', text: sh('#SBATCH --time=5', 'echo hi', '#SBATCH --mem=1G'), ranges: [[3, 0, 3, 16]],
        all: ['SBATCH100'], message: /first command \(line 3\)/,
        fix: { result: sh('#SBATCH --time=5', '#SBATCH --mem=1G', 'echo hi') } },
      { title: 'after set -euo pipefail, two of them', text: sh('set -euo pipefail', '#SBATCH --mem=1G', '#SBATCH -n 4', 'python x.py'),
        ranges: [[2, 0, 2, 16], [3, 0, 3, 12]],
        fix: { index: 1, title: /Move all 2/, result: sh('#SBATCH --mem=1G', '#SBATCH -n 4', 'set -euo pipefail', 'python x.py') } },
      { title: 'the last line, without a final newline', text: '#!/bin/bash\necho hi\n#SBATCH --mem=1G', ranges: [[2, 0, 2, 16]],
        fix: { result: '#!/bin/bash\n#SBATCH --mem=1G\necho hi\n' } },
      { title: 'a lower-case one after a command', text: sh('module load x', '#sbatch --mem=1G'), ranges: [[2, 0, 2, 16]],
        fix: { result: sh('#SBATCH --mem=1G', 'module load x') } },
    ],
    clean: [
      { title: 'before the first command, after comments and blank lines', text: sh('# resources', '', '#SBATCH --mem=1G', 'echo hi') },
      { title: 'switched off with ##', text: sh('echo hi', '##SBATCH --mem=1G') },
    ],
  },
  {
    code: 'SBATCH101',
    triggers: [
      { title: '# SBATCH', text: sh('# SBATCH --time=5', 'echo hi'), ranges: [[1, 0, 1, 17]], all: ['SBATCH101'],
        message: /"# SBATCH" as a comment/, fix: { result: sh('#SBATCH --time=5', 'echo hi') } },
      { title: 'indented', text: sh('  #SBATCH --mem=1G'), ranges: [[1, 2, 1, 18]], message: /indented/,
        fix: { result: sh('#SBATCH --mem=1G') } },
      { title: 'lower case', text: sh('#sbatch --qos=low'), ranges: [[1, 0, 1, 17]], message: /capitals/,
        fix: { result: sh('#SBATCH --qos=low') } },
      { title: '#Slurm with a tab', text: sh('#\tSlurm -n 2'), ranges: [[1, 0, 1, 12]], fix: { result: sh('#SBATCH -n 2') } },
    ],
    clean: [
      { title: '## switches it off on purpose', text: sh('##SBATCH --time=5') },
      { title: 'prose that mentions Slurm', text: sh('# Slurm settings below', '# sbatch job.sh to submit') },
      { title: 'the real thing', text: sh('#SBATCH --time=5') },
    ],
  },
  {
    code: 'SBATCH102',
    triggers: [
      { title: '#SLURM', text: sh('#SLURM --time=10', 'echo hi'), ranges: [[1, 0, 1, 6]], all: ['SBATCH102'],
        message: /Change from #SLURM/, fix: { result: sh('#SBATCH --time=10', 'echo hi') } },
    ],
    clean: [
      { title: '#SBATCH', text: sh('#SBATCH --time=10', 'echo hi') },
      { title: '#SLURM after a command is only ignored', text: sh('echo hi', '#SLURMX') },
    ],
  },
  {
    code: 'SBATCH103',
    triggers: [
      { title: '--time twice', text: sh('#SBATCH --time=5', '#SBATCH --time=10', 'echo hi'), ranges: [[1, 8, 1, 16]], all: ['SBATCH103'],
        message: /--time is given again on line 3 \(10\); sbatch uses the last one, so "5" here is ignored/,
        fix: { result: sh('#SBATCH --time=10', 'echo hi') } },
      { title: 'long and short spelling on one line', text: sh('#SBATCH -n 2 --ntasks=4'), ranges: [[1, 8, 1, 12]],
        fix: { result: sh('#SBATCH  --ntasks=4') } },
      { title: 'three times: all but the last', text: sh('#SBATCH -t 1', '#SBATCH -t 2', '#SBATCH -t 3'), ranges: [[1, 8, 1, 12], [2, 8, 2, 12]],
        fix: { result: sh('#SBATCH -t 2', '#SBATCH -t 3') }, fixClearsCode: false },
      { title: 'the value on the next directive line goes too', text: sh('#SBATCH --time', '#SBATCH 10', '#SBATCH --time=5'),
        ranges: [[1, 8, 1, 14]], message: /so "10" here is ignored/, fix: { result: sh('#SBATCH --time=5') } },
      { title: 'a quoted value on the next line, with another word after it', text: sh('#SBATCH -J', '#SBATCH "a b" -J c'),
        ranges: [[1, 8, 1, 10]], fix: { result: sh('#SBATCH  -J c') } },
      { title: '--mail-type twice: merged', text: sh('#SBATCH --mail-type=BEGIN', '#SBATCH --mail-type=end # at the end'),
        ranges: [[1, 8, 1, 25]], message: /Slurm up to 24\.11 combines them; 25\.05 and later keep only the last one \(line 3\)/,
        severity: 'information', fix: { result: sh('#SBATCH --mail-type=BEGIN,END') } },
      { title: '--mail-type with its value on the next line: merged', text: sh('#SBATCH --mail-type', '#SBATCH FAIL', '#SBATCH --mail-type=END'),
        ranges: [[1, 8, 1, 19]], severity: 'information', fix: { result: sh('#SBATCH --mail-type=FAIL,END') } },
      { title: '--mail-type twice with 25.05', text: sh('#SBATCH --mail-type=BEGIN', '#SBATCH --mail-type=END'), options: { slurmVersion: '25.05' },
        ranges: [[1, 8, 1, 25]], message: /Slurm 25\.05 keeps only the last one/ },
    ],
    clean: [
      { title: 'once', text: sh('#SBATCH --time=5') },
      { title: 'the same value twice changes nothing', text: sh('#SBATCH --time=5', '#SBATCH -t 5') },
      { title: 'a flag twice', text: sh('#SBATCH --hold', '#SBATCH -H') },
      { title: 'once per heterogeneous component', text: sh('#SBATCH --time=5', '#SBATCH hetjob', '#SBATCH --time=10') },
      { title: 'the second is after the first command', text: sh('#SBATCH --time=5', 'echo hi', '#SBATCH --time=10') },
    ],
  },
  {
    code: 'SBATCH104',
    triggers: [{ title: '% with nothing after it', text: sh('#SBATCH --array=1-5%'), ranges: [[1, 19, 1, 20]], all: ['SBATCH104'] }],
    clean: [{ title: 'a limit', text: sh('#SBATCH --array=1-5%2') }],
  },
  {
    code: 'SBATCH105',
    triggers: [
      { title: 'seconds of 70', text: sh('#SBATCH --time=10:70'), ranges: [[1, 18, 1, 20]], all: ['SBATCH105'] },
      { title: 'minutes of 90', text: sh('#SBATCH --time=1:90:00'), ranges: [[1, 17, 1, 19]] },
    ],
    clean: [{ title: 'in range', text: sh('#SBATCH --time=11:10 --time-min=1:59:59') }],
  },
  {
    code: 'SBATCH106',
    triggers: [
      { title: '<proj> in --account', text: sh('#SBATCH --account=<proj>'), ranges: [[1, 18, 1, 24]], all: ['SBATCH106'],
        message: /"<proj>" looks like a placeholder.*reject the job for an unknown account/ },
      { title: 'inside a longer value', text: sh('#SBATCH --job-name=<proj>_pi'), ranges: [[1, 19, 1, 25]] },
      { title: 'YOUR_ and CHANGEME', text: sh('#SBATCH --mail-user=YOUR_EMAIL --comment=CHANGEME'), ranges: [[1, 20, 1, 30], [1, 41, 1, 49]] },
    ],
    clean: [
      { title: 'a real account', text: sh('#SBATCH --account=proj123') },
      { title: 'a placeholder in a comment', text: sh('#SBATCH --account=proj123 # was <proj>') },
      { title: 'an output pattern', text: sh('#SBATCH --output=%x_%j.out') },
    ],
  },
  {
    code: 'SBATCH107',
    triggers: [
      { title: 'a relative folder: relative to where sbatch runs, so only information', text: sh('#SBATCH --output=logs/%j.out'), options: inTmp,
        ranges: [[1, 17, 1, 21]], all: ['SBATCH107'], severity: 'information', message: /Folder "logs" is relative to the folder you submit from.*make sure it exists where you submit/ },
      { title: 'an absolute folder for --error', text: sh('#SBATCH -e /scratch/me/err/%j.err'), options: { directoryExists: (p) => p === '/scratch' },
        ranges: [[1, 11, 1, 26]], message: /Folder "\/scratch\/me\/err" does not exist\./ },
      { title: 'relative to an absolute --chdir', text: sh('#SBATCH --chdir=/data', '#SBATCH -o out/x.log'),
        options: { filePath: '/work/jobs/a.sh', directoryExists: (p) => p !== '/data/out' }, ranges: [[2, 11, 2, 14]], message: /relative to \/data, the --chdir/ },
    ],
    clean: [
      { title: 'the folder exists', text: sh('#SBATCH --output=logs/%j.out'), options: { ...inTmp, directoryExists: () => true } },
      { title: 'a folder named after the job', text: sh('#SBATCH --output=%x/%j.out'), options: inTmp },
      { title: 'a shell variable (sbatch does not expand it)', text: sh('#SBATCH --output=$HOME/logs/%j.out'), options: inTmp },
      { title: 'no folder', text: sh('#SBATCH --output=job_%j.out'), options: inTmp },
      { title: 'no way to check folders', text: sh('#SBATCH --output=logs/%j.out'), options: { filePath: '/work/jobs/run.slurm' } },
      { title: 'an absolute folder not on this machine (/fsx)', text: sh('#SBATCH --output=/fsx/runs/logs/%j.out'), options: inTmp },
      { title: 'another user\'s home', text: sh('#SBATCH --output=/home/someoneelse/logs/%j.out'), options: { ...inTmp, directoryExists: (p) => p === '/home' } },
    ],
  },
  {
    code: 'SBATCH108',
    triggers: [
      { title: 'mpirun -n 8 with --ntasks=2', text: sh('#SBATCH --ntasks=2', 'mpirun -n 8 ./a.out'), ranges: [[2, 10, 2, 11]], all: ['SBATCH108'],
        message: /mpirun asks for 8 tasks but the job has 2 \(--ntasks=2\)/,
        fix: { result: sh('#SBATCH --ntasks=2', 'mpirun -n $SLURM_NTASKS ./a.out') } },
      { title: 'srun -n4 with no --ntasks', text: sh('#SBATCH --time=5', 'srun -n4 hostname'), ranges: [[2, 7, 2, 8]],
        message: /srun asks for 4 tasks but the job has 1 \(no --ntasks.*More processors requested than permitted/ },
      { title: 'attached count; the fix keeps the program\'s own -n', text: sh('#SBATCH --ntasks=2', 'srun -n4 ./prog -n 64'), ranges: [[2, 7, 2, 8]],
        fix: { result: sh('#SBATCH --ntasks=2', 'srun -n$SLURM_NTASKS ./prog -n 64') } },
      { title: 'after a command in the same line', text: sh('#SBATCH -n 4', 'cd work && mpiexec --np=16 ./a'), ranges: [[2, 24, 2, 26]] },
    ],
    clean: [
      { title: 'equal to --ntasks', text: sh('#SBATCH --ntasks=8', 'mpirun -n 8 ./a.out') },
      { title: '$SLURM_NTASKS', text: sh('#SBATCH --ntasks=2', 'mpirun -n $SLURM_NTASKS ./a.out') },
      { title: 'the program\'s own -n', text: sh('#SBATCH --ntasks=2', 'srun ./prog -n 64') },
      { title: 'in a comment', text: sh('#SBATCH --ntasks=2', 'echo hi # mpirun -n 64 ./a.out') },
      { title: 'the program\'s own -n after an attached -n$SLURM_NTASKS (what the fix writes)', text: sh('#SBATCH --ntasks=2', 'srun -n$SLURM_NTASKS ./prog -n 64') },
      { title: '--ntasks-per-node × --nodes', text: sh('#SBATCH -N 2 --ntasks-per-node=4', 'mpirun -np 8 ./a.out') },
      { title: 'only --nodes: whole nodes, as many sites hand out', text: sh('#SBATCH --nodes=2', 'srun -n64 ./a.out') },
      { title: '--exclusive', text: sh('#SBATCH --ntasks=2 --exclusive', 'mpirun -n 64 ./a.out') },
      { title: 'in a heredoc the job writes', text: sh('#SBATCH --ntasks=2', 'cat > next.sh <<EOF', 'mpirun -n 64 ./a.out', 'EOF') },
    ],
  },
  {
    code: 'SBATCH109',
    triggers: [
      { title: 'cpus-per-task=4, nothing passes it on', text: sh('#SBATCH --cpus-per-task=4', 'python train.py'), ranges: [[1, 24, 1, 25]],
        all: ['SBATCH109'], message: /--cpus-per-task=4 reserves 4 CPUs per task/,
        fix: { result: sh('#SBATCH --cpus-per-task=4', 'export OMP_NUM_THREADS=$SLURM_CPUS_PER_TASK', 'python train.py') } },
      { title: 'with srun', text: sh('#SBATCH -c 8', 'srun ./app'), ranges: [[1, 11, 1, 12]], all: ['SBATCH109', 'SBATCH114'],
        message: /OMP_NUM_THREADS/ },
    ],
    clean: [
      { title: 'OMP_NUM_THREADS set', text: sh('#SBATCH --cpus-per-task=4', 'export OMP_NUM_THREADS=$SLURM_CPUS_PER_TASK', 'python train.py') },
      { title: 'one CPU per task', text: sh('#SBATCH --cpus-per-task=1', 'python train.py') },
      { title: 'SLURM_CPUS_PER_TASK read by the program', text: sh('#SBATCH -c 4', 'python train.py --workers "$SLURM_CPUS_PER_TASK"') },
      { title: 'no command at all', text: sh('#SBATCH --cpus-per-task=4') },
      { title: 'torchrun manages its workers\' threads', text: sh('#SBATCH --cpus-per-task=8', 'torchrun --nproc_per_node=4 train.py') },
      { title: 'the count passed literally', text: sh('#SBATCH --cpus-per-task=8', 'bwa mem -t 8 ref.fa reads.fq > out.sam') },
    ],
  },
  {
    code: 'SBATCH110',
    triggers: [
      { title: 'an abbreviation', text: sh('#SBATCH --job-n=abbrev'), ranges: [[1, 8, 1, 15]], all: ['SBATCH110'],
        message: /'--job-n' is read as --job-name/, fix: { result: sh('#SBATCH --job-name=abbrev') } },
      { title: 'several on one line', text: sh('#SBATCH --ntasks-per-n=2 --cpus-per-t=1'), ranges: [[1, 8, 1, 22], [1, 25, 1, 37]],
        fix: { result: sh('#SBATCH --ntasks-per-node=2 --cpus-per-t=1') }, fixClearsCode: false },
    ],
    clean: [
      { title: 'the full name', text: sh('#SBATCH --job-name=abbrev') },
      { title: 'a short option', text: sh('#SBATCH -J abbrev') },
    ],
  },
  {
    code: 'SBATCH111',
    triggers: [
      { title: 'packjob', text: sh('#SBATCH -n 1', '#SBATCH packjob', '#SBATCH -n 2'), ranges: [[2, 0, 2, 15]], all: ['SBATCH111'], message: /hetjob/ },
      { title: 'a deprecated option', text: sh('#SBATCH --uid=alice'), ranges: [[1, 8, 1, 13]], message: /--uid is deprecated/ },
    ],
    clean: [
      { title: 'hetjob', text: sh('#SBATCH -n 1', '#SBATCH hetjob', '#SBATCH -n 2') },
      { title: 'an option that is not deprecated', text: sh('#SBATCH --account=proj') },
    ],
  },
  {
    code: 'SBATCH112',
    triggers: [
      { title: 'an empty quoted word ends the line', text: sh('#SBATCH --time=5 "" --mem=1G'), ranges: [[1, 17, 1, 28]], all: ['SBATCH112'],
        message: /empty quoted word/ },
    ],
    clean: [
      { title: 'an empty word at the end of the line loses nothing', text: sh('#SBATCH --time=5 ""') },
      { title: 'an empty value after =', text: sh('#SBATCH --comment= --time=5') },
    ],
  },
];

// ---- running the table ----------------------------------------------------------------------

function ofCode(text: string, code: DiagnosticCode, options?: LintOptions): LintDiagnostic[] {
  return lintText(text, options).filter((d) => d.code === code);
}

function show(ds: readonly LintDiagnostic[]): string {
  return ds.map((d) => `  ${d.code} ${JSON.stringify(rangeOf(d))} ${d.message}`).join('\n') || '  (none)';
}

/** Issue 13's codes have their own files: templateRules, spellingRules, jobShapeRules, pbsAndHetjobRules .test.ts; SBATCH005: scriptSize.test.ts. */
const COVERED_ELSEWHERE = new Set<DiagnosticCode>(['SBATCH005', 'SBATCH113', 'SBATCH114', 'SBATCH115', 'SBATCH116', 'SBATCH117', 'SBATCH118', 'SBATCH119',
  'SBATCH120', 'SBATCH121', 'SBATCH122', 'SBATCH123', 'SBATCH124', 'SBATCH125', 'SBATCH126']);

describe('rules: every code, triggered and not', () => {
  test('the table covers every code except the cluster (2xx) ones', () => {
    const covered = new Set(CASES.filter((c) => c.triggers.length > 0 && c.clean.length > 0).map((c) => c.code));
    const wanted = (Object.keys(CODES) as DiagnosticCode[]).filter((c) => !c.startsWith('SBATCH2') && !COVERED_ELSEWHERE.has(c));
    assert.deepEqual(wanted.filter((c) => !covered.has(c)), []);
  });

  for (const c of CASES) {
    describe(`${c.code} ${CODES[c.code].name}`, () => {
      test('severity', () => assert.equal(CODES[c.code].severity, designedSeverity(c.code)));

      for (const t of c.triggers) {
        test(`reports: ${t.title}`, () => {
          const all = lintText(t.text, t.options);
          const found = all.filter((d) => d.code === c.code);
          assert.deepEqual(found.map(rangeOf), t.ranges, `ranges of ${c.code}; everything reported:\n${show(all)}`);
          for (const d of found) assert.equal(d.severity, t.severity ?? designedSeverity(c.code));
          if (t.message) assert.match(found[0]!.message, t.message);
          if (t.all) assert.deepEqual([...new Set(all.map((d) => d.code))].sort(), [...t.all].sort(), `everything reported:\n${show(all)}`);
        });

        if (t.fix) {
          const fixSpec = t.fix;
          test(`fix: ${t.title}`, () => {
            const [d] = ofCode(t.text, c.code, t.options);
            assert.ok(d?.fixes?.length, `${c.code} has no fixes`);
            const index = fixSpec.index ?? Math.max(0, d.fixes.findIndex((f) => f.preferred));
            const fix = d.fixes[index]!;
            if (fixSpec.title) assert.match(fix.title, fixSpec.title);
            const fixed = applyEdits(t.text, fix.edits);
            assert.equal(fixed, fixSpec.result);
            if (t.fixClearsCode !== false) {
              assert.deepEqual(show(ofCode(fixed, c.code, t.options)), show([]), `${c.code} still reported after "${fix.title}"`);
            } else {
              assert.ok(ofCode(fixed, c.code, t.options).length < t.ranges.length, `fewer ${c.code} after "${fix.title}"`);
            }
          });
        }
      }

      for (const k of c.clean) {
        test(`silent: ${k.title}`, () => {
          const all = lintText(k.text, k.options);
          assert.deepEqual(show(all.filter((d) => d.code === c.code)), show([]), `everything reported:\n${show(all)}`);
        });
      }
    });
  }
});

describe('rules: every fix the table shows leaves no overlapping edits', () => {
  test('all fixes of all trigger scripts apply', () => {
    for (const c of CASES) {
      for (const t of c.triggers) {
        for (const d of lintText(t.text, t.options)) {
          for (const f of d.fixes ?? []) assert.doesNotThrow(() => applyEdits(t.text, f.edits), `${c.code} ${t.title}: ${f.title}`);
        }
      }
    }
  });
});

describe('"\\ " in a directive, by release', () => {
  const text = sh('#SBATCH --job-name=my\\ --time=5');
  const read = (slurmVersion?: string) => analyzeScript(text, slurmVersion ? { slurmVersion } : {}).reading.uses
    .map((u) => [u.option?.name, u.value, u.valueSpan && [u.valueSpan.columns[0], u.valueSpan.columns[u.valueSpan.columns.length - 1]]]);
  test('22.05 (and no release): the word ends at the escaped space', () => {
    assert.deepEqual(read(), [['job-name', 'my', [19, 22]], ['time', '5', [30, 31]]]);
    assert.deepEqual(read('23.11'), read());
  });
  test('24.05 on: the space belongs to the value', () => {
    assert.deepEqual(read('24.05'), [['job-name', 'my --time=5', [19, 31]]]);
  });
});

// ---- fixture scripts: everything reported, exactly ------------------------------------------

interface Expected { readonly code: DiagnosticCode; readonly range: R; readonly message?: RegExp; readonly severity?: Severity }

function assertReports(ds: readonly LintDiagnostic[], expected: readonly Expected[]): void {
  assert.deepEqual(ds.map((d) => [d.code, rangeOf(d)]), expected.map((e) => [e.code, e.range]), `reported:\n${show(ds)}`);
  expected.forEach((e, i) => {
    assert.equal(ds[i]!.severity, e.severity ?? designedSeverity(e.code));
    if (e.message) assert.match(ds[i]!.message, e.message);
  });
}

describe('seed page scripts (job_distributed.slurm, job_MPI.slurm)', () => {
  for (const name of ['seed-job_distributed.slurm', 'seed-job_MPI.slurm']) {
    describe(name, () => {
      const text = fixture(name);

      test('reports the <proj> placeholder and the repeated --mail-type, nothing else', () => {
        assertReports(lintText(text), [
          { code: 'SBATCH106', range: [1, 12, 1, 18], message: /"<proj>" looks like a placeholder.*unknown account/ },
          { code: 'SBATCH103', range: [8, 8, 8, 25], message: /--mail-type is given 2 times.*Write one: --mail-type=BEGIN,END\./, severity: 'information' },
        ]);
      });

      test('for Slurm 22.05: the two --mail-type lines are combined today, not from 25.05', () => {
        const [, mail] = lintText(text, { slurmVersion: '22.05' });
        assert.match(mail!.message, /Slurm 22\.05 combines them, but from 25\.05 on only the last one \(line 10\) counts/);
      });

      test('the merge fix leaves one --mail-type line and keeps its comment', () => {
        const mail = lintText(text).find((d) => d.code === 'SBATCH103')!;
        const fixed = applyEdits(text, mail.fixes![0]!.edits);
        const lines = text.split('\n');
        const expected = [...lines.slice(0, 8), '#SBATCH --mail-type=BEGIN,END        # send email when job begins', ...lines.slice(10)].join('\n');
        assert.equal(fixed, expected);
        assertReports(lintText(fixed), [{ code: 'SBATCH106', range: [1, 12, 1, 18] }]);
      });

      test('with a real account, only the --mail-type warning remains', () => {
        const ds = lintText(text.replace('j<proj>', 'j2023001'));
        assert.deepEqual(ds.map((d) => d.code), ['SBATCH103']);
      });
    });
  }

  test('job_MPI: mpirun -n 20 matches --ntasks=20 (no SBATCH108)', () => {
    assert.ok(fixture('seed-job_MPI.slurm').includes('mpirun -n 20'));
    assert.ok(!lintText(fixture('seed-job_MPI.slurm')).some((d) => d.code === 'SBATCH108'));
  });
});

describe('fixture: ignored-directives.slurm', () => {
  const text = fixture('ignored-directives.slurm');
  const ds = lintText(text);

  test('three lookalikes and two directives after the first command', () => {
    assertReports(ds, [
      { code: 'SBATCH101', range: [2, 0, 2, 18], message: /"# SBATCH"/ },
      { code: 'SBATCH101', range: [3, 2, 3, 18], message: /indented/ },
      { code: 'SBATCH101', range: [4, 0, 4, 17], message: /capitals/ },
      { code: 'SBATCH100', range: [9, 0, 9, 25], message: /line 9/ },
      { code: 'SBATCH100', range: [10, 0, 10, 28], message: /line 9/ },
    ]);
  });

  test('"move all" puts both late directives above the first command, in order', () => {
    const late = ds.find((d) => d.code === 'SBATCH100')!;
    assert.deepEqual(late.fixes!.map((f) => [f.title, f.preferred]), [['Move above the first command', true], ['Move all 2 ignored directives above the first command', false]]);
    const fixed = applyEdits(text, late.fixes![1]!.edits);
    const lines = fixed.split('\n');
    assert.deepEqual(lines.slice(7, 12), ['#SBATCH --ntasks=4', '#SBATCH --cpus-per-task=2', '#SBATCH --output=logs/%j.out', 'set -euo pipefail', 'echo "running"']);
    // --cpus-per-task=2 is read now, so SBATCH109 asks for OMP_NUM_THREADS.
    assert.deepEqual(lintText(fixed).map((d) => d.code), ['SBATCH101', 'SBATCH101', 'SBATCH101', 'SBATCH109']);
  });

  test('fixing every lookalike, then moving: nothing left', () => {
    let fixed = text;
    for (let round = 0; round < 10; round++) {
      const d = lintText(fixed).find((x) => x.fixes?.length);
      if (!d) break;
      fixed = applyEdits(fixed, (d.fixes!.find((f) => f.preferred) ?? d.fixes![0]!).edits);
    }
    assert.deepEqual(lintText(fixed), []);
    assert.match(fixed, /^#SBATCH --time=10$/m);
    assert.match(fixed, /^export OMP_NUM_THREADS=\$SLURM_CPUS_PER_TASK\nset -euo pipefail$/m);
  });
});

describe('fixture: hetjob.slurm', () => {
  const text = fixture('hetjob.slurm');
  test('packjob is deprecated; a repeat inside one component is reported, across components not', () => {
    assertReports(lintText(text), [
      { code: 'SBATCH111', range: [5, 0, 5, 15], message: /packjob/ },
      { code: 'SBATCH103', range: [6, 8, 6, 18], message: /--ntasks is given again on line 8 \(3\)/ },
    ]);
  });
});

describe('fixture: threads-and-ranks.slurm', () => {
  const text = fixture('threads-and-ranks.slurm');
  const ds = lintText(text);
  test('mpirun asks for more ranks than --nodes × --ntasks-per-node; threads not passed on, not to srun either', () => {
    assertReports(ds, [
      { code: 'SBATCH109', range: [4, 24, 4, 25], message: /--cpus-per-task=8 reserves 8 CPUs per task/ },
      { code: 'SBATCH108', range: [9, 11, 9, 13], message: /mpirun asks for 16 tasks but the job has 8 \(--ntasks-per-node=4 × 2 node\(s\)\)/ },
      // No release given: srun's 22.05-23.02 behaviour is only information.
      { code: 'SBATCH114', range: [10, 0, 10, 4], message: /srun does not inherit --cpus-per-task=8/, severity: 'information' },
    ]);
  });
  test('both fixes together give a clean script', () => {
    const edits = ds.flatMap((d) => d.fixes!.find((f) => f.preferred)!.edits);
    const fixed = applyEdits(text, edits);
    assert.match(fixed, /^export OMP_NUM_THREADS=\$SLURM_CPUS_PER_TASK\nexport SRUN_CPUS_PER_TASK=\$SLURM_CPUS_PER_TASK\nmodule load openmpi$/m);
    assert.match(fixed, /^mpirun -np \$SLURM_NTASKS \.\/hybrid_app input\.dat$/m);
    assert.deepEqual(lintText(fixed), []);
  });
});

describe('large and repetitive scripts stay linear', () => {
  // Found by these tests and the fuzz test: the "merge" and "move all" fixes used to be rebuilt
  // for every one of n diagnostics, so n repeats cost n² time and memory.
  test('5,000 repeated --mail-type lines and 5,000 late directives', { timeout: 60_000 }, () => {
    const n = 5000;
    const mail = sh(...Array.from({ length: n }, (_, i) => `#SBATCH --mail-type=${i % 2 ? 'END' : 'BEGIN'}`), 'echo hi');
    const ds = lintText(mail).filter((d) => d.code === 'SBATCH103');
    assert.equal(ds.length, n - 1);
    const late = sh('echo hi', ...Array.from({ length: n }, (_, i) => `#SBATCH --comment=c${i}`));
    assert.equal(lintText(late).filter((d) => d.code === 'SBATCH100').length, n);
  });

  test('20,000 repeats of one option on a single line', { timeout: 60_000 }, () => {
    // Each repeat's "remove" fix used to slice and scan the rest of the line: n² on one line.
    const n = 20_000;
    // Values alternate: a repeat of the same value is not reported.
    const words = Array.from({ length: n }, (_, i) => ` -n ${i % 2 + 1}`);
    const text = sh(`#SBATCH${words.join('')}`, 'echo hi');
    const ds = lintText(text).filter((d) => d.code === 'SBATCH103');
    assert.equal(ds.length, n - 1);
    assert.equal(applyEdits(text, ds[0]!.fixes![0]!.edits), sh(`#SBATCH ${words.slice(1).join('')}`, 'echo hi'));
  });

  test('an unknown option with a 100,000-character name', { timeout: 60_000 }, () => {
    // Did-you-mean ran an edit distance against every option with the whole name.
    const [d] = lintText(sh(`#SBATCH --${'x'.repeat(100_000)}=1`));
    assert.equal(d!.code, 'SBATCH020');
    assert.deepEqual(d!.fixes, []);
  });
});
