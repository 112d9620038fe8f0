/**
 * --gres and --gpus*: sbatch turns them into TRES strings (gres_prepend_tres_type() for --gres:
 * "gres:" before every comma item; xfmt_tres() for --gpus*: "gres:gpu:" before every item) and
 * checks them itself in gres_job_state_validate() → _get_next_gres() (src/common/gres.c,
 * 22.05). A bad one fails with "Invalid generic resource (gres) specification".
 *
 * Each comma item (empty ones skipped) is name[:a[:b]] split at the first two colons:
 *   name            count 1
 *   name:a          a is a count if _is_valid_number() (strtoull, then nothing or one of
 *                   k kib kb m mib mb g gib gb t tib tb p pib pb, any case), else a type
 *                   with count 1 — so `gpu:two` is type "two" and `gpu:2x` type "2x"
 *   name:type:n     n must be a valid number; an empty type or count is an error
 *   anything with a third colon fails, as "n" is then not a number.
 * A count of 0 drops the item silently. slurmctld then checks the TRES string again
 * (valid_tres_cnt() in src/slurmctld/job_mgr.c): a last `:` part that starts with a digit
 * must be a valid number (so `gpu:2x`, accepted by sbatch as a type, is refused), and an
 * empty --gres item ("gres:") is refused — "Invalid Trackable RESource (TRES)
 * specification". Whether the name (and type) exist is the cluster's
 * business (GresTypes, gres.conf): an unknown name is rejected then, which needs a profile.
 * `--gres=help` / `list` prints the GRES list and exits without submitting; `none` is kept
 * as is. (HEAD parses through slurm_get_next_tres(): `name=count` and `gres/name` forms too.)
 */
import { strtoul, ULONG_MAX } from './cNumbers';
import type { ValueCheck, ValueChecker, ValueIssue } from './valueCheck';
import { bare, flag, listJoin, plural, quote } from './wording';

export interface GresRequest {
  readonly name: string;
  readonly type?: string;
  readonly count: number;
}

const SUFFIX: Record<string, bigint> = {
  '': 1n, k: 1024n, kib: 1024n, kb: 1000n, m: 1024n ** 2n, mib: 1024n ** 2n, mb: 1000n ** 2n,
  g: 1024n ** 3n, gib: 1024n ** 3n, gb: 1000n ** 3n, t: 1024n ** 4n, tib: 1024n ** 4n, tb: 1000n ** 4n,
  p: 1024n ** 5n, pib: 1024n ** 5n, pb: 1000n ** 5n,
};

const NUMBER_WORDS = /^(zero|one|two|three|four|five|six|seven|eight|nine|ten|all|any|max)$/i;

/** _is_valid_number(): the count, or undefined when the text is not one. */
function gresNumber(text: string): bigint | undefined {
  const n = strtoul(text);
  if (n.value === ULONG_MAX) return undefined;
  const mult = SUFFIX[text.slice(n.end).toLowerCase()];
  if (mult === undefined) return undefined;
  return BigInt.asUintN(64, n.value * mult);
}

interface Parsed { readonly requests: GresRequest[]; readonly issues: ValueIssue[] }

/**
 * One item as _get_next_gres() reads it. `fixedName` is set for --gpus*, whose items come
 * after "gres:gpu:". Offsets are relative to `item`.
 */
function parseItem(item: string, fixedName: string | undefined): { request?: GresRequest; error?: string; warn?: string; atController?: boolean } {
  const full = fixedName ? `${fixedName}:${item}` : item.replace(/^(gres:)+/, '');
  const c1 = full.indexOf(':');
  const name = c1 < 0 ? full : full.slice(0, c1);
  const rest = c1 < 0 ? undefined : full.slice(c1 + 1);
  const c2 = rest === undefined ? -1 : rest.indexOf(':');
  let type: string | undefined;
  let count: bigint;
  if (rest !== undefined && c2 >= 0) {
    type = rest.slice(0, c2);
    const n = rest.slice(c2 + 1);
    if (type === '' || n === '') return { error: type === '' ? 'the type between the colons is empty' : 'nothing follows the last `:`' };
    const v = gresNumber(n);
    if (v === undefined) {
      return { error: n.includes(':') ? `${quote(n)} is not a count (at most name:type:count)` : `${quote(n)} is not a count` };
    }
    count = v;
  } else if (rest !== undefined) {
    if (rest === '') return { error: 'nothing follows the `:`' };
    const v = gresNumber(rest);
    if (v !== undefined) count = v;
    else { type = rest; count = 1n; }
  } else {
    count = 1n;
  }
  if (name === '') return { error: 'the GRES name is empty' };
  const request: GresRequest = { name, ...(type !== undefined ? { type } : {}), count: Number(count) };
  if (count === 0n) return { request, warn: 'a count of 0 asks for nothing: Slurm drops this item' };
  if (type !== undefined && /^\d/.test(type)) {
    return { error: `${quote(type)} starts like a count but is not one (slurmctld refuses it: Invalid Trackable RESource (TRES) specification)`, atController: true };
  }
  if (type !== undefined && (NUMBER_WORDS.test(type) || /^[-+]\d/.test(type))) {
    return { request, warn: `${quote(type)} is read as a GPU type with a count of 1, not as a count; the job is rejected unless a node has a ${name} of type "${type}"` };
  }
  if (fixedName && type?.toLowerCase() === 'gpu') {
    return { request, warn: `${quote(item)} asks for GPUs of the type named "gpu"; the option already means GPUs, so write just the count (or type:count)` };
  }
  return { request };
}

