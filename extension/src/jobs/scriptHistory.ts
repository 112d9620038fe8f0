/**
 * The figures of a batch script's last runs on each cluster (peak memory, elapsed, CPU use
 * against what was asked), kept in the workspace state so the right-size suggestion survives a
 * reload. Bounded: the last RUNS_KEPT runs per script and cluster, SCRIPTS_KEPT scripts.
 */
import type * as vscode from 'vscode';
import type { JobOutcomeSummary } from './jobEntry';

const KEY = 'hpcJobs.scriptHistory.v1';
const RUNS_KEPT = 10;
const SCRIPTS_KEPT = 200;

/** One finished run's figures. */
export interface RunFigures {
  /** When it ended (ms since the epoch). */
  readonly at: number;
  readonly jobId: string;
  readonly peakMemBytes?: number;
  readonly allocMemBytes?: number;
  readonly elapsedS?: number;
  readonly timeLimitS?: number;
  readonly cpuEfficiency?: number;
  readonly allocCpus?: number;
  readonly nodes?: number;
  readonly outOfMemory?: boolean;
  readonly timedOut?: boolean;
}

type Stored = Record<string, { readonly used: number; readonly runs: readonly RunFigures[] }>;

function keyOf(cluster: string, script: string): string {
  return `${cluster}\u0000${script}`;
}

export class ScriptHistory {
  constructor(private readonly memento: vscode.Memento) {}

  /** Every cluster's runs of a script, newest last. */
  runsOfScript(script: string): readonly (RunFigures & { readonly cluster: string })[] {
    const all = this.memento.get<Stored>(KEY) ?? {};
    return Object.entries(all).flatMap(([k, v]) => {
      const [cluster, file] = k.split('\u0000');
      return file === script ? v.runs.map((r) => ({ ...r, cluster: cluster! })) : [];
    }).sort((a, b) => a.at - b.at);
  }

  record(cluster: string, script: string, run: RunFigures): Thenable<void> {
    const all = { ...(this.memento.get<Stored>(KEY) ?? {}) };
    const k = keyOf(cluster, script);
    const runs = (all[k]?.runs ?? []).filter((r) => r.jobId !== run.jobId);
    all[k] = { used: Date.now(), runs: [...runs, run].slice(-RUNS_KEPT) };
    const keys = Object.keys(all);
    if (keys.length > SCRIPTS_KEPT) {
      for (const old of keys.sort((a, b) => all[a]!.used - all[b]!.used).slice(0, keys.length - SCRIPTS_KEPT)) delete all[old];
    }
    return this.memento.update(KEY, all);
  }
}

/** The figures worth keeping from an outcome, or undefined when it says nothing about size. */
export function figuresOf(jobId: string, at: number, o: JobOutcomeSummary): RunFigures | undefined {
  if (o.elapsedS === undefined && o.peakMemBytes === undefined) return undefined;
  return {
    at, jobId,
    ...(o.peakMemBytes !== undefined ? { peakMemBytes: o.peakMemBytes } : {}),
    ...(o.allocMemBytes !== undefined ? { allocMemBytes: o.allocMemBytes } : {}),
    ...(o.elapsedS !== undefined ? { elapsedS: o.elapsedS } : {}),
    ...(o.timeLimitS !== undefined ? { timeLimitS: o.timeLimitS } : {}),
    ...(o.cpuEfficiency !== undefined ? { cpuEfficiency: o.cpuEfficiency } : {}),
    ...(o.allocCpus !== undefined ? { allocCpus: o.allocCpus } : {}),
    ...(o.nodes !== undefined ? { nodes: o.nodes } : {}),
    ...(o.outOfMemory ? { outOfMemory: true } : {}),
    ...(o.timedOut ? { timedOut: true } : {}),
  };
}
