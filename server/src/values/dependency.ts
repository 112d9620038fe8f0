/**
 * --dependency: sbatch passes it on; slurmctld parses it in update_job_dependency()
 * (src/slurmctld/job_scheduler.c). A bad one fails the submission with "Job dependency
 * problem". This follows 22.05:
 *
 * - "" or "0": no dependency.
 * - _xlate_array_dep() first rewrites `123_[1-3]` to `123_1:123_2:123_3` (bit_unfmt syntax
 *   inside the brackets); a bad set leaves the text as is, which then fails.
 * - Items are read left to right. `singleton` (any case) may only be followed by `,`, `?` or
 *   the end. A bare job ID ("old format") is taken only when no `:` appears anywhere in the
 *   rest of the text, and may be followed only by `,` or the end. Otherwise the item must
 *   start with afternotok: aftercorr: afterany: afterok: after: expand: (any case) or the
 *   11 letters "afterburstb"; anything else is an error.
 * - Job IDs: strtol, cast to uint32 (0 is an error), then optional `_N` / `_*`, and then only
 *   `,` `?` `:` `+` `(` or the end. `+N` minutes must be > 0 (only `after` uses it). A `(`
 *   anywhere further on needs a `)` and everything up to it is skipped (scontrol's state
 *   markers). After the job list, `,` or `?` starts the next item; anything else ends the
 *   parse and 22.05 ignores it.
 * - Separators: any `?` makes every dependency OR'd. The man page allows only one kind.
 *
 * Newer source (25.11, commits "Reject mixed dependency separators" and "Reject dependencies
 * with trailing garbage") rejects both mixing `,` with `?` and trailing text. The type list
 * is unchanged in HEAD.
 */
import { bitUnfmtRanges } from './bitmapText';
import { isDigit, strtol, toUint32 } from './cNumbers';
import type { ValueCheck, ValueChecker, ValueContext, ValueIssue } from './valueCheck';
import { listJoin, quote, releaseAtLeast } from './wording';

export type DependencyType = 'after' | 'afterany' | 'afterburstbuffer' | 'aftercorr' | 'afternotok' | 'afterok' | 'singleton' | 'expand';

export interface DependencyJob {
  readonly id: number;
  /** `_N` → N, `_*` → '*'. */
  readonly arrayTask?: number | '*';
  /** `_[1-3,5]` with more than one task: [first, last] ranges. */
  readonly arrayTasks?: readonly (readonly [number, number])[];
  /** `after:ID+N`: minutes after the start. */
  readonly delayMinutes?: number;
}

export interface DependencyItem {
  readonly type: DependencyType;
  readonly jobs: readonly DependencyJob[];
}

export interface DependencySpec {
  /** `all` for `,` (and a single item), `any` when `?` is used. */
  readonly mode: 'all' | 'any';
  readonly items: readonly DependencyItem[];
}

const PREFIXES: readonly [string, DependencyType][] = [
  ['afternotok:', 'afternotok'],
  ['aftercorr:', 'aftercorr'],
  ['afterany:', 'afterany'],
  ['afterok:', 'afterok'],
  ['afterburstb', 'afterburstbuffer'],
  ['after:', 'after'],
  ['expand:', 'expand'],
];

const TYPES_TEXT = 'after, afterany, afterburstbuffer, aftercorr, afternotok, afterok or singleton';

/**
 * The text after _xlate_array_dep(), with each character's offset in the original. Slurm
 * writes `123_[1-3]` out as `123_1:123_2:123_3`; to stay small for huge sets this writes
 * `123_1:` + MARK + group + MARK and keeps the tasks as ranges in `groups`.
 */
interface Translated { readonly text: string; readonly origin: readonly number[]; readonly groups: readonly (readonly [number, number])[][] }

const MARK = '\u0000';

const ARRAY_LIMIT = 4000001;

