/** Every rule, in the order their diagnostics are produced (they are sorted by position after). */
import { checkAgainstCluster } from './clusterRules';
import { checkLauncherTasks, checkOutputFolders, checkThreadsPassedOn } from './bodyRules';
import { checkDirectiveSyntax, checkIgnoredDirectives } from './directiveRules';
import { checkConflicts, checkOptionNames, checkRepeatedOptions, checkRequirements } from './optionRules';
import type { Rule } from './ruleContext';
import { checkScriptShape } from './scriptRules';
import { checkOptionValues } from './valueRules';

export const ALL_RULES: readonly Rule[] = [
  checkScriptShape,
  checkDirectiveSyntax,
  checkIgnoredDirectives,
  checkOptionNames,
  checkOptionValues,
  checkRepeatedOptions,
  checkConflicts,
  checkRequirements,
  checkLauncherTasks,
  checkThreadsPassedOn,
  checkOutputFolders,
  checkAgainstCluster,
];
