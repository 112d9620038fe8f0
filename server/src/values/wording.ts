/** Small pieces of wording shared by the value checkers' messages and hover texts. */
import type { ValueContext } from './valueCheck';

/** `time` or `--time` → `--time`. */
export function flag(optionName: string): string {
  return `--${optionName.replace(/^-+/, '')}`;
}

/** Option name without dashes. */
export function bare(optionName: string): string {
  return optionName.replace(/^-+/, '');
}

/** `1 minute`, `2 minutes`. */
export function plural(n: number | bigint, unit: string, units = `${unit}s`): string {
  return `${n} ${n === 1 || n === 1n ? unit : units}`;
}

/** `a`, `a and b`, `a, b and c`. */
export function listJoin(items: readonly string[], conjunction = 'and'): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

/** Inline code in a message. */
export function quote(text: string): string {
  return `\`${text}\``;
}

/**
 * Whether the targeted Slurm release is `release` or newer. Without a target the checkers
 * follow 22.05, so this is false.
 */
export function releaseAtLeast(context: ValueContext | undefined, release: string): boolean {
  const target = context?.slurmVersion !== undefined ? releaseNumber(context.slurmVersion) : Number.NaN;
  return !Number.isNaN(target) && target >= releaseNumber(release);
}

function releaseNumber(version: string): number {
  const m = /(\d{2})[.-](\d{1,2})/.exec(version);
  return m ? Number(m[1]) * 100 + Number(m[2]) : Number.NaN;
}
