/**
 * Whole numbers.
 *
 * 'count' / 'count0': parse_int(name, arg, positive) in src/common/proc_args.c, which the
 * COMMON_INT_OPTION setters and --ntasks / --cpus-per-task call. strtol() must consume the
 * whole value; a negative number, or 0 when `positive`, is
 *   Invalid numeric value "abc" for --ntasks.
 * LONG_MAX (an overflow) is "Numeric argument (...) to big for ...". The result is cast to
 * `int`, so a number past INT_MAX silently keeps only its low 32 bits.
 * (HEAD rejects >= INT_MAX outright: "Numeric argument (%ld) too large for %s.")
 *
 * 'integer': --nice and --priority read strtoll(arg, NULL, 10): trailing junk is ignored and
 * a value with no digits reads as 0. arg_set_nice(): |nice| > NICE_OFFSET - 3 is "Invalid
 * --nice value, out of range (+/- 2147483645)". arg_set_priority(): "TOP", else 0 <= p <
 * NO_VAL (4294967294). slurmctld's validate_job_create_req() refuses a negative nice and
 * ignores a priority from anyone but an operator or administrator.
 */
import { LONG_MAX, strtol, toInt32 } from './cNumbers';
import type { ValueCheck, ValueChecker, ValueIssue } from './valueCheck';
import { bare, flag, quote } from './wording';

/** How a count reads in words, by option: [one, many]. */
const NOUNS: Record<string, readonly [string, string]> = {
  'ntasks': ['task', 'tasks'],
  'cpus-per-task': ['CPU per task', 'CPUs per task'],
  'cpus-per-gpu': ['CPU per GPU', 'CPUs per GPU'],
  'ntasks-per-node': ['task per node', 'tasks per node'],
  'ntasks-per-core': ['task per core', 'tasks per core'],
  'ntasks-per-socket': ['task per socket', 'tasks per socket'],
  'ntasks-per-gpu': ['task per GPU', 'tasks per GPU'],
  'ntasks-per-tres': ['task per GPU', 'tasks per GPU'],
  'mincpus': ['CPU per node (at least)', 'CPUs per node (at least)'],
  'cores-per-socket': ['core per socket', 'cores per socket'],
  'sockets-per-node': ['socket per node', 'sockets per node'],
  'threads-per-core': ['thread per core', 'threads per core'],
  'core-spec': ['core reserved for system use per node', 'cores reserved for system use per node'],
  'thread-spec': ['thread reserved for system use per node', 'threads reserved for system use per node'],
};

function countWords(name: string, n: number): string {
  const noun = NOUNS[name];
  return noun ? `${n} ${n === 1 ? noun[0] : noun[1]}` : String(n);
}

function checkCountOf(positive: boolean): ValueChecker<number> {
  return (value, optionName) => {
    const opt = flag(optionName);
    const n = strtol(value);
    const whole = n.end === value.length;
    if (!whole || n.value < 0n || (positive && n.value === 0n)) {
      const what = positive ? 'a whole number of at least 1' : 'a whole number, 0 or more';
      const why = whole && n.value === 0n ? `${opt} must be at least 1` : `${quote(value)} is not ${what}`;
      return { issues: [{ code: 'SBATCH032', message: `sbatch rejects this: ${why}. sbatch says: Invalid numeric value "${value}" for ${opt}.` }] };
    }
    if (n.value === LONG_MAX) {
      return { issues: [{ code: 'SBATCH032', message: `sbatch rejects this: the number is too big. sbatch says: Numeric argument (${LONG_MAX}) to big for ${opt}.` }] };
    }
    const kept = toInt32(n.value);
    if (BigInt(kept) !== n.value) {
      return {
        issues: [{
          code: 'SBATCH032',
          message: `${quote(value)} does not fit in the 32-bit number sbatch stores for ${opt}: it keeps only the low bits and reads ${kept}.`,
        }],
      };
    }
    return { issues: [], meaning: countWords(bare(optionName), kept), parsed: kept };
  };
}

/** Positive integer (--ntasks, --cpus-per-task, ...). */
export const checkCount = checkCountOf(true);
/** Non-negative integer. */
export const checkCount0 = checkCountOf(false);

/** Any integer with a sign (--nice, --priority, ...), read the lenient strtoll way. */
export const checkInteger: ValueChecker<number> = (value, optionName) => {
  const name = bare(optionName);
  const opt = flag(optionName);
  if (name === 'priority' && value.toUpperCase() === 'TOP') {
    return { issues: [operatorOnly(opt, 'ignores it')], meaning: 'the highest priority an operator can give' };
  }
  const n = strtol(value);
  const issues: ValueIssue[] = [];
  if (!n.digits) {
    issues.push({ code: 'SBATCH112', message: `sbatch reads ${quote(value)} as 0: ${opt} takes a whole number and sbatch does not check for one.` });
  } else if (n.end < value.length) {
    issues.push({
      code: 'SBATCH112',
      message: `sbatch reads only the number at the start, ${n.value}, and ignores ${quote(value.slice(n.end))}.`,
      start: n.end,
      end: value.length,
    });
  }
  const v = n.value;
  if (name === 'nice') return checkNice(v, opt, issues);
  if (name === 'priority') return checkPriority(v, opt, issues);
  return { issues, meaning: String(v), parsed: Number(v) };
};

const NICE_LIMIT = 2n ** 31n - 3n;

function checkNice(v: bigint, opt: string, issues: ValueIssue[]): ValueCheck<number> {
  if (v > NICE_LIMIT || v < -NICE_LIMIT) {
    return { issues: [{ code: 'SBATCH032', message: `sbatch rejects this: Invalid ${opt} value, out of range (+/- ${NICE_LIMIT}).` }] };
  }
  if (v < 0n) issues.push(operatorOnly(opt, 'rejects the job'));
  const meaning = v === 0n ? 'no change to the scheduling priority'
    : v > 0n ? `lower the job's scheduling priority by ${v}` : `raise the job's scheduling priority by ${-v}`;
  return { issues, meaning, parsed: Number(v) };
}

function checkPriority(v: bigint, opt: string, issues: ValueIssue[]): ValueCheck<number> {
  if (v < 0n) return { issues: [{ code: 'SBATCH032', message: 'sbatch rejects this: Priority must be >= 0.' }] };
  if (v >= 4294967294n) return { issues: [{ code: 'SBATCH032', message: 'sbatch rejects this: Priority must be < 4294967294.' }] };
  if (v === 0n) {
    issues.push({ code: 'SBATCH112', message: `${opt}=0 submits the job held: it will not start until someone releases it (scontrol release).` });
    return { issues, meaning: 'priority 0: the job is held', parsed: 0 };
  }
  issues.push(operatorOnly(opt, 'ignores it'));
  return { issues, meaning: `priority ${v}`, parsed: Number(v) };
}

function operatorOnly(opt: string, effect: string): ValueIssue {
  const what = opt === '--nice' ? 'a negative --nice' : `${opt}`;
  return {
    code: 'SBATCH112',
    message: `Only Slurm operators and administrators may set ${what}; for anyone else slurmctld ${effect}.`,
  };
}
