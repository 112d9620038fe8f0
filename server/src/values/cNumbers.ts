/**
 * How glibc's strtol / strtoul / strtoull read a base-10 number in the C locale: leading
 * white space, an optional sign, digits; `end` is where C's end pointer would point (the start
 * itself when no digit was read). Slurm's parsers lean on these, quirks included, so the
 * checkers reproduce them rather than using Number().
 */

export const LONG_MAX = 2n ** 63n - 1n;
export const LONG_MIN = -(2n ** 63n);
export const ULONG_MAX = 2n ** 64n - 1n;
export const INT_MAX = 2 ** 31 - 1;

export interface CNumber {
  /** The value C returns (clamped on overflow, wrapped for a negative unsigned). */
  readonly value: bigint;
  /** Offset just past the number; `start` when there were no digits. */
  readonly end: number;
  /** Whether any digit was read. */
  readonly digits: boolean;
  /** ERANGE: the magnitude did not fit. */
  readonly overflow: boolean;
}

export function isCSpace(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\v' || ch === '\f' || ch === '\r';
}

export function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

function scan(text: string, start: number): { negative: boolean; magnitude: bigint; end: number; digits: boolean } {
  let i = start;
  while (isCSpace(text[i])) i++;
  let negative = false;
  if (text[i] === '+' || text[i] === '-') {
    negative = text[i] === '-';
    i++;
  }
  const first = i;
  while (isDigit(text[i])) i++;
  if (i === first) return { negative: false, magnitude: 0n, end: start, digits: false };
  return { negative, magnitude: BigInt(text.slice(first, i)), end: i, digits: true };
}

/** strtol(text + start, &end, 10) on a 64-bit `long`. */
export function strtol(text: string, start = 0): CNumber {
  const s = scan(text, start);
  if (!s.negative && s.magnitude > LONG_MAX) return { value: LONG_MAX, end: s.end, digits: s.digits, overflow: true };
  if (s.negative && -s.magnitude < LONG_MIN) return { value: LONG_MIN, end: s.end, digits: s.digits, overflow: true };
  return { value: s.negative ? -s.magnitude : s.magnitude, end: s.end, digits: s.digits, overflow: false };
}

/** strtoul / strtoull(text + start, &end, 10) on 64 bits: a negative number wraps around. */
export function strtoul(text: string, start = 0): CNumber {
  const s = scan(text, start);
  if (s.magnitude > ULONG_MAX) return { value: ULONG_MAX, end: s.end, digits: s.digits, overflow: true };
  const value = s.negative && s.magnitude !== 0n ? ULONG_MAX + 1n - s.magnitude : s.magnitude;
  return { value, end: s.end, digits: s.digits, overflow: false };
}

/** C's conversion of a 64-bit integer to a 32-bit `int` (keeps the low 32 bits). */
export function toInt32(v: bigint): number {
  return Number(BigInt.asIntN(32, v));
}

/** C's conversion to `uint32_t`. */
export function toUint32(v: bigint): number {
  return Number(BigInt.asUintN(32, v));
}

/** C's conversion to `uint16_t`. */
export function toUint16(v: bigint): number {
  return Number(BigInt.asUintN(16, v));
}

/** atoi(): strtol truncated to `int`. */
export function atoi(text: string, start = 0): number {
  return toInt32(strtol(text, start).value);
}