function translateArrays(value: string): Translated | { error: ValueIssue } {
  const origin = [...value].map((_, i) => i);
  if (!value.includes('_[')) return { text: value, origin, groups: [] };
  let text = '';
  const map: number[] = [];
  const groups: Array<[number, number]>[] = [];
  let jobStart = -1;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    text += ch;
    map.push(i);
    if (isDigit(ch)) {
      if (jobStart < 0) jobStart = i;
    } else if (ch === '_' && value[i + 1] === '[' && jobStart >= 0) {
      const open = i + 1;
      const close = value.indexOf(']', open + 1);
      const tasks = close < 0 ? null : bitUnfmtRanges(value.slice(open + 1, close), ARRAY_LIMIT);
      if (!tasks || tasks.length === 0) {
        const end = close < 0 ? value.length : close + 1;
        return {
          error: {
            code: 'SBATCH037',
            message: `Slurm rejects this at submission: ${quote(value.slice(jobStart, end))} is not a valid set of array tasks (write e.g. 123_[1-3,5]).`,
            start: jobStart,
            end,
          },
        };
      }
      const several = tasks.length > 1 || tasks[0]![0] !== tasks[0]![1];
      const piece = `${tasks[0]![0]}${several ? `:${MARK}${groups.length}${MARK}` : ''}`;
      if (several) groups.push(tasks);
      text += piece;
      for (let c = 0; c < piece.length; c++) map.push(open + 1);
      i = close;
      jobStart = -1;
    } else {
      jobStart = -1;
    }
  }
  return { text, origin: map, groups };
}

export const checkDependency: ValueChecker<DependencySpec> = (value, _optionName, context) => {
  // C stops at a NUL; cutting there also keeps MARK free for translateArrays().
  const nul = value.indexOf(MARK);
  const text = nul >= 0 ? value.slice(0, nul) : value;
  if (text === '' || text === '0') {
    return { issues: [], meaning: 'no dependency (clears any earlier one)', parsed: { mode: 'all', items: [] } };
  }
  const tr = translateArrays(text);
  if ('error' in tr) return { issues: [tr.error] };
  return parseTranslated(text, tr, context);
};

