/** Options that take one word from a fixed list (`values` in the option table). */
import type { ValueChecker } from './valueCheck';
import { flag, listJoin, quote } from './wording';

/** A checker for one list; case-insensitive unless the context says otherwise. */
export function checkEnum(values: readonly string[] | undefined): ValueChecker<string> {
  return (value, optionName, context) => {
    if (!values || values.length === 0) return { issues: [], parsed: value };
    const same = (v: string) => context?.caseSensitive ? v === value : v.toLowerCase() === value.toLowerCase();
    const match = values.find(same);
    if (match !== undefined) return { issues: [], parsed: match };
    const near = !context?.caseSensitive ? undefined : values.find((v) => v.toLowerCase() === value.toLowerCase());
    return {
      issues: [{
        code: 'SBATCH040',
        message: `sbatch rejects this: ${quote(value)} is not a value ${flag(optionName)} accepts (use ${listJoin(values.map(quote), 'or')})` +
          `${near ? `; the case matters: write ${quote(near)}` : ''}.`,
      }],
    };
  };
}
