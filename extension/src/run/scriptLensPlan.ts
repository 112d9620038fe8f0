/**
 * The CodeLens over a batch script's #SBATCH block: "Run locally", one "Submit to <cluster>"
 * per configured cluster (a single "Submit…" that asks, when there are many or none), and
 * "Estimate start" once there is a cluster to ask. Nothing in an untrusted workspace: running
 * and submitting would execute the script.
 */
import { directiveBlockLine } from './runTargets';

export const SCRIPT_LOCALLY_COMMAND = 'hpcJobs.run.scriptLocally';
export const SUBMIT_SCRIPT_COMMAND = 'hpcJobs.run.submitScript';
export const ESTIMATE_START_COMMAND = 'hpcJobs.run.estimateStart';
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
  // One lens whatever the count: with several clusters the command asks which.
  if (options.clusters.length > 0) {
    lenses.push({ line, title: '$(watch) Estimate start', command: ESTIMATE_START_COMMAND, ...(options.clusters.length === 1 ? { cluster: options.clusters[0]! } : {}) });
  }
  return lenses;
}