function parseTranslated(value: string, tr: Translated, context?: ValueContext): ValueCheck<DependencySpec> {
  const s = tr.text;
  const at = (k: number) => (k >= s.length ? value.length : tr.origin[k]!);
  /** The original text behind translated [from, to), for messages. */
  const orig = (from: number, to: number) => value.slice(at(from), at(to));
  const fail = (message: string, from: number, to: number): ValueCheck<DependencySpec> => ({
    issues: [{ code: 'SBATCH037', message: `Slurm rejects this at submission (Job dependency problem): ${message}.`, start: at(from), end: Math.max(at(from) + 1, at(to)) }],
  });
  const issues: ValueIssue[] = [];
  const items: DependencyItem[] = [];
  const andAt: number[] = [];
  const orAt: number[] = [];
  let pos = 0;
  const nextSep = (from: number) => {
    const m = /[,?]/.exec(s.slice(from));
    return m ? from + m.index : s.length;
  };

  /** One job ID at k: the ID, optional _task, and where it ends. */
  const readJob = (k: number): { job: DependencyJob; end: number; negative: boolean } => {
    const n = strtol(s, k);
    let end = n.end;
    let arrayTask: number | '*' | undefined;
    if (s[end] === '_') {
      if (s[end + 1] === '*') {
        arrayTask = '*';
        end += 2;
      } else {
        const t = strtol(s, end + 1);
        arrayTask = toUint32(t.value);
        end = t.digits ? t.end : end + 1;
      }
    }
    const id = toUint32(n.value);
    if (s[end] === ':' && s[end + 1] === MARK) {
      // the rest of a `_[...]` set: one job with all its task ranges
      const close = s.indexOf(MARK, end + 2);
      const group = tr.groups[Number(s.slice(end + 2, close))]!;
      return { job: { id, arrayTasks: group }, end: close + 1, negative: n.value < 0n };
    }
    return { job: { id, ...(arrayTask !== undefined ? { arrayTask } : {}) }, end, negative: n.value < 0n };
  };

  /** _parse_depend_state(): a `(` further on needs a `)`; skip to just past it. */
  const skipState = (k: number): number | undefined => {
    const open = s.indexOf('(', k);
    if (open < 0) return k;
    const close = s.indexOf(')', k);
    if (close < 0) return undefined;
    issues.push({
      code: 'SBATCH112',
      message: 'Slurm skips everything from here to the `)` (a state marker as scontrol shows it); leave it out.',
      start: at(k),
      end: at(close) + 1,
    });
    return close + 1;
  };

  // The first `:` at or after pos; pos only moves forward, so this stays linear.
  let colonCache = -2;
  const colonFrom = (from: number) => {
    if (colonCache === -2 || (colonCache >= 0 && colonCache < from)) colonCache = s.indexOf(':', from);
    return colonCache;
  };

  for (;;) {
    const itemStart = pos;
    if (s.slice(pos, pos + 9).toLowerCase() === 'singleton') {
      const after = skipState(pos + 9);
      if (after === undefined) return fail('a `(` without `)`', pos, s.length);
      items.push({ type: 'singleton', jobs: [] });
      if (s[after] === ',') { andAt.push(after); pos = after + 1; continue; }
      if (s[after] === '?') { orAt.push(after); pos = after + 1; continue; }
      if (after < s.length) return fail(`${quote(orig(after, nextSep(after)))} cannot follow singleton`, after, nextSep(after));
      break;
    }
    const colon = colonFrom(pos);
    if (colon < 0 && isDigit(s[pos])) {
      const j = readJob(pos);
      if (j.job.id === 0) return fail(`${quote(orig(pos, j.end))} is not a job ID`, pos, j.end);
      if (j.end < s.length && s[j.end] !== ',') {
        return fail(`after a bare job ID only \`,\` and another bare job ID may follow (write e.g. afterany:${orig(pos, s.length)})`, j.end, s.length);
      }
      items.push({ type: 'afterany', jobs: [j.job] });
      if (s[j.end] === ',') { andAt.push(j.end); pos = j.end + 1; continue; }
      break;
    }
    if (colon < 0) {
      const end = nextSep(pos);
      const word = s.slice(pos, end);
      if (word === '') return fail(pos === 0 ? 'nothing to depend on' : 'nothing follows the separator', Math.max(0, pos - 1), pos);
      if (isDigit(word[0])) {
        return fail(`a bare job ID cannot be mixed with typed dependencies that come later (write afterany:${orig(pos, end)})`, pos, end);
      }
      return fail(`${quote(orig(pos, end))} is not a dependency (write type:jobid, where type is ${TYPES_TEXT})`, pos, end);
    }
    const lower = s.slice(pos, pos + 17).toLowerCase();
    const prefix = PREFIXES.find(([p]) => lower.startsWith(p));
    if (!prefix) {
      const word = s.slice(pos, Math.min(colon, nextSep(pos)));
      if (s[colon + 1] === MARK) {
        const orig = value.slice(at(pos), at(nextSep(pos)));
        return fail(`Slurm expands ${quote(orig)} to several job IDs joined by \`:\`, which it then does not read as bare job IDs (write afterany:${orig})`, pos, nextSep(pos));
      }
      const shown = orig(pos, pos + word.length);
      const hint = isDigit(word[0]) ? ` (a bare job ID is only allowed when no \`:\` follows anywhere; write afterany:${shown})` : ` (use ${TYPES_TEXT})`;
      return fail(`${quote(shown)} is not a dependency type${hint}`, pos, pos + word.length);
    }
    const type = prefix[1];
    const jobs: DependencyJob[] = [];
    let k = colon + 1;
    let end: number;
    for (;;) {
      const j = readJob(k);
      end = j.end;
      if (j.job.id === 0) {
        return fail(s.slice(k, nextSep(k)) === '' ? `no job ID after ${quote(orig(itemStart, k))}` : `${quote(orig(k, Math.max(end, nextSep(k))))} is not a job ID`, k, Math.max(end, nextSep(k)));
      }
      if (j.negative) {
        issues.push({ code: 'SBATCH112', message: `Slurm reads ${quote(orig(k, end))} as job ${j.job.id}: job IDs are unsigned.`, start: at(k), end: at(end) });
      }
      if (end < s.length && !',?:+('.includes(s[end]!)) {
        return fail(`${quote(orig(k, nextSep(k)))} is not a job ID`, k, nextSep(k));
      }
      let delayMinutes: number | undefined;
      if (s[end] === '+') {
        const d = strtol(s, end + 1);
        if (d.value <= 0n) return fail('`+` must be followed by a number of minutes, at least 1', end, d.digits ? d.end : end + 1);
        delayMinutes = Number(d.value);
        if (type !== 'after') {
          issues.push({ code: 'SBATCH112', message: `Slurm ignores +${delayMinutes}: a delay only applies to after:, not ${type}.`, start: at(end), end: at(d.end) });
        }
        end = d.end;
      }
      const after = skipState(end);
      if (after === undefined) return fail('a `(` without `)`', end, s.length);
      end = after;
      jobs.push({ ...j.job, ...(delayMinutes !== undefined ? { delayMinutes } : {}) });
      if (s[end] !== ':') break;
      k = end + 1;
    }
    if (type === 'expand') {
      issues.push({ code: 'SBATCH112', message: 'expand: only works where the site sets SchedulerParameters=permit_job_expansion; elsewhere Slurm refuses it.', start: at(itemStart), end: at(colon) + 1 });
    }
    items.push({ type, jobs });
    if (s[end] === ',') { andAt.push(end); pos = end + 1; continue; }
    if (s[end] === '?') { orAt.push(end); pos = end + 1; continue; }
    if (end < s.length) {
      const junk = `${quote(orig(end, s.length))} after the job list`;
      if (releaseAtLeast(context, '25.11')) return fail(junk, end, s.length);
      issues.push({
        code: 'SBATCH112',
        message: `Slurm 22.05 ignores ${junk}; 25.11 and newer reject the job for it.`,
        start: at(end),
        end: value.length,
      });
    }
    break;
  }

  if (andAt.length > 0 && orAt.length > 0) {
    const first = Math.min(andAt[0]!, orAt[0]!);
    const odd = (first === andAt[0] ? orAt : andAt)[0]!;
    issues.unshift({
      code: 'SBATCH037',
      message: 'Use one kind of separator only: `,` (all must be met) or `?` (any one is enough). Slurm 25.11 and newer reject the job; ' +
        'earlier releases quietly treat every dependency as `?`.',
      start: at(odd),
      end: at(odd) + 1,
    });
  }
  if (issues.some((i) => i.code === 'SBATCH037')) return { issues };
  const mode = orAt.length > 0 ? 'any' : 'all';
  return { issues, meaning: describe(mode, items), parsed: { mode, items } };
}

