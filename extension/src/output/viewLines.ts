/**
 * The lines of a view at some positions, as a panel hands them on: from memory, else from the
 * run's log (positions that left memory), else missing. Plain Node.
 */
import type { OutputSource } from '../../../runtimes/src/runtime';
import type { LineView } from './outputModel';
import { goneLine, toWireLine, type WireLine } from './outputProtocol';
import { parseLogLine, type RunLogReader } from './runLogReader';

export interface SourceLine { readonly source: OutputSource; readonly text: string }

/** Positions [first, end) in memory as the webview draws them; those that left memory are `gone`. */
export function memoryLines(view: LineView, first: number, end: number): WireLine[] {
  const out: WireLine[] = [];
  for (let p = Math.max(first, view.firstInMemory); p < end; p++) {
    const line = view.line(p);
    out.push(line ? toWireLine(p, line, line.text) : goneLine(p));
  }
  return out;
}

/**
 * Positions [first, end): from memory, else from `log` when given (the view's numbering is the
 * log's); undefined where neither has it.
 */
export async function viewLines(view: LineView, log: RunLogReader | undefined, first: number, end: number): Promise<(SourceLine | undefined)[]> {
  const out: (SourceLine | undefined)[] = [];
  const firstInMemory = view.firstInMemory;
  if (first < firstInMemory && log) {
    const diskEnd = Math.min(end, firstInMemory);
    const raw = await log.readLines(first, diskEnd - first);
    for (let p = first; p < diskEnd; p++) {
      const r = raw[p - first];
      out.push(r === undefined ? undefined : parseLogLine(r));
    }
  } else {
    for (let p = first; p < Math.min(end, firstInMemory); p++) out.push(undefined);
  }
  for (let p = Math.max(first, firstInMemory); p < end; p++) {
    const line = view.line(p);
    out.push(line ? { source: line, text: line.text } : undefined);
  }
  return out;
}
