/** Option values, checked by the per-kind checkers in server/src/values. */
import { checkValue } from '../values';
import type { Rule } from './ruleContext';
import { valueRange } from './ruleContext';

export const checkOptionValues: Rule = (ctx) => {
  for (const use of ctx.reading.uses) {
    if (!use.option || use.problem || use.value === undefined || !use.valueSpan) continue;
    const option = use.option;
    const context = ctx.options.slurmVersion ? { slurmVersion: ctx.options.slurmVersion } : {};
    const result = checkValue(option.type, use.value, option.name, option.values, context);
    for (const issue of result.issues) {
      const fix = issue.replacement === undefined ? undefined
        : { title: `Change to ${issue.replacement}`, preferred: true, edits: [{ range: valueRange(use.valueSpan, 0, use.value.length), newText: issue.replacement }] };
      ctx.report(issue.code, valueRange(use.valueSpan, issue.start ?? 0, issue.end ?? use.value.length), issue.message, fix ? { fixes: [fix] } : {});
    }
  }
};
