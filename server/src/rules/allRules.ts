/** Every rule, in the order their diagnostics are produced (they are sorted by position after). */
import { checkLauncherTasks, checkOutputFolders, checkSrunCpusPerTask, checkThreadsPassedOn } from './bodyRules';
import { checkAgainstCluster } from './clusterRules';
import { checkDirectiveSyntax, checkIgnoredDirectives } from './directiveRules';
import { checkHetjobComponents } from './hetjobRules';
import { checkMailUserWithoutType, checkMemZeroShared, checkMultiNodeLauncher, checkTrappedSignals } from './jobShapeRules';
import { checkConflicts, checkOptionNames, checkRepeatedOptions, checkRequirements } from './optionRules';
import { checkPbsDirectives } from './pbsRules';
import { checkPlaceholders } from './placeholderRules';
import type { Rule } from './ruleContext';
import { checkScriptShape } from './scriptRules';
import { checkLookalikeDashes, checkSingleDashLongOptions, checkSplitDirectives } from './spellingRules';
import { checkOptionValues } from './valueRules';

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
