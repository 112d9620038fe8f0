/** Every rule, in the order their diagnostics are produced (they are sorted by position after). */
import { checkAgainstCluster } from './clusterRules';
import { checkLauncherTasks, checkOutputFolders, checkSrunCpusPerTask, checkThreadsPassedOn } from './bodyRules';
import { checkDirectiveSyntax, checkIgnoredDirectives } from './directiveRules';
import { checkConflicts, checkOptionNames, checkRepeatedOptions, checkRequirements } from './optionRules';
import type { Rule } from './ruleContext';
import { checkScriptShape } from './scriptRules';
import { checkOptionValues } from './valueRules';
import { checkPlaceholders } from './placeholderRules';
import { checkPbsDirectives } from './pbsRules';
import { checkHetjobComponents } from './hetjobRules';
import { checkMailUserWithoutType, checkMemZeroShared, checkMultiNodeLauncher, checkTrappedSignals } from './jobShapeRules';
import { checkLookalikeDashes, checkSingleDashLongOptions, checkSplitDirectives } from './spellingRules';

export const ALL_RULES: readonly Rule[] = [
  checkScriptShape,
  checkDirectiveSyntax,
  checkIgnoredDirectives,
  checkOptionNames,
  checkOptionValues,
  checkPlaceholders,
  checkLookalikeDashes,
  checkSingleDashLongOptions,
  checkSplitDirectives,
  checkRepeatedOptions,
  checkConflicts,
  checkRequirements,
  checkLauncherTasks,
  checkThreadsPassedOn,
  checkSrunCpusPerTask,
  checkOutputFolders,
  checkMailUserWithoutType,
  checkMemZeroShared,
  checkTrappedSignals,
  checkMultiNodeLauncher,
  checkPbsDirectives,
  checkHetjobComponents,
  checkAgainstCluster,
];
