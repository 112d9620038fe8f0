/**
 * --time, --time-min: Slurm's time_str2mins() (src/common/parse_time.c), as arg_set_time_limit()
 * in src/common/slurm_opt.c calls it. Unchanged from 22.05 to the newest source.
 *
 * - "-1", "INFINITE", "UNLIMITED" (any case) mean no limit.
 * - _is_valid_timespec(): only digits, `-` and `:`; at most one `-`, at most two `:`, no `-`
 *   after a `:`, and enough numbers for the separators. That admits exactly: M, M:S, H:M:S,
 *   D-, D-H, D-H:M, D-H:M:S and -D.
 * - Fields are read with sscanf("%d-%d:%d:%d") / ("%d:%d:%d") and never range-checked, so
 *   `10:70` is 11 min 10 s. Seconds are rounded up to whole minutes.
 * - arg_set_time_limit(): NO_VAL → "Invalid --time specification"; 0 → INFINITE.
 */
import { spelledDuration } from '../durationWords';
import { INT_MAX, toInt32 } from './cNumbers';
import type { ValueCheck, ValueChecker, ValueIssue } from './valueCheck';
import { flag, plural, quote } from './wording';

export type TimeForm =
  | 'minutes' | 'minutes:seconds' | 'hours:minutes:seconds'
  | 'days' | 'days-hours' | 'days-hours:minutes' | 'days-hours:minutes:seconds';

/** An unlimited request is above every finite partition MaxTime (_part_access_check()). */
const UNLIMITED = 'no time limit (only a partition without a MaxTime runs it; others refuse it or leave it pending)';

const FORMATS = 'use minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS';

interface Field { readonly unit: 'day' | 'hour' | 'minute' | 'second'; readonly text: string; readonly start: number }

/** The shapes _is_valid_timespec() lets through, with the unit sscanf gives each number. */
const SHAPES: readonly { re: RegExp; form: TimeForm; units: Field['unit'][] }[] = [
  { re: /^(\d+)$/, form: 'minutes', units: ['minute'] },
  { re: /^(\d+):(\d+)$/, form: 'minutes:seconds', units: ['minute', 'second'] },
  { re: /^(\d+):(\d+):(\d+)$/, form: 'hours:minutes:seconds', units: ['hour', 'minute', 'second'] },
  { re: /^(\d+)-$/, form: 'days', units: ['day'] },
  { re: /^(\d+)-(\d+)$/, form: 'days-hours', units: ['day', 'hour'] },
  { re: /^(\d+)-(\d+):(\d+)$/, form: 'days-hours:minutes', units: ['day', 'hour', 'minute'] },
  { re: /^(\d+)-(\d+):(\d+):(\d+)$/, form: 'days-hours:minutes:seconds', units: ['day', 'hour', 'minute', 'second'] },
];

const UNIT_SECONDS = { day: 86400, hour: 3600, minute: 60, second: 1 } as const;

export const checkTime: ValueChecker<number> = (value, optionName) => {
  const opt = flag(optionName);
  if (/^(-1|infinite|unlimited)$/i.test(value)) {
    return { issues: [], meaning: UNLIMITED, parsed: Infinity };
  }
  const shape = SHAPES.find((s) => s.re.test(value));
  if (!shape) {
    if (/^-\d+$/.test(value)) return negativeDays(value, opt);
    return invalid(value, opt);
  }
  const m = shape.re.exec(value)!;
  const fields: Field[] = [];
  let from = 0;
  shape.units.forEach((unit, i) => {
    const text = m[i + 1]!;
    const start = value.indexOf(text, from);
    fields.push({ unit, text, start });
    from = start + text.length;
  });

  const issues: ValueIssue[] = [];
  // sscanf's %d keeps the low 32 bits of a number that does not fit an int, and the sum is
  // int arithmetic too: past INT_MAX seconds Slurm ends up with a different limit.
  const total = fields.reduce((sum, f) => sum + Number(f.text) * UNIT_SECONDS[f.unit], 0);
  if (total > INT_MAX) {
    const cTotal = fields.reduce((sum, f) => toInt32(BigInt(sum) + BigInt(toInt32(BigInt(f.text))) * BigInt(UNIT_SECONDS[f.unit])), 0);
    issues.push({
      code: 'SBATCH112',
      message: `sbatch accepts this, but ${quote(value)} is more than Slurm's 32-bit seconds counter holds (about 68 years): it wraps around to ${cTotal} seconds, not what was written.`,
    });
    return { issues };
  }

  for (const f of fields) {
    const n = Number(f.text);
    const limit = f.unit === 'hour' ? 24 : 60;
    // The first field is never capped (90:00 is 90 minutes); later fields roll over.
    const rolls = (f.unit === 'second' || (f.unit === 'minute' && shape.form.includes('hours'))) && n >= 60
      || (f.unit === 'hour' && shape.form.startsWith('days') && n >= 24);
    if (!rolls) continue;
    issues.push({
      code: 'SBATCH105',
      message: `${plural(n, f.unit)} is ${limit} or more, so it rolls over: sbatch reads ${quote(value)} as ${spelledDuration(total)}. ` +
        `Write ${quote(canonical(total, shape.form))} if that is what you meant.`,
      start: f.start,
      end: f.start + f.text.length,
      replacement: canonical(total, shape.form),
    });
  }
  if (shape.form === 'days') {
    issues.push({
      code: 'SBATCH112',
      message: `sbatch reads ${quote(value)} as ${plural(Number(fields[0]!.text), 'day')}: nothing follows the \`-\`. Write ${quote(`${fields[0]!.text}-0`)} to say so, or add the hours.`,
      start: value.length - 1,
      end: value.length,
    });
  }

  const minutes = Math.ceil(total / 60);
  if (minutes === 0) {
    return { issues, meaning: `${UNLIMITED}; a limit of 0 means unlimited`, parsed: Infinity };
  }
  let meaning = spelledDuration(total);
  if (shape.form === 'minutes' && total >= 3600) meaning = `${plural(minutes, 'minute')} (${meaning})`;
  if (shape.form === 'minutes:seconds') meaning += ' (read as minutes:seconds)';
  if (total % 60 !== 0) meaning += `, rounded up to ${plural(minutes, 'minute')}`;
  return { issues, meaning, parsed: minutes };
};

