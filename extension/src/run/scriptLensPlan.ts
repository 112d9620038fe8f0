/**
 * The CodeLens over a batch script's #SBATCH block: "Run locally" and one "Submit to <cluster>"
 * per configured cluster (a single "Submit…" that asks, when there are many or none). Nothing
 * in an untrusted workspace: both would execute the script.
 */
import { directiveBlockLine } from './runTargets';

export const SCRIPT_LOCALLY_COMMAND = 'hpcJobs.run.scriptLocally';
export const SUBMIT_SCRIPT_COMMAND = 'hpcJobs.run.submitScript';
/** More clusters than this get one "Submit…" lens instead of a lens each. */
export const MAX_CLUSTER_LENSES = 3;

export interface LensPlan {
  readonly line: number;
  readonly title: string;
  readonly command: string;
  /** The cluster a submit lens names. */
  readonly cluster?: string;
}

export function scriptLenses(text: string, options: { readonly trusted: boolean; readonly clusters: readonly string[] }): LensPlan[] {
  if (!options.trusted) return [];
  const line = directiveBlockLine(text);
  if (line === undefined) return [];
  const lenses: LensPlan[] = [{ line, title: '$(play) Run locally', command: SCRIPT_LOCALLY_COMMAND }];
  if (options.clusters.length === 0 || options.clusters.length > MAX_CLUSTER_LENSES) {
    lenses.push({ line, title: '$(cloud-upload) Submit…', command: SUBMIT_SCRIPT_COMMAND });
  } else {
    for (const cluster of options.clusters) lenses.push({ line, title: `$(cloud-upload) Submit to ${cluster}`, command: SUBMIT_SCRIPT_COMMAND, cluster });
  }
  return lenses;
}
