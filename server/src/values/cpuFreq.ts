/**
 * --cpu-freq=p1[-p2[:p3]]: cpu_freq_verify_cmdline() in src/common/cpu_frequency.c (22.05).
 *
 * p3 is everything after the first `:`, p2 what lies between the first `-` and the `:`.
 * Governors are matched by prefix, any case: co(nservative), perf(ormance), pow(ersave),
 * user(space), onde(mand), sche(dutil). Frequencies: lo(w), him1/highm1, hi(gh), med(ium), or
 * strtoul() > 0 in kilohertz (trailing text ignored). Rules: p1 a governor → no p3 and no p2
 * (p2 would be compared with NO_VAL and fail); p2 >= p1 (the names count as 0x8000000x);
 * p3 only with p2. A governor must also be listed in slurm.conf CpuFreqGovernors, which by
 * default holds OnDemand, Performance and UserSpace. Errors: "Invalid --cpu-freq argument".
 */
import { strtoul } from './cNumbers';
import type { ValueChecker, ValueIssue } from './valueCheck';
import { quote } from './wording';

export interface CpuFreq {
  /** kHz, or low / medium / high / highm1. */
  readonly min?: number | string;
  readonly max?: number | string;
  readonly governor?: string;
}

const GOVERNORS: readonly [string, string][] = [
  ['co', 'Conservative'], ['perf', 'Performance'], ['pow', 'PowerSave'],
  ['user', 'UserSpace'], ['onde', 'OnDemand'], ['sche', 'SchedUtil'],
];
const DEFAULT_GOVERNORS = ['OnDemand', 'Performance', 'UserSpace'];
const NAMED: readonly [string, string, number][] = [
  ['lo', 'low', 0x80000001], ['him1', 'highm1', 0x80000004], ['highm1', 'highm1', 0x80000004],
  ['hi', 'high', 0x80000003], ['med', 'medium', 0x80000002],
];

function governor(text: string): string | undefined {
  return GOVERNORS.find(([p]) => text.toLowerCase().startsWith(p))?.[1];
}

/** _cpu_freq_check_freq(): [value for comparison, how to show it, trailing junk?] or undefined. */
function frequency(text: string): { rank: number; shown: number | string; junk: boolean } | undefined {
  const named = NAMED.find(([p]) => text.toLowerCase().startsWith(p));
  if (named) return { rank: named[2], shown: named[1], junk: false };
  const n = strtoul(text);
  const v = Number(BigInt.asUintN(32, n.value));
  if (v === 0) return undefined;
  return { rank: v, shown: v, junk: n.end !== text.length };
}

function showFreq(f: number | string): string {
  if (typeof f === 'string') return `the ${f === 'highm1' ? 'second-highest' : f === 'medium' ? 'middle' : f === 'low' ? 'lowest' : 'highest'} frequency`;
  return f >= 1000000 ? `${f / 1000000} GHz` : f >= 1000 ? `${f / 1000} MHz` : `${f} kHz`;
}

export const checkCpuFreq: ValueChecker<CpuFreq> = (value) => {
  const fail = (why: string) => ({
    issues: [{ code: 'SBATCH040' as const, message: `sbatch rejects this: ${why} (write p1[-p2[:governor]], e.g. 2400000, low-high:OnDemand or Performance). sbatch says: Invalid --cpu-freq argument.` }],
  });
  const colon = value.indexOf(':');
  const p3 = colon >= 0 ? value.slice(colon + 1) : undefined;
  const dash = value.indexOf('-');
  const p1 = dash >= 0 ? value.slice(0, dash) : colon >= 0 ? value.slice(0, colon) : value;
  const p2 = dash >= 0 ? (colon >= 0 ? value.slice(dash + 1, colon) : value.slice(dash + 1)) : undefined;
  const issues: ValueIssue[] = [];
  let gov = governor(p1);
  let min: { rank: number; shown: number | string } | undefined;
  let max: { rank: number; shown: number | string } | undefined;
  if (gov) {
    if (p3 !== undefined) return fail('a governor is given twice');
    if (p2 !== undefined) return fail('a governor cannot be the low end of a range');
  } else {
    const f = frequency(p1);
    if (!f) return fail(`${quote(p1)} is not a frequency or governor`);
    if (f.junk) issues.push(junk(p1));
    max = f;
  }
  if (p2 !== undefined) {
    const f = frequency(p2);
    if (!f) return fail(`${quote(p2)} is not a frequency`);
    if (f.junk) issues.push(junk(p2));
    min = max;
    max = f;
    if (min && max.rank < min.rank) return fail(`the maximum ${quote(p2)} is below the minimum ${quote(p1)}`);
  }
  if (p3 !== undefined) {
    if (p2 === undefined) return fail('a governor after `:` needs a min-max range before it');
    gov = governor(p3);
    if (!gov) return fail(`${quote(p3)} is not a governor (Conservative, OnDemand, Performance, PowerSave, SchedUtil or UserSpace)`);
  }
  if (gov && !DEFAULT_GOVERNORS.includes(gov)) {
    issues.push({
      code: 'SBATCH112',
      message: `sbatch rejects the ${gov} governor unless slurm.conf lists it in CpuFreqGovernors (the default is OnDemand, Performance and UserSpace).`,
    });
  }
  for (const f of [min, max]) {
    if (f && typeof f.shown === 'number' && f.shown < 100000) {
      issues.push({ code: 'SBATCH112', message: `Frequencies are in kilohertz: ${f.shown} means ${showFreq(f.shown)}. For ${f.shown} MHz write ${f.shown * 1000}.` });
      break;
    }
  }
  const parts: string[] = [];
  if (min && max) parts.push(`CPU frequency between ${showFreq(min.shown)} and ${showFreq(max.shown)}`);
  else if (max) parts.push(`CPU frequency ${showFreq(max.shown)}`);
  if (gov) parts.push(`${gov} governor`);
  return {
    issues,
    meaning: parts.join(', '),
    parsed: { ...(min ? { min: min.shown } : {}), ...(max ? { max: max.shown } : {}), ...(gov ? { governor: gov } : {}) },
  };
};

function junk(text: string): ValueIssue {
  return { code: 'SBATCH112', message: `sbatch reads only the number at the start of ${quote(text)} and ignores the rest; frequencies are plain kilohertz.` };
}
