/**
 * --begin, --deadline: parse_time(arg, 0) in src/common/parse_time.c (22.05); a result of 0
 * is "Invalid --begin specification". Read left to right, later parts overriding earlier ones:
 *
 * - `uts<seconds>` (whole text): a Unix time >= 1000000.
 * - Blanks, `-` and a capital `T` are skipped. (So `Today`, `TOMORROW` and `Teatime` fail:
 *   their `T` is skipped and the rest is no keyword.)
 * - Keywords, any case otherwise: today, tomorrow, midnight (00:00), noon (12:00), fika
 *   (15:00), teatime (16:00); elevenses (11:00) from 24.05.
 * - `now`, then optionally blanks and `+`/`-` count [unit]: units seconds, minutes, hours,
 *   days, weeks (singular or plural, full words: `1h` and `1min` fail); no unit = seconds.
 * - A number followed by `:` within two characters: HH:MM[:SS] with one- or two-digit hours
 *   (0-23), two-digit minutes and seconds (0-59), then optional blanks and AM/PM.
 * - Another number: YYYY-MM-DD (when the 5th and 8th characters are `-`), or MMDD[YY],
 *   MM/DD[/YY], MM.DD[.YY] (month 1-12, day 1-31, a two-digit year means 20YY).
 * A date alone means 00:00; a time alone means its next occurrence; a date without a year
 * its next occurrence. The day is not checked against the month: mktime() rolls it over.
 */
import { isDigit, strtol } from './cNumbers';
import type { ValueChecker, ValueContext, ValueIssue } from './valueCheck';
import { flag, plural, quote, releaseAtLeast } from './wording';

export interface DateTimeSpec {
  /** `uts...`: the Unix time given. */
  readonly epoch?: number;
  /** `now[+-delta]`: seconds from submission. */
  readonly relativeSeconds?: number;
  /** Explicit date parts (month 1-12); year absent = the next occurrence. */
  readonly year?: number;
  readonly month?: number;
  readonly day?: number;
  /** `today` / `tomorrow`. */
  readonly dayWord?: 'today' | 'tomorrow';
  readonly hour?: number;
  readonly minute?: number;
  readonly second?: number;
}

const FORMS = 'use now[+count[seconds|minutes|hours|days|weeks]], today, tomorrow, midnight, noon, fika, teatime, HH:MM[:SS][AM|PM], MMDD[YY], MM/DD[/YY] or YYYY-MM-DD[THH:MM[:SS]]';

const UNITS: readonly [string, number][] = [
  ['seconds', 1], ['second', 1], ['minutes', 60], ['minute', 60], ['hours', 3600], ['hour', 3600],
  ['days', 86400], ['day', 86400], ['weeks', 604800], ['week', 604800],
];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

class Fail { constructor(readonly pos: number, readonly why?: string) {} }

interface State {
  month: number; day: number; year: number; hour: number; minute: number; second: number;
  relative?: number; dayWord?: 'today' | 'tomorrow'; timeWord?: string;
}

const two = (n: number) => String(n).padStart(2, '0');

