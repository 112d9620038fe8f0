/**
 * Durations in words, written once for the Jobs view, the output panel, the CLI, accounting
 * figures, start estimates and the linter's messages. Each style keeps the wording its readers
 * know; all take seconds. Here, not in values/, because out/extension.js may not load the
 * linter's checks (test/integration/extensionBundles.test.ts) and runtimes/ imports server/.
 */

const UNITS = [['d', 86400, 'day'], ['h', 3600, 'hour'], ['m', 60, 'minute'], ['s', 1, 'second']] as const;

/** Two units at most, the larger first; below an hour `below` words minutes and seconds. */
function twoUnits(s: number, below: (m: number, sec: number) => string): string {
  if (s < 60) return `${s}s`;
  if (s < 3600) return below(Math.floor(s / 60), s % 60);
  if (s < 86400) return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}

/**
 * A running clock: "45s", "1m 20s", "10m 00s", "2h 05m", "3d 4h" (seconds shown, never rounded
 * up; padded as the figures are, so "after 12m 05s" and "12m 05s/1h 00m" read alike).
 */
export function clockDuration(seconds: number): string {
  return twoUnits(Math.max(0, Math.floor(seconds)), (m, s) => `${m}m ${String(s).padStart(2, '0')}s`);
}

/** An accounting figure: "21s", "12m", "12m 05s", "2h 05m", "1d 3h" (rounded; zero seconds left out). */
export function figureDuration(seconds: number): string {
  return twoUnits(Math.max(0, Math.round(seconds)), (m, s) => `${m}m${s ? ` ${String(s).padStart(2, '0')}s` : ''}`);
}

/** A limit, every part that is not zero: "10m", "1h 30m", "1d 1m", "0s". */
export function limitDuration(seconds: number): string {
  let rest = Math.max(0, Math.round(seconds));
  const parts: string[] = [];
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n) parts.push(`${n}${unit}`);
  }
  return parts.join(' ') || '0s';
}

/** A wait, to the minute: "4 min", "2 h 10 min", "3 d 4 h". */
export function waitDuration(seconds: number): string {
  const min = Math.round(seconds / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return `${h} h${min % 60 ? ` ${min % 60} min` : ''}`;
  return `${Math.floor(h / 24)} d${h % 24 ? ` ${h % 24} h` : ''}`;
}

/** Spelled out, every part that is not zero: "2 days 12 hours", "11 minutes 10 seconds", "0 seconds". */
export function spelledDuration(seconds: number): string {
  if (seconds === 0) return '0 seconds';
  let rest = seconds;
  const parts: string[] = [];
  for (const [, size, word] of UNITS) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n) parts.push(`${n} ${word}${n === 1 ? '' : 's'}`);
  }
  return parts.join(' ');
}
