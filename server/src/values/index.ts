/**
 * One entry point for every option value: `checkValue(type, value, optionName, values?)`
 * picks the checker for the option's ValueType (see options/optionTypes.ts). Each checker
 * follows what Slurm's own parser accepts (22.05 unless `context.slurmVersion` says
 * otherwise) and explains the value for hover.
 */
import type { ValueType } from '../options/optionTypes';
import { CODES } from '../rules/codes';
import { checkArray } from './array';
import { checkCount, checkCount0, checkInteger } from './counts';
import { checkCpuFreq } from './cpuFreq';
import { checkDateTime } from './datetime';
import { checkDependency } from './dependency';
import { checkDistribution } from './distribution';
import { checkEnum } from './enumValue';
import { checkExclusive } from './exclusive';
import { checkFilePattern } from './filePattern';
import { checkGpus, checkGres } from './gres';
import { checkMailType } from './mailType';
import { checkMemory } from './memory';
import { checkNodeList } from './nodelist';
import { checkNodes } from './nodes';
import { checkSignal } from './signal';
import { checkTime } from './time';
import type { ValueCheck, ValueChecker, ValueContext } from './valueCheck';

export type { ValueCheck, ValueChecker, ValueContext, ValueIssue } from './valueCheck';
export type { ArraySpec } from './array';
export type { CpuFreq } from './cpuFreq';
export type { DateTimeSpec } from './datetime';
export type { DependencyItem, DependencyJob, DependencySpec, DependencyType } from './dependency';
export type { Distribution } from './distribution';
export type { ExclusiveMode } from './exclusive';
export type { FilePattern } from './filePattern';
export type { GresRequest } from './gres';
export type { MailTypes } from './mailType';
export type { NodeList } from './nodelist';
export type { NodeCount } from './nodes';
export type { SignalSpec } from './signal';

import { checkRlimits } from './rlimits';

const noCheck: ValueChecker = () => ({ issues: [] });

/** The checker for each kind; `enum` is built per call from the option's values. */
export const CHECKERS: Readonly<Record<Exclude<ValueType, 'enum'>, ValueChecker>> = {
  time: checkTime,
  memory: checkMemory,
  count: checkCount,
  count0: checkCount0,
  integer: checkInteger,
  nodes: checkNodes,
  signal: checkSignal,
  mailType: checkMailType,
  array: checkArray,
  dependency: checkDependency,
  gres: checkGres,
  gpus: checkGpus,
  exclusive: checkExclusive,
  filePattern: checkFilePattern,
  path: noCheck,
  datetime: checkDateTime,
  nodelist: checkNodeList,
  distribution: checkDistribution,
  cpuFreq: checkCpuFreq,
  rlimits: checkRlimits,
  string: noCheck,
};

/**
 * Check one option value. `optionName` is the long name with or without dashes (`time`,
 * `--time`); `values` lists the accepted words for `enum`. Offsets in the issues are relative
 * to `value`.
 */
export function checkValue(
  type: ValueType,
  value: string,
  optionName: string,
  values?: readonly string[],
  context?: ValueContext,
): ValueCheck {
  const checker = type === 'enum' ? checkEnum(values) : CHECKERS[type];
  const result = checker(value, optionName, context);
  // The contract: no meaning or parsed value for a value that is rejected.
  if (result.issues.some((i) => CODES[i.code].severity === 'error') && (result.meaning !== undefined || result.parsed !== undefined)) {
    return { issues: result.issues };
  }
  return result;
}
