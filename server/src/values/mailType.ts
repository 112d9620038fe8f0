/**
 * --mail-type: parse_mail_type() in src/common/proc_args.c (same in 22.05 and HEAD).
 *
 * The value is split on `,` (empty items skipped) and each word compared without regard to
 * case. An unknown word is silently skipped; only when nothing valid is left does sbatch say
 * "Invalid --mail-type specification". NONE stops the scan and clears everything before it,
 * so `BEGIN,NONE` and `NONE,END` both mean no mail. ALL is BEGIN, END, FAIL, REQUEUE,
 * INVALID_DEPEND and STAGE_OUT (not the TIME_LIMIT ones, not ARRAY_TASKS).
 */
import type { ValueChecker, ValueIssue } from './valueCheck';
import { listJoin, quote } from './wording';

const EVENTS: Record<string, string> = {
  BEGIN: 'begins',
  END: 'ends',
  FAIL: 'fails',
  REQUEUE: 'is requeued',
  INVALID_DEPEND: 'can never run because a dependency failed',
  STAGE_OUT: 'finishes burst-buffer stage-out',
  TIME_LIMIT: 'reaches its time limit',
  TIME_LIMIT_90: 'reaches 90% of its time limit',
  TIME_LIMIT_80: 'reaches 80% of its time limit',
  TIME_LIMIT_50: 'reaches 50% of its time limit',
};
const ALL = ['BEGIN', 'END', 'FAIL', 'REQUEUE', 'INVALID_DEPEND', 'STAGE_OUT'];
export const MAIL_TYPES = ['NONE', 'BEGIN', 'END', 'FAIL', 'REQUEUE', 'ALL', 'INVALID_DEPEND', 'STAGE_OUT',
  'TIME_LIMIT', 'TIME_LIMIT_90', 'TIME_LIMIT_80', 'TIME_LIMIT_50', 'ARRAY_TASKS'] as const;

export interface MailTypes {
  /** The events that send mail, upper case; empty for NONE. */
  readonly events: readonly string[];
  /** One mail per array task instead of one for the whole array. */
  readonly arrayTasks: boolean;
}

export const checkMailType: ValueChecker<MailTypes> = (value) => {
  const words = [...value.matchAll(/[^,]+/g)].map((m) => ({ text: m[0], upper: m[0].toUpperCase(), start: m.index }));
  const unknown = words.filter((w) => !(MAIL_TYPES as readonly string[]).includes(w.upper));
  const isUnknown = new Set(unknown);
  const noneAt = words.findIndex((w) => w.upper === 'NONE');
  const counted = noneAt >= 0 ? [] : words.filter((w) => !isUnknown.has(w));
  if (noneAt < 0 && counted.length === 0) {
    const what = words.length === 0 ? 'no mail type is given'
      : `${listJoin(unknown.map((w) => quote(w.text)))} ${unknown.length > 1 ? 'are not mail types' : `is not a mail type${suggest(unknown[0]!.upper)}`}`;
    return {
      issues: [{
        code: 'SBATCH035',
        message: `sbatch rejects this: ${what} (use ${listJoin([...MAIL_TYPES], 'or')}, comma-separated). sbatch says: Invalid --mail-type specification.`,
      }],
    };
  }
  const issues: ValueIssue[] = unknown.map((w) => ({
    code: 'SBATCH112' as const,
    message: `sbatch silently ignores ${quote(w.text)}: it is not a mail type${suggest(w.upper)}.`,
    start: w.start,
    end: w.start + w.text.length,
  }));
  if (noneAt >= 0 && words.some((w, i) => i !== noneAt && !isUnknown.has(w))) {
    issues.push({
      code: 'SBATCH112',
      message: 'NONE cancels every other mail type in the list (and sbatch stops reading at NONE): no mail will be sent.',
      start: words[noneAt]!.start,
      end: words[noneAt]!.start + 4,
    });
  }
  const events = new Set<string>();
  let arrayTasks = false;
  for (const w of counted) {
    if (w.upper === 'ALL') ALL.forEach((e) => events.add(e));
    else if (w.upper === 'ARRAY_TASKS') arrayTasks = true;
    else events.add(w.upper);
  }
  const list = [...events];
  let meaning: string;
  if (noneAt >= 0) meaning = 'no mail';
  else if (list.length === 0) meaning = 'no mail (ARRAY_TASKS alone selects no event)';
  else meaning = `mail when the job ${listJoin(list.map((e) => EVENTS[e]!), 'or')}` + (arrayTasks ? ', for each array task separately' : '');
  if (list.length === 0 && arrayTasks && noneAt < 0) {
    issues.push({ code: 'SBATCH112', message: 'ARRAY_TASKS only says that mail goes out per array task; add the events, e.g. END,FAIL,ARRAY_TASKS.' });
  }
  return { issues, meaning, parsed: { events: list, arrayTasks } };
};

function suggest(upper: string): string {
  if (upper.length > 24) return '';
  const close = MAIL_TYPES.find((t) => distance(t, upper) <= 2 && t !== upper);
  return close ? ` (did you mean ${close}?)` : '';
}

/** Levenshtein distance, for did-you-mean. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
