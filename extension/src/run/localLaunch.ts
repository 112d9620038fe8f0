/**
 * Where a local run lives: in a worker thread (runtimes/src/runHost), so that a run printing
 * a million lines costs the extension host one small message per batch, not the reading,
 * splitting, log writing and garbage of every line (issue #5: the host must not stall).
 * A run under a terminal stays on this thread: its keystrokes and raw pty output go back and
 * forth with no hop between, and node-pty is loaded where the terminal is.
 * `HPC_JOBS_RUN_HOST=inline` runs every run on this thread (bench/extensionHost.ts compares).
 */
import * as path from 'node:path';
import { launchLocal as launchInline, RunHost, type LocalRunSpec, type RunHandle } from '../../../runtimes/src/index';
import { wantsTerminal } from './terminalTarget';

/** The built worker, beside this bundle in out/ (esbuild.mjs). */
const WORKER_FILE = 'runWorker.js';

let host: RunHost | undefined;

/** Checks the spec and starts the run; rejects with a LaunchError, nothing left running, when it cannot. */
export function launchLocal(spec: LocalRunSpec): Promise<RunHandle> {
  if (runsInline(spec)) return launchInline(spec);
  host ??= new RunHost(path.join(__dirname, WORKER_FILE));
  return host.launch(spec);
}

function runsInline(spec: LocalRunSpec): boolean {
  return process.env.HPC_JOBS_RUN_HOST === 'inline' || wantsTerminal(spec);
}
