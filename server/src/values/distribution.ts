/**
 * --distribution: verify_dist_type() in src/common/proc_args.c (22.05; HEAD the same).
 *
 * - Text starting with "plane" (any case): the size is what follows the first `=`, read by
 *   strtol and nothing may follow it; it must be 1..INT_MAX. Without `=`, sbatch takes
 *   SLURM_DIST_PLANESIZE from the environment, else "Invalid plane size or size not
 *   specified". Plane cannot be combined with anything else.
 * - Otherwise: the part before the first `,` is split on `:` (empty pieces skipped, at most
 *   three). `*` stands for the default: block for nodes, cyclic for sockets, and the socket
 *   choice for cores. The result must be block, cyclic, arbitrary, hostfile, or a two/three
 *   level combination of {block,cyclic} : {block,cyclic,fcyclic} [: {block,cyclic,fcyclic}].
 *   `pack` / `nopack` may stand alone or after the `,`; anything else after the `,` fails.
 */
import { INT_MAX, strtol } from './cNumbers';
import type { ValueChecker } from './valueCheck';
import { quote } from './wording';

export interface Distribution {
  /** Node, socket and core levels, e.g. ['block', 'cyclic']. */
  readonly levels: readonly string[];
  readonly planeSize?: number;
  readonly pack?: 'pack' | 'nopack';
}

const NODE_WORDS: Record<string, string> = {
  block: 'consecutive tasks fill one node before the next (block)',
  cyclic: 'tasks are dealt round-robin across the nodes (cyclic)',
  arbitrary: 'tasks go where the node list / SLURM_HOSTFILE order says (arbitrary)',
  hostfile: 'tasks go where the node list / SLURM_HOSTFILE order says (arbitrary)',
};
const LEVEL_WORDS: Record<string, string> = {
  block: 'block',
  cyclic: 'cyclic',
  fcyclic: 'full cyclic',
};

function invalid(why: string) {
  return {
    issues: [{
      code: 'SBATCH040' as const,
      message: `sbatch rejects this: ${why} (write block, cyclic, arbitrary or plane=<size>, optionally :<socket>[:<core>] with block, cyclic or fcyclic, and ,pack or ,nopack). sbatch says: Invalid --distribution specification.`,
    }],
  };
}

export const checkDistribution: ValueChecker<Distribution> = (value) => {
  if (value.slice(0, 5).toLowerCase() === 'plane') {
    const eq = value.indexOf('=');
    if (eq < 0) {
      return {
        issues: [{
          code: 'SBATCH040',
          message: 'sbatch rejects `plane` without a size unless SLURM_DIST_PLANESIZE is set in its environment (Invalid plane size or size not specified). Write e.g. plane=4.',
        }],
      };
    }
    const n = strtol(value, eq + 1);
    if (!n.digits || n.end !== value.length || n.value <= 0n || n.value > BigInt(INT_MAX)) {
      return invalid(`the plane size in ${quote(value)} must be a whole number from 1 and nothing may follow it`);
    }
    const size = Number(n.value);
    return { issues: [], meaning: `blocks of ${size} tasks dealt round-robin across the nodes (plane)`, parsed: { levels: ['plane'], planeSize: size } };
  }
  if (value === '' || value.startsWith(',')) return invalid('the distribution is missing');
  const comma = value.indexOf(',');
  const base = comma < 0 ? value : value.slice(0, comma);
  const flags = comma < 0 ? '' : value.slice(comma + 1);
  const pieces = base.split(':').filter((p) => p !== '');
  if (pieces.length > 3) return invalid(`${quote(base)} has more than three levels`);
  const levels: string[] = [];
  let socketDefault = 'cyclic';
  pieces.forEach((p, i) => {
    if (p === '*') levels.push(i === 0 ? 'block' : i === 1 ? 'cyclic' : socketDefault);
    else levels.push(p.toLowerCase());
    if (i === 1) socketDefault = levels[1]!;
  });
  let pack: 'pack' | 'nopack' | undefined;
  const joined = levels.join(':');
  const valid = /^(block|cyclic|arbitrary|hostfile)$/.test(joined)
    || /^(block|cyclic):(block|cyclic|fcyclic)(:(block|cyclic|fcyclic))?$/.test(joined);
  if (!valid) {
    if (joined === 'pack' || joined === 'nopack') pack = joined;
    else return invalid(`${quote(base)} is not a distribution`);
  }
  if (flags !== '') {
    const f = flags.toLowerCase();
    if (f !== 'pack' && f !== 'nopack') return invalid(`${quote(flags)} after the comma must be pack or nopack`);
    pack = f;
  }
  const parts: string[] = [];
  if (valid) {
    parts.push(NODE_WORDS[levels[0]!]!);
    if (levels[1]) parts.push(`${LEVEL_WORDS[levels[1]]} over sockets`);
    if (levels[2]) parts.push(`${LEVEL_WORDS[levels[2]]} over cores`);
  }
  if (pack === 'pack') parts.push('tasks packed onto as few nodes as possible');
  if (pack === 'nopack') parts.push('tasks spread evenly over the nodes');
  const parsed: Distribution = { levels: valid ? levels : [], ...(pack ? { pack } : {}) };
  return { issues: [], meaning: parts.join('; '), parsed };
};