function parseList(value: string, optionName: string, fixedName: string | undefined): Parsed | ValueCheck<readonly GresRequest[]> {
  const opt = flag(optionName);
  const requests: GresRequest[] = [];
  const issues: ValueIssue[] = [];
  const form = fixedName ? 'write [type:]count, e.g. 2 or a100:2' : 'write name[:type][:count], e.g. gpu:2 or gpu:a100:2';
  if (!fixedName && /(^|,)(,|$)/.test(value)) {
    const at = /(^|,)(,|$)/.exec(value)!;
    const pos = at.index + (at[1] ? 1 : 0);
    return {
      issues: [{
        code: 'SBATCH038',
        message: `Slurm rejects this at submission: ${value === '' ? `an empty ${opt}` : `an empty item in ${opt} (a stray comma)`} becomes an empty GRES. slurmctld says: Invalid Trackable RESource (TRES) specification.`,
        start: Math.max(0, pos - 1),
        end: Math.min(value.length, pos + 1),
      }],
    };
  }
  for (const m of value.matchAll(/[^,]+/g)) {
    const r = parseItem(m[0], fixedName);
    const span = { start: m.index, end: m.index + m[0].length };
    if (r.error) {
      return {
        issues: [{
          code: 'SBATCH038',
          message: r.atController
            ? `Slurm rejects this at submission: in ${quote(m[0])}, ${r.error}.`
            : `sbatch rejects this: in ${quote(m[0])}, ${r.error} (${form}). sbatch says: Invalid generic resource (gres) specification.`,
          ...span,
        }],
      };
    }
    if (r.warn) issues.push({ code: 'SBATCH112', message: `sbatch accepts this, but ${r.warn}.`, ...span });
    if (r.request && r.request.count > 0) requests.push(r.request);
  }
  if (value.replace(/,/g, '') === '') {
    issues.push({ code: 'SBATCH112', message: `${opt} is empty: sbatch accepts it, but nothing is requested.` });
  }
  return { requests, issues };
}

function describe(r: GresRequest): string {
  const what = r.name === 'gpu' ? (r.count === 1 ? 'GPU' : 'GPUs') : `${quote(r.name)}`;
  return `${r.count} ${what}${r.type !== undefined ? ` of type ${quote(r.type)}` : ''}`;
}

export const checkGres: ValueChecker<readonly GresRequest[]> = (value, optionName) => {
  if (/^(help|list)$/i.test(value)) {
    return {
      issues: [{ code: 'SBATCH112', message: `${flag(optionName)}=${value} makes sbatch print the GRES it knows and exit without submitting the job.` }],
      meaning: 'print the list of GRES and exit',
    };
  }
  if (value.toLowerCase() === 'none') {
    return { issues: [], meaning: 'no generic resources (job steps do not inherit the job\'s GRES)', parsed: [] };
  }
  const r = parseList(value, optionName, undefined);
  if (!('requests' in r)) return r;
  const meaning = r.requests.length === 0 ? 'nothing (every count is 0)' : `${listJoin(r.requests.map(describe))} per node`;
  return { issues: r.issues, meaning, parsed: r.requests };
};

const GPU_SCOPE: Record<string, string> = {
  'gpus': 'for the whole job',
  'gpus-per-node': 'per node',
  'gpus-per-task': 'per task',
  'gpus-per-socket': 'per socket',
};

export const checkGpus: ValueChecker<readonly GresRequest[]> = (value, optionName) => {
  const r = parseList(value, optionName, 'gpu');
  if (!('requests' in r)) return r;
  const scope = GPU_SCOPE[bare(optionName)];
  const total = r.requests.reduce((n, q) => n + q.count, 0);
  const meaning = r.requests.length === 0 ? 'no GPUs (a count of 0)'
    : (r.requests.length === 1 ? describe(r.requests[0]!) : `${plural(total, 'GPU')}: ${listJoin(r.requests.map(describe))}`) + (scope ? ` ${scope}` : '');
  return { issues: r.issues, meaning, parsed: r.requests };
};
