/**
 * --exclusive[=...]: arg_set_exclusive() in src/common/slurm_opt.c. 22.05 accepts, in any case,
 * `exclusive` (the same as no value), `oversubscribe`, `user` and `mcs`; anything else is
 * "Invalid --exclusive specification". `topo` arrived in 24.05 and `allocation` in 26.05.
 */
import type { ValueChecker } from './valueCheck';
import { quote, releaseAtLeast } from './wording';

export type ExclusiveMode = 'exclusive' | 'oversubscribe' | 'user' | 'mcs' | 'topo' | 'allocation';

const MEANING: Record<ExclusiveMode, string> = {
  exclusive: 'whole nodes: no other job shares them',
  oversubscribe: 'nodes may be shared with other jobs (like --oversubscribe)',
  user: 'nodes are shared only with your own jobs',
  mcs: 'nodes are shared only with jobs of the same MCS label',
  topo: 'no other job runs in the same topology segment (block or switch)',
  allocation: 'whole nodes for the job; job steps are not exclusive by default',
};

const SINCE: Partial<Record<ExclusiveMode, string>> = { topo: '24.05', allocation: '26.05' };

export const checkExclusive: ValueChecker<ExclusiveMode> = (value, _optionName, context) => {
  const mode = value.toLowerCase() as ExclusiveMode;
  const since = SINCE[mode];
  if (mode in MEANING && (!since || releaseAtLeast(context, since))) {
    return { issues: [], meaning: MEANING[mode], parsed: mode };
  }
  const allowed = (Object.keys(MEANING) as ExclusiveMode[]).filter((m) => !SINCE[m] || releaseAtLeast(context, SINCE[m]!));
  const why = since ? `${quote(value)} needs Slurm ${since} or newer` : `${quote(value)} is not one of ${allowed.join(', ')}`;
  return {
    issues: [{
      code: 'SBATCH039',
      message: `sbatch rejects this: ${why}. sbatch says: Invalid --exclusive specification.`,
    }],
  };
};
