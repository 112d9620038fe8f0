/** The options a job component ends up with: sbatch lets the last occurrence win. */
import type { OptionReading, OptionUse } from './optionReader';

export function effectiveOptions(reading: OptionReading, component = 0): Map<string, OptionUse> {
  const result = new Map<string, OptionUse>();
  for (const use of reading.uses) {
    if (use.component === component && use.option && !use.problem) result.set(use.option.name, use);
  }
  return result;
}

/** A positive whole number, or undefined when the value is absent or not a plain integer. */
export function intValue(use: OptionUse | undefined): number | undefined {
  if (!use?.value || !/^\d+$/.test(use.value)) return undefined;
  const n = Number(use.value);
  return Number.isSafeInteger(n) ? n : undefined;
}
