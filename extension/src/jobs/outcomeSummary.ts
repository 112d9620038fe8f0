/** A job's sacct outcome (one job, or an array's tasks) folded into what its entry keeps. No `vscode` here. */
import { usageBadge, type RunUsage } from '../../../runtimes/src/index';
import { arrayBadge, outcomeBadge, type JobOutcome } from '../../../runtimes/src/slurm/index';
import type { JobOutcomeSummary } from './jobEntry';

export function summaryOf(outcomes: readonly JobOutcome[]): JobOutcomeSummary {
  if (outcomes.length === 0) return { badge: '', note: 'not in the cluster\'s accounting' };
  if (outcomes.length > 1 || outcomes[0]!.arrayJobId) {
    const b = arrayBadge(outcomes);
    return {
      badge: b.text, ...(b.warning ? { warning: b.warning } : {}),
      ...(outcomes.some((o) => o.outOfMemory) ? { outOfMemory: true } : {}),
      ...(outcomes.some((o) => o.timedOut) ? { timedOut: true } : {}),
    };
  }
  const o = outcomes[0]!;
  const b = outcomeBadge(o);
  return {
    badge: b.text,
    ...(b.warning ? { warning: b.warning } : {}),
    ...(o.outOfMemory ? { outOfMemory: true } : {}),
    ...(o.timedOut ? { timedOut: true } : {}),
    ...(o.cpuEfficiency !== undefined ? { cpuEfficiency: o.cpuEfficiency } : {}),
    ...(o.peakMemBytes !== undefined ? { peakMemBytes: o.peakMemBytes } : {}),
    ...(o.allocMemBytes !== undefined ? { allocMemBytes: o.allocMemBytes } : {}),
    elapsedS: o.elapsedS,
    ...(o.timeLimitS !== undefined ? { timeLimitS: o.timeLimitS } : {}),
    ...(o.allocCpus !== undefined ? { allocCpus: o.allocCpus } : {}),
    ...(o.nodes !== undefined ? { nodes: o.nodes } : {}),
    ...(o.notes.length ? { note: o.notes.join('; ') } : {}),
  };
}

/** A local run's figures from its processes (runtimes/src/runUsage.ts). */
export function localOutcome(usage: RunUsage, wallMs: number): JobOutcomeSummary {
  const elapsedS = Math.max(0, wallMs / 1000);
  return { badge: usageBadge(usage, elapsedS), peakMemBytes: usage.peakRssBytes, elapsedS, note: 'sampled from this machine\'s processes every 250 ms' };
}