function invalid(value: string, opt: string): ValueCheck<number> {
  if (value === '') {
    return { issues: [{ code: 'SBATCH030', message: `sbatch rejects an empty ${opt} (${FORMATS}). sbatch says: Invalid ${opt} specification.` }] };
  }
  const bad = /[^0-9:-]+/.exec(value);
  const hint = suggestion(value);
  return {
    issues: [{
      code: 'SBATCH030',
      message: `sbatch rejects this: ${quote(value)} is not a time (${FORMATS})${hint ? `; for ${hint.what} write ${quote(hint.text)}` : ''}. sbatch says: Invalid ${opt} specification.`,
      ...(bad && value !== '' ? { start: bad.index, end: bad.index + bad[0].length } : {}),
    }],
  };
}

/** `-N`: sscanf reads a negative day count and Slurm stores a nonsense limit. */
function negativeDays(value: string, opt: string): ValueCheck<number> {
  if (Number(value) === 0) return { issues: [], meaning: `${UNLIMITED}; a limit of 0 means unlimited`, parsed: Infinity };
  return {
    issues: [{
      code: 'SBATCH112',
      message: `sbatch accepts ${quote(value)} for ${opt}, but reads it as minus ${plural(-Number(value), 'day')}: a negative limit that Slurm stores as a huge unsigned number. Only \`-1\` means unlimited.`,
    }],
  };
}

/** A likely intent for common non-Slurm spellings such as `1h`, `30min`, `2days`, `1.5`. */
function suggestion(value: string): { what: string; text: string } | undefined {
  const m = /^(\d+)\s*([a-z]+)$/i.exec(value);
  if (m) {
    const n = Number(m[1]);
    const u = m[2]!.toLowerCase();
    if (/^(h|hr|hrs|hour|hours)$/.test(u)) return { what: plural(n, 'hour'), text: n >= 24 ? `${Math.floor(n / 24)}-${n % 24}` : `${n}:00:00` };
    if (/^(m|min|mins|minute|minutes)$/.test(u)) return { what: plural(n, 'minute'), text: `${n}` };
    if (/^(s|sec|secs|second|seconds)$/.test(u)) return { what: plural(n, 'second'), text: `0:${n}` };
    if (/^(d|day|days)$/.test(u)) return { what: plural(n, 'day'), text: `${n}-0` };
    if (/^(w|week|weeks)$/.test(u)) return { what: plural(n, 'week'), text: `${n * 7}-0` };
  }
  const h = /^(\d+)\.(\d+)$/.exec(value);
  if (h) {
    const mins = Number(`${h[1]}.${h[2]}`) * 60;
    if (Number.isInteger(mins)) return { what: `${value} hours`, text: `${Math.floor(mins / 60)}:${String(mins % 60).padStart(2, '0')}:00` };
  }
  return undefined;
}

/** The same duration written without overflowing fields, in the written form's family. */
function canonical(total: number, form: TimeForm): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const d = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (form === 'minutes:seconds') return `${Math.floor(total / 60)}:${two(s)}`;
  if (form === 'hours:minutes:seconds') return `${Math.floor(total / 3600)}:${two(m)}:${two(s)}`;
  if (form === 'days-hours') return `${d}-${h}`;
  if (form === 'days-hours:minutes') return s ? `${d}-${two(h)}:${two(m)}:${two(s)}` : `${d}-${two(h)}:${two(m)}`;
  return `${d}-${two(h)}:${two(m)}:${two(s)}`;
}