export const checkDateTime: ValueChecker<DateTimeSpec> = (value, optionName, context) => {
  const opt = flag(optionName);
  const invalid = (pos: number, why?: string) => ({
    issues: [{
      code: 'SBATCH040' as const,
      message: `sbatch rejects this: ${why ?? `${quote(value)} is not a date or time sbatch understands`} (${FORMS}). sbatch says: Invalid ${opt} specification.`,
      ...(value.length > 0 ? { start: Math.min(pos, value.length - 1), end: value.length } : {}),
    }],
  });

  if (value.slice(0, 3).toLowerCase() === 'uts') {
    const n = strtol(value, 3);
    if (!n.digits || n.end !== value.length || n.value < 1000000n || n.overflow) return invalid(3, 'after `uts` comes a Unix time in seconds (at least 1000000)');
    const epoch = Number(n.value);
    return { issues: [], meaning: `Unix time ${epoch} (${new Date(epoch * 1000).toISOString().replace('.000Z', ' UTC')})`, parsed: { epoch } };
  }

  const st: State = { month: -1, day: -1, year: -1, hour: -1, minute: -1, second: 0 };
  try {
    parse(value, st, context);
  } catch (e) {
    if (e instanceof Fail) return invalid(e.pos, e.why);
    throw e;
  }
  if (st.hour === -1 && st.month === -1 && st.relative === undefined) {
    return invalid(0, value.trim() === '' ? `an empty ${opt} means no time at all` : undefined);
  }

  const issues: ValueIssue[] = [];
  if (st.month >= 0 && st.dayWord === undefined && st.relative === undefined) {
    const year = st.year >= 0 ? st.year : 2024; // a leap year: Feb 29 may be valid
    const days = new Date(Date.UTC(year, st.month + 1, 0)).getUTCDate();
    if (st.day > days) {
      issues.push({
        code: 'SBATCH112',
        message: `${MONTHS[st.month]} has no day ${st.day}${st.year >= 0 ? ` in ${st.year}` : ''}: sbatch accepts it and rolls over into the next month.`,
      });
    }
  }
  return { issues, meaning: describe(st), parsed: toSpec(st) };
};

function parse(s: string, st: State, context?: ValueContext): void {
  const lower = s.toLowerCase();
  const keywords: readonly [string, () => void][] = [
    ['today', () => { st.dayWord = 'today'; st.month = st.day = st.year = -2; }],
    ['tomorrow', () => { st.dayWord = 'tomorrow'; st.month = st.day = st.year = -2; }],
    ['midnight', () => setTime(st, 0, 'midnight')],
    ['noon', () => setTime(st, 12, 'noon')],
    ...(releaseAtLeast(context, '24.05') ? [['elevenses', () => setTime(st, 11, 'elevenses')] as [string, () => void]] : []),
    ['fika', () => setTime(st, 15, 'fika')],
    ['teatime', () => setTime(st, 16, 'teatime')],
  ];
  let pos = 0;
  outer: while (pos < s.length) {
    const ch = s[pos]!;
    if (ch === ' ' || ch === '\t' || ch === '-' || ch === 'T') { pos++; continue; }
    if (ch === '\n') break;
    for (const [word, apply] of keywords) {
      if (lower.startsWith(word, pos)) {
        apply();
        st.relative = undefined;
        pos += word.length;
        continue outer;
      }
    }
    if (lower.startsWith('now', pos)) {
      let i = pos + 3;
      let delta = 0;
      for (;;) {
        const c = s[i];
        if (c === '+' || c === '-') {
          const d = getDelta(s, i);
          delta = c === '-' ? -d.delta : d.delta;
          i = d.next;
          break;
        }
        if (c === ' ' || c === '\t') { i++; continue; }
        if (c === undefined || c === '\n') break;
        throw new Fail(i, `${quote(s.slice(pos, i + 1))}: after \`now\` only +count[unit] or -count[unit] may follow`);
      }
      st.relative = delta;
      st.dayWord = undefined;
      st.timeWord = undefined;
      st.month = st.day = st.year = st.hour = st.minute = -2;
      pos = i;
      continue;
    }
    if (!isDigit(ch)) {
      const word = s.slice(pos).split(/[\s\-+:]/)[0]!;
      if (pos > 0 && s[pos - 1] === 'T') {
        throw new Fail(pos - 1, `sbatch skips a capital \`T\` (it separates date and time), so ${quote(`T${word}`)} reads as ${quote(word)}; write the keyword in lower case`);
      }
      throw new Fail(pos, /^[a-z]/i.test(ch) ? `${quote(word)} is not a keyword sbatch knows` : undefined);
    }
    if (s[pos + 1] === ':' || s[pos + 2] === ':') pos = getTime(s, pos, st);
    else pos = getDate(s, pos, st);
  }
}

function setTime(st: State, hour: number, word: string): void {
  st.hour = hour;
  st.minute = 0;
  st.second = 0;
  st.timeWord = word;
}

