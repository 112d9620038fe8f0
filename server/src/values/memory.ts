/**
 * --mem, --mem-per-cpu, --mem-per-gpu, --tmp: str_to_mbytes() in src/common/proc_args.c
 * (same in 22.05 and the newest source).
 *
 * strtoll() reads the number (leading white space and a sign allowed); no digits, an
 * overflow or a negative number is invalid. What follows must be nothing (MB), or one of
 * K/M/G/T in any case, optionally followed by one `B`/`b`, and then the end. K rounds up to
 * whole MB. So `4G`, `4gb`, `4GB` are 4096 MB; `1.5G`, `4GiB`, `4 G`, `4B`, `4P` are rejected
 * with "Invalid --mem specification". --mem=0 (and --mem-per-cpu=0, which slurmctld maps to
 * --mem=0 in job_mgr.c: "Map --mem-per-cpu=0 to --mem=0") means all of each node's memory.
 */
import { LONG_MAX, strtol } from './cNumbers';
import type { ValueChecker, ValueIssue } from './valueCheck';
import { bare, flag, quote } from './wording';

const MULTIPLIER: Record<string, number> = { k: 1 / 1024, m: 1, g: 1024, t: 1024 * 1024 };

/** What the amount is for, by option. */
const SCOPE: Record<string, string> = {
  'mem': 'per node',
  'mem-per-cpu': 'per CPU',
  'mem-per-gpu': 'per GPU',
  'tmp': 'of temporary disk per node',
};

export const checkMemory: ValueChecker<number> = (value, optionName) => {
  const name = bare(optionName);
  const opt = flag(optionName);
  const n = strtol(value);
  const rest = value.slice(n.end);
  const suffix = /^([kmgt])b?$/i.exec(rest);
  if (!n.digits || n.overflow || n.value < 0n || (rest !== '' && !suffix)) {
    return { issues: [invalid(value, opt, n.digits ? n.end : 0)] };
  }
  const unit = suffix ? suffix[1]!.toLowerCase() : '';
  const amount = Number(n.value);
  const mb = unit === '' ? amount : unit === 'k' ? Math.ceil(amount / 1024) : amount * MULTIPLIER[unit]!;
  const issues: ValueIssue[] = [];
  if (BigInt(mb) > LONG_MAX) {
    issues.push({ code: 'SBATCH112', message: `sbatch accepts ${quote(value)}, but the size overflows Slurm's 64-bit counter and wraps around to a different amount.` });
    return { issues };
  }
  const scope = SCOPE[name];
  if (mb === 0) {
    const meaning = name === 'mem' || name === 'mem-per-cpu' ? 'all of the memory of each node (0 is a special case)'
      : `0 MB${scope ? ` ${scope}` : ''}`;
    return { issues, meaning, parsed: 0 };
  }
  if (unit === '' && amount < 100 && scope && name !== 'tmp') {
    issues.push({
      code: 'SBATCH112',
      message: `${quote(value)} has no unit, so it means ${amount} MB ${scope} — too little to run almost anything. Did you mean ${quote(`${value}G`)}?`,
    });
  }
  return { issues, meaning: describe(amount, unit, mb) + (scope ? ` ${scope}` : ''), parsed: mb };
};

function invalid(value: string, opt: string, from: number): ValueIssue {
  const dec = /^(\d+)\.(\d+)([kmgt])b?$/i.exec(value);
  let hint = 'use a whole number with an optional K, M, G or T suffix, e.g. 4G or 500M';
  if (dec) {
    const lower: Record<string, string> = { t: 'G', g: 'M', m: 'K' };
    const next = lower[dec[3]!.toLowerCase()];
    const scaled = Number(`${dec[1]}.${dec[2]}`) * 1024;
    if (next && Number.isInteger(scaled)) hint = `decimals are not allowed; write ${quote(`${scaled}${next}`)}`;
    else hint = 'decimals are not allowed; use a whole number in a smaller unit';
  } else if (/^\d+\s*[a-z]+$/i.test(value)) {
    hint = 'Slurm understands only the suffixes K, M, G and T, optionally followed by B, right after the number, e.g. 4G';
  }
  return {
    code: 'SBATCH031',
    message: value === '' ? `sbatch rejects an empty ${opt}. sbatch says: Invalid ${opt} specification.`
      : `sbatch rejects this: ${quote(value)} is not a memory size (${hint}). sbatch says: Invalid ${opt} specification.`,
    ...(value !== '' && from < value.length ? { start: from, end: value.length } : {}),
  };
}

/** "4 GiB (4096 MB)", "500 MB", "2048 MB (2 GiB)", "1500 KiB, rounded up to 2 MB". */
function describe(amount: number, unit: string, mb: number): string {
  const unitName: Record<string, string> = { t: 'TiB', g: 'GiB', m: 'MB' };
  if (unit === 'k') return `${amount} KiB, rounded up to ${mb} MB`;
  if (unit === 'g' || unit === 't') return `${amount} ${unitName[unit]} (${mb} MB)`;
  if (mb >= 1024 && mb % 1024 === 0) {
    return mb % (1024 * 1024) === 0 ? `${mb} MB (${mb / 1024 / 1024} TiB)` : `${mb} MB (${mb / 1024} GiB)`;
  }
  return `${mb} MB`;
}
