/**
 * Messages between a RunHost (the caller's thread) and its worker thread (worker.ts), which
 * runs the local runs. Everything is plain data for structured clone; output travels packed
 * (packedLines.ts) with its typed arrays transferred.
 */
import type { PackedLines } from '../packedLines';
import type { LocalRunSpec } from '../runSpec';
import type { BackendKind, Metric, OutputSource, RunResult, RunState, StateChange } from '../runtime';

export type ToWorker =
  | { readonly type: 'launch'; readonly request: number; readonly spec: LocalRunSpec }
  | { readonly type: 'cancel'; readonly run: string }
  | { readonly type: 'dispose'; readonly run: string }
  /** An output message has been taken in: the worker may send another. */
  | { readonly type: 'ack' };

/** What the caller's side needs to know of a run at once. */
export interface RunInfo {
  readonly id: string;
  readonly backend: BackendKind;
  readonly logPath: string;
  readonly launcherName?: string;
  readonly dir: string;
  readonly state: RunState;
}

/** An error as it crosses threads: a LaunchError keeps its hint. */
export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly hint?: string;
}

export type FromWorker =
  | { readonly type: 'launched'; readonly request: number; readonly run: RunInfo }
  | { readonly type: 'launchFailed'; readonly request: number; readonly error: WireError }
  | { readonly type: 'state'; readonly run: string; readonly change: StateChange }
  /** `sources`: the run's source table entries new since its last output message. To be acknowledged. */
  | { readonly type: 'output'; readonly run: string; readonly sources: readonly OutputSource[]; readonly lines: readonly PackedLines[] }
  | { readonly type: 'metric'; readonly run: string; readonly metric: Metric }
  | { readonly type: 'result'; readonly run: string; readonly result: RunResult };

export function toWireError(err: unknown): WireError {
  if (err instanceof Error) {
    const hint = (err as { hint?: unknown }).hint;
    return { name: err.name, message: err.message, ...(typeof hint === 'string' ? { hint } : {}) };
  }
  return { name: 'Error', message: String(err) };
}