/** _get_delta(): count and optional unit after `now+`; returns where parsing goes on. */
function getDelta(s: string, sign: number): { delta: number; next: number } {
  let cnt = 0;
  let digits = 0;
  let k = sign + 1;
  for (; k < s.length && s[k] !== '\n'; k++) {
    if (/\s/.test(s[k]!)) continue;
    const unit = UNITS.find(([u]) => s.slice(k, k + u.length).toLowerCase() === u);
    if (unit) {
      cnt *= unit[1];
      k += unit[0].length;
      if (!digits) throw new Fail(sign, 'a number must come before the unit');
      return { delta: cnt, next: k };
    }
    if (isDigit(s[k])) { cnt = cnt * 10 + Number(s[k]); digits++; continue; }
    throw new Fail(k, `${quote(s.slice(k).split(/[+\-\s]/)[0]!)} is not a unit: use seconds, minutes, hours, days or weeks, spelled out (e.g. now+1hour)`);
  }
  if (!digits) throw new Fail(sign, `nothing follows ${quote(s[sign]!)}: write e.g. now+1hour`);
  return { delta: cnt, next: k };
}

/** _get_time(): HH:MM[:SS] [AM|PM]. */
function getTime(s: string, start: number, st: State): number {
  let k = start;
  const fail = (why?: string) => { throw new Fail(k, why ?? `${quote(s.slice(start))} is not a time: write HH:MM or HH:MM:SS (24-hour, or with AM/PM)`); };
  let hr = Number(s[k++]);
  if (s[k] !== ':') {
    if (!isDigit(s[k])) fail();
    hr = hr * 10 + Number(s[k++]);
  }
  if (hr > 23) { k -= 2; fail(`hour ${hr} is not 0-23`); }
  if (s[k] !== ':') fail();
  k++;
  if (!isDigit(s[k]) || !isDigit(s[k + 1])) fail('minutes need two digits');
  const min = Number(s.slice(k, k + 2));
  k += 2;
  if (min > 59) { k -= 2; fail(`minute ${min} is not 0-59`); }
  let sec = 0;
  if (s[k] === ':') {
    k++;
    if (!isDigit(s[k]) || !isDigit(s[k + 1])) fail('seconds need two digits');
    sec = Number(s.slice(k, k + 2));
    k += 2;
    if (sec > 59) { k -= 2; fail(`second ${sec} is not 0-59`); }
  }
  let j = k;
  while (/\s/.test(s[j] ?? '')) j++;
  const ampm = s.slice(j, j + 2).toLowerCase();
  if (ampm === 'pm') {
    hr += 12;
    if (hr > 23) { if (hr === 24) hr = 12; else { k = j; fail(`${hr - 12}:${two(min)} PM is not a time (the hour must be 1-12 with PM)`); } }
    k = j + 2;
  } else if (ampm === 'am') {
    if (hr > 11) { if (hr === 12) hr = 0; else { k = j; fail(`${hr}:${two(min)} AM is not a time (the hour must be 1-12 with AM)`); } }
    k = j + 2;
  }
  st.hour = hr;
  st.minute = min;
  st.second = sec;
  st.timeWord = undefined;
  if (st.relative !== undefined) { st.relative = undefined; st.month = st.day = st.year = -1; }
  return k;
}

