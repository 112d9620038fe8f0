/**
 * Where a job's output goes. squeue hands back the --output/--error PATTERN ("arr_%A_%a.out");
 * scontrol expands it. We expand it ourselves, with the runtimes' one pattern expander (as
 * slurmd does it), so the tail can start from one squeue answer, without a
 * `scontrol show job` per job.
 */
import * as path from 'node:path';
import { defaultOutputPattern, expandOutputPattern } from '../outputPattern';
import type { JobRecord } from './jobRecord';

/** First host of a Slurm hostlist: "n[01-04,7],m1" → "n01". */
export function firstNode(hostlist: string): string {
  let depth = 0;
  let end = hostlist.length;
  for (let i = 0; i < hostlist.length; i++) {
    const c = hostlist[i];
    if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === ',' && depth === 0) { end = i; break; }
  }
  const first = hostlist.slice(0, end);
  const m = /^([^[]*)\[([^\]\-,]+)[^\]]*\](.*)$/.exec(first);
  return m ? `${m[1]}${m[2]}${m[3]}` : first;
}

export interface OutputPaths { readonly stdout: string; readonly stderr: string }

/**
 * Absolute stdout/stderr paths of one record. Relative patterns are relative to the job's
 * working folder; no --output means slurm-%j.out (slurm-%A_%a.out for arrays); no --error
 * means stderr goes to the stdout file. Undefined while the folder is unknown.
 */
export function outputPathsOf(r: JobRecord): OutputPaths | undefined {
  if (!r.workDir && !(r.stdout && path.posix.isAbsolute(r.stdout))) return undefined;
  const values = {
    jobId: Number(r.jobId),
    jobName: r.name ?? '',
    user: r.user ?? '',
    node: r.nodes ? firstNode(r.nodes) : '',
    ...(r.arrayJobId ? { arrayJobId: Number(r.arrayJobId) } : {}),
    ...(r.arrayTaskId !== undefined ? { arrayTaskId: r.arrayTaskId } : {}),
  };
  const abs = (p: string): string => (path.posix.isAbsolute(p) ? p : path.posix.join(r.workDir ?? '/', p));
  const out = abs(expandOutputPattern(r.stdout ?? defaultOutputPattern(r.arrayJobId !== undefined), values));
  const err = r.stderr ? abs(expandOutputPattern(r.stderr, values)) : out;
  return { stdout: out, stderr: err };
}
