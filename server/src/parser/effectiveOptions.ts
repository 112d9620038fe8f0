/** The options a job component ends up with: sbatch lets the last occurrence win. */
import { sameOptionAs } from '../options/sbatchOptions';
import { checkValue } from '../values';
import type { OptionReading, OptionUse } from './optionReader';

export function effectiveOptions(reading: OptionReading, component = 0): Map<string, OptionUse> {
  const result = new Map<string, OptionUse>();
  for (const use of reading.uses) {
    if (use.component === component && use.option && !use.problem) result.set(sameOptionAs(use.option.name), use);
  }
  return result;
}

/** A positive whole number, or undefined when the value is absent or not a plain integer. */
export function intValue(use: OptionUse | undefined): number | undefined {
  if (!use?.value || !/^\d+$/.test(use.value)) return undefined;
  const n = Number(use.value);
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * What the value checker made of a use's value (minutes, MB, a count...), or undefined when it is
 * absent or rejected: checkValue gives no parsed value for a value with errors.
 */
export function parsedValue<T>(use: OptionUse | undefined): T | undefined {
  if (!use?.option || use.value === undefined) return undefined;
  return checkValue(use.option.type, use.value, use.option.name, use.option.values).parsed as T | undefined;
}

/** The job components that have option uses, in order of first appearance. */
export function componentsOf(reading: OptionReading): number[] {
  return [...new Set(reading.uses.map((u) => u.component))];
}