function jobsText(jobs: readonly DependencyJob[], conjunction: string): string {
  const one = (j: DependencyJob) => {
    if (j.arrayTasks) return `${j.id} (tasks ${listJoin(j.arrayTasks.map(([a, b]) => a === b ? `${a}` : `${a}–${b}`))})`;
    const task = j.arrayTask === '*' ? ' (every task)' : j.arrayTask !== undefined ? `_${j.arrayTask}` : '';
    return `${j.id}${task}`;
  };
  return `${jobs.length === 1 ? 'job' : 'jobs'} ${listJoin(jobs.map(one), conjunction)}`;
}

function describeItem(item: DependencyItem, mode: 'all' | 'any'): string {
  const j = jobsText(item.jobs, mode === 'any' ? 'or' : 'and');
  const plural = item.jobs.length > 1;
  const each = plural && mode === 'all' ? 'all ' : plural ? 'one of ' : '';
  switch (item.type) {
    case 'after': {
      const delay = item.jobs.find((x) => x.delayMinutes)?.delayMinutes;
      return `${each}${j} ${plural ? 'start' : 'starts'} (or ${plural ? 'are' : 'is'} cancelled)${delay ? ` plus ${delay} min` : ''}`;
    }
    case 'afterany': return `${each}${j} ${plural ? 'end' : 'ends'}, in any state`;
    case 'afterok': return `${each}${j} ${plural ? 'complete' : 'completes'} successfully`;
    case 'afternotok': return `${each}${j} ${plural ? 'fail' : 'fails'}`;
    case 'aftercorr': return `the matching task of ${j} completes successfully (task by task)`;
    case 'afterburstbuffer': return `${each}${j} ${plural ? 'end' : 'ends'} and ${plural ? 'their' : 'its'} burst-buffer stage-out is done`;
    case 'singleton': return 'no other job of yours with the same name is running';
    case 'expand': return `it can be added to ${j} (expansion)`;
  }
}

function describe(mode: 'all' | 'any', items: readonly DependencyItem[]): string {
  const parts = items.map((i) => describeItem(i, mode));
  if (parts.length === 1) return `start after ${parts[0]}`;
  return mode === 'any' ? `start as soon as any of these holds: ${parts.join('; or ')}` : `start after ${parts.join(', and after ')}`;
}
