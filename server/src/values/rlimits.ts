/**
 * --propagate: `ALL`, `NONE`, or resource-limit names separated by commas or blanks, each
 * optionally prefixed `RLIMIT_` (src/common/slurm_rlimits_info.c `parse_rlimits`). Names are
 * case-sensitive; an unknown one makes sbatch fail with "Bad rlimit name".
 */
import type { ValueChecker } from './valueCheck';

const NAMES = ['CPU', 'FSIZE', 'DATA', 'STACK', 'CORE', 'RSS', 'NPROC', 'NOFILE', 'MEMLOCK', 'AS'];

export const checkRlimits: ValueChecker<readonly string[]> = (value) => {
  if (value === 'ALL') return { issues: [], meaning: 'inherit every resource limit of the submitting shell', parsed: NAMES };
  if (value === 'NONE') return { issues: [], meaning: 'inherit no resource limit: the compute node\'s defaults apply', parsed: [] };
  const names: string[] = [];
  for (const m of value.matchAll(/[^,\s]+/g)) {
    const name = m[0].startsWith('RLIMIT_') ? m[0].slice(7) : m[0];
    if (!NAMES.includes(name)) {
      const upper = NAMES.includes(name.toUpperCase()) ? ` (names are case-sensitive: write ${name.toUpperCase()})` : '';
      return { issues: [{ code: 'SBATCH040', start: m.index, end: m.index + m[0].length,
        message: `sbatch fails with "Bad rlimit name: ${m[0]}"${upper}. Use ALL, NONE or a list of ${NAMES.join(', ')}.` }] };
    }
    names.push(name);
  }
  return { issues: [], meaning: `inherit ${names.join(', ')} from the submitting shell; other limits use the node's defaults`, parsed: names };
};