/** _get_date(): YYYY-MM-DD, or MMDD[YY] / MM/DD[/YY] / MM.DD[.YY]. */
function getDate(s: string, start: number, st: State): number {
  let k = start;
  const fail = (why: string) => { throw new Fail(k, why); };
  if (s.length >= start + 7 && s[start + 4] === '-' && s[start + 7] === '-') {
    for (let i = 0; i < 4; i++) if (!isDigit(s[k + i])) { k += i; fail('the year needs four digits (YYYY-MM-DD)'); }
    const yr = Number(s.slice(k, k + 4));
    k += 5;
    let mon = s.charCodeAt(k++) - 48;
    if (isDigit(s[k])) mon = mon * 10 + Number(s[k++]);
    if (mon < 1 || mon > 12) { k -= 2; fail('the month must be 01-12 (YYYY-MM-DD)'); }
    k++;
    if (!isDigit(s[k])) fail('the day is missing (YYYY-MM-DD)');
    let day = Number(s[k++]);
    if (isDigit(s[k])) day = day * 10 + Number(s[k++]);
    if (day < 1 || day > 31) { k -= 2; fail(`day ${day} is not 1-31`); }
    setDate(st, mon - 1, day, yr);
    return k;
  }
  if (/^\d{4}-/.test(s.slice(start))) {
    fail(`${quote(s.slice(start).split(/[T\s]/)[0]!)} is not a date: write YYYY-MM-DD with a two-digit month, e.g. 2025-01-05`);
  }
  let mon = Number(s[k++]);
  if (isDigit(s[k])) mon = mon * 10 + Number(s[k++]);
  if (mon < 1 || mon > 12) {
    k -= 2;
    fail(`${quote(s.slice(start).split(/[^0-9./]/)[0]!)} is not a date: numbers without \`:\` are read as MMDD[YY] or MM/DD[/YY] (month first)`);
  }
  if (s[k] === '.' || s[k] === '/') k++;
  if (!isDigit(s[k])) fail('the day is missing (MM/DD)');
  let day = Number(s[k++]);
  if (isDigit(s[k])) day = day * 10 + Number(s[k++]);
  if (day < 1 || day > 31) { k -= 2; fail(`day ${day} is not 1-31`); }
  if (s[k] === '.' || s[k] === '/') k++;
  let year = -1;
  if (isDigit(s[k])) {
    const y1 = Number(s[k++]);
    if (!isDigit(s[k])) fail('the year needs two digits (MM/DD/YY)');
    year = 2000 + y1 * 10 + Number(s[k++]);
    if (isDigit(s[k])) fail('the year has two digits here (MM/DD/YY); for a four-digit year write YYYY-MM-DD');
  }
  setDate(st, mon - 1, day, year);
  return k;
}

function setDate(st: State, month: number, day: number, year: number): void {
  st.month = month;
  st.day = day;
  if (year >= 0) st.year = year;
  st.dayWord = undefined;
  if (st.relative !== undefined) { st.relative = undefined; st.hour = st.minute = -1; st.second = 0; }
}

function describeDelta(seconds: number): string {
  if (seconds === 0) return 'at submission (now)';
  if (seconds < 0) return 'immediately (the time given is in the past)';
  for (const [unit, size] of [['week', 604800], ['day', 86400], ['hour', 3600], ['minute', 60]] as const) {
    if (seconds % size === 0) return `${plural(seconds / size, unit)} after submission`;
  }
  return `${plural(seconds, 'second')} after submission`;
}

function describe(st: State): string {
  if (st.relative !== undefined) return describeDelta(st.relative);
  const clock = st.hour >= 0 ? `${two(st.hour)}:${two(st.minute)}${st.second ? `:${two(st.second)}` : ''}` : '00:00';
  const time = st.timeWord ? `${st.timeWord} (${clock})` : clock;
  if (st.dayWord) return `${st.dayWord} at ${time}`;
  if (st.month >= 0) {
    const date = st.year >= 0 ? `${st.year}-${two(st.month + 1)}-${two(st.day)}` : `the next ${MONTHS[st.month]} ${st.day}`;
    return `${date} at ${time}`;
  }
  return `the next ${time}${st.timeWord ? '' : ' (today or tomorrow)'}`;
}

function toSpec(st: State): DateTimeSpec {
  if (st.relative !== undefined) return { relativeSeconds: st.relative };
  return {
    ...(st.dayWord ? { dayWord: st.dayWord } : {}),
    ...(st.month >= 0 ? { month: st.month + 1, day: st.day } : {}),
    ...(st.year >= 0 ? { year: st.year } : {}),
    ...(st.hour >= 0 ? { hour: st.hour, minute: st.minute, second: st.second } : { hour: 0, minute: 0, second: 0 }),
  };
}
