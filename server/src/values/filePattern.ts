/**
 * --output, --error, --input: the name is expanded on the node by fname_create() /
 * _create_batch_fname() in src/slurmd/common/fname.c (22.05).
 *
 * - `%%` is a `%`. `%` + optional width digits (zero-padding, at most 10) + one of
 *   a A j J n N s t u x is replaced; any other letter is left as written (width digits are
 *   mangled). 24.11 adds %b (array task ID modulo 10), 25.11 %r (restart count) and %S.
 * - A backslash anywhere turns expansion off for the whole name (remove_path_slashes()).
 * - A name that is only a number N (fname_single_task_io()) means "task N's output only";
 *   the batch script is task 0, so anything but 0 sends it to /dev/null.
 * - A relative name is relative to the job's working directory. Slurm does not create
 *   missing folders.
 */
import type { ValueChecker, ValueContext, ValueIssue } from './valueCheck';
import { flag, listJoin, quote, releaseAtLeast } from './wording';

export interface FilePattern {
  /** Pattern letters used, in order of first use, e.g. ['x', 'j']. */
  readonly specifiers: readonly string[];
  /** A backslash turned % expansion off. */
  readonly literal: boolean;
  /** The folder part as written, when it has no % pattern; absent for a bare file name. */
  readonly directory?: string;
}

const WORDS: Record<string, string> = {
  j: 'job ID',
  J: 'job ID',
  x: 'job name',
  A: 'array job ID',
  a: 'array task index',
  N: 'node name',
  u: 'user name',
  n: 'node index (0 for the batch script)',
  t: 'task ID (0 for the batch script)',
  s: 'step name ("batch")',
  b: 'array task index modulo 10',
  r: 'restart count',
  S: 'SLUID',
};

const SINCE: Record<string, string> = { b: '24.11', r: '25.11', S: '25.11' };

function known(letter: string, context?: ValueContext): boolean {
  const since = SINCE[letter];
  return letter in WORDS && (!since || releaseAtLeast(context, since));
}

export const checkFilePattern: ValueChecker<FilePattern> = (value, optionName, context) => {
  const opt = flag(optionName);
  const issues: ValueIssue[] = [];
  if (value === '/dev/null') {
    return { issues, meaning: optionName.includes('input') ? 'no input (/dev/null)' : 'discarded (/dev/null)', parsed: { specifiers: [], literal: true, directory: '/dev' } };
  }
  if (/^\+?\d+$/.test(value) && Number(value) !== 0) {
    issues.push({
      code: 'SBATCH112',
      message: `A bare number means "only task ${Number(value)}'s ${opt.slice(2)}": the batch script is task 0, so Slurm connects it to /dev/null instead of a file named ${quote(value)}. Add an extension (e.g. ${quote(`${value}.out`)}) for a file.`,
    });
  }
  if (issues.length > 0) {
    return { issues, meaning: `nothing: only task ${Number(value)} would have this ${opt.slice(2)}, and the batch script is task 0 (/dev/null)`, parsed: { specifiers: [], literal: true } };
  }
  const literal = value.includes('\\');
  const specifiers: string[] = [];
  if (literal) {
    if (value.includes('%')) {
      issues.push({
        code: 'SBATCH112',
        message: 'A backslash turns off every %-pattern in the name: Slurm drops the backslashes and uses the rest literally, % signs included.',
        start: value.indexOf('\\'),
        end: value.indexOf('\\') + 1,
      });
    }
  } else {
    for (let i = 0; i < value.length; i++) {
      if (value[i] !== '%') continue;
      if (value[i + 1] === '%') { i++; continue; }
      let k = i + 1;
      while (k < value.length && value[k]! >= '0' && value[k]! <= '9') k++;
      const letter = value[k];
      if (letter !== undefined && known(letter, context)) {
        if (!specifiers.includes(letter)) specifiers.push(letter);
        i = k;
        continue;
      }
      const since = letter !== undefined ? SINCE[letter] : undefined;
      issues.push({
        code: 'SBATCH112',
        message: letter === undefined
          ? `${quote(value.slice(i))} at the end is not a pattern: Slurm leaves it in the file name.`
          : since
            ? `%${letter} is only expanded by Slurm ${since} and newer; older releases leave ${quote(`%${letter}`)} in the file name.`
            : `%${letter} is not a pattern Slurm knows (use %j, %x, %A, %a, %N, %u, %n, %t, %s or %% for a literal %); it stays in the file name as written.`,
        start: i,
        end: Math.min(value.length, k + 1),
      });
      i = k;
    }
  }
  const slash = value.lastIndexOf('/');
  const dirText = slash > 0 ? value.slice(0, slash) : slash === 0 ? '/' : undefined;
  const directory = dirText !== undefined && (literal || !dirText.includes('%')) ? dirText.replace(/\\/g, '') : undefined;
  const name = literal ? value.replace(/\\/g, '') : value;
  const meaning = specifiers.length > 0
    ? `file named after ${listJoin(specifiers.map((s) => WORDS[s]!).filter((w, i, a) => a.indexOf(w) === i))}`
    : value.startsWith('/') ? `the file ${name}` : `the file ${name} in the job's working directory`;
  return { issues, meaning, parsed: { specifiers, literal, ...(directory !== undefined ? { directory } : {}) } };
};
