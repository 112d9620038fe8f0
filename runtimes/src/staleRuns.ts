/**
 * Runs whose launcher was killed. A run's record (run.json) says "running" until the process
 * that runs it writes the end; `kill -9` of that process (the CLI, an extension host) means it
 * never does. The record names its launcher by pid and start time, so a later look can tell a
 * live run from a dead one even after the pid is reused, and mark it ended with the reason.
 */
import { lstatSync, readdirSync } from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { processStartTicks } from './processTree';
import { readSmallFile, writePrivateFile } from './privateFiles';
import type { Launcher, RunRecord } from './runLog';
import { FINAL_STATES, type RunResult } from './runtime';

/** How many of the most recent runs in a log folder are looked at: older ones were seen by earlier runs. */
export const RECENT_RUNS = 40;

/** Large enough for any record (a spec with long argument lists), small enough to read at once. */
const MAX_RECORD_BYTES = 4 * 1024 * 1024;

/** `tasks-20240601-101500-3fa2` (runLog.ts newRunId): the time stamp sorts them. */
const RUN_ID = /^[a-z][a-z-]*-(\d{8}-\d{6})-[0-9a-f]+$/;

/** The one wording of a killed launcher, for the record, the CLI and the Jobs view alike. */
export function launcherKilledSummary(pid: number): string {
  return `the launcher was killed (pid ${pid}); output up to then is in output.log`;
}

/** This process, as a run's record names it. */
export function thisLauncher(): Launcher | undefined {
  const startTicks = processStartTicks(process.pid);
  return startTicks === undefined ? undefined : { pid: process.pid, startTicks, host: hostname() };
}

/**
 * Whether the process a record names has ended (its pid is gone, or now belongs to a later
 * process). Only a launcher on this machine can be told: a home folder shared by several login
 * nodes holds runs of the others too.
 */
export function launcherGone(l: Launcher): boolean {
  return l.host === hostname() && processStartTicks(l.pid) !== l.startTicks;
}

/** A run's record, or undefined when it is missing, a link, too large or not a record. */
export function readRunRecord(runDir: string): RunRecord | undefined {
  const text = readSmallFile(path.join(runDir, 'run.json'), MAX_RECORD_BYTES);
  if (text === undefined) return undefined;
  try {
    const r = JSON.parse(text) as Partial<RunRecord> | null;
    return r && typeof r === 'object' && typeof r.id === 'string' && typeof r.state === 'string' ? r as RunRecord : undefined;
  } catch {
    return undefined;
  }
}

export interface StaleRun {
  readonly id: string;
  readonly dir: string;
  readonly launcher: Launcher;
  /** What the record now says. */
  readonly result: RunResult;
}

function isLauncher(l: unknown): l is Launcher {
  const x = l as Partial<Launcher> | undefined;
  return typeof x?.pid === 'number' && Number.isInteger(x.pid) && x.pid > 0 && typeof x.startTicks === 'number' && typeof x.host === 'string';
}

/**
 * A run folder that only this user could have written: ours, not a link, closed to others. A
 * record in a shared log folder may be another user's forgery naming one of our live runs
 * (its id is in `ps`): marking it would end that run.
 */
function ownFolder(runDir: string): boolean {
  try {
    const st = lstatSync(runDir);
    const uid = process.getuid?.();
    return st.isDirectory() && (uid === undefined || st.uid === uid) && (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/**
 * Marks the run in `runDir` as failed when its record says it runs but its launcher is gone.
 * Records written before launchers were recorded are left as they are: nothing tells. So is a
 * record in a folder not ours alone, or whose id is not its folder's name.
 */
export function markIfStale(runDir: string): StaleRun | undefined {
  if (!ownFolder(runDir)) return undefined;
  const before = readRunRecord(runDir);
  if (!before || before.id !== path.basename(runDir)) return undefined;
  if (FINAL_STATES.has(before.state) || !isLauncher(before.launcher) || !launcherGone(before.launcher)) return undefined;
  // Read again: the launcher may have written the end just before it exited. Gone now, it writes nothing more.
  const record = readRunRecord(runDir);
  if (!record || record.id !== before.id || FINAL_STATES.has(record.state) || !isLauncher(record.launcher)) return undefined;
  const launcher = record.launcher;
  const result: RunResult = { state: 'failed', exits: [], endedAt: Date.now(), summary: launcherKilledSummary(launcher.pid) };
  try {
    writePrivateFile(path.join(runDir, 'run.json'), JSON.stringify({ ...record, state: 'failed', result }, null, 2) + '\n');
  } catch {
    return undefined; // not ours to write (another user's folder, a full disk): leave it
  }
  return { id: record.id, dir: runDir, launcher, result };
}

/** The most recent runs in `logDir` (but `except`, the caller's own) that were left running by a killed launcher, now marked. */
export function markStaleRuns(logDir: string, except?: string): StaleRun[] {
  let names: string[];
  try { names = readdirSync(logDir); } catch { return []; }
  const recent = names
    .map((name) => ({ name, stamp: RUN_ID.exec(name)?.[1] }))
    .filter((r): r is { name: string; stamp: string } => r.stamp !== undefined && r.name !== except)
    .sort((a, b) => (a.stamp === b.stamp ? (a.name < b.name ? 1 : -1) : a.stamp < b.stamp ? 1 : -1))
    .slice(0, RECENT_RUNS);
  const stale: StaleRun[] = [];
  for (const r of recent) {
    const s = markIfStale(path.join(logDir, r.name));
    if (s) stale.push(s);
  }
  return stale;
}

/**
 * How a run that is no longer followed ended, from its folder: what its record says, after
 * marking it if its launcher was killed (the Jobs view after the window's extension host died).
 * Undefined while it still runs, or when the record does not tell.
 */
export function recordedEnd(runDir: string): RunResult | undefined {
  const marked = markIfStale(runDir);
  if (marked) return marked.result;
  const record = readRunRecord(runDir);
  return record && FINAL_STATES.has(record.state) && record.result && typeof record.result.summary === 'string' ? record.result : undefined;
}
