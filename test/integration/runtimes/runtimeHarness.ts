/**
 * Shared by the runtime tests: real programs, temporary folders, waiting for output (never for
 * a fixed time), and an independent look at /proc to prove that no process of a run survives.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { launchLocal, type LocalRun, type LocalRunSpec } from '../../../runtimes/src/index';
import type { OutputLine, RunHandle } from '../../../runtimes/src/runtime';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const PROGRAMS = path.join(ROOT, 'test', 'fixtures', 'programs');
export const EXAMPLES = path.join(ROOT, 'examples');
export const program = (name: string) => path.join(PROGRAMS, name);

/** The Debian interpreter has mpi4py and numba; the first python3 on PATH may not. */
export const SYSTEM_PYTHON = '/usr/bin/python3';

/** Where the runtimes must be proven (CI): a missing mpirun or interpreter fails instead of skipping. */
export const REQUIRE_ALL = process.env.CI === 'true' || process.env.HPC_JOBS_REQUIRE_ALL === '1';

export function has(command: string, args: readonly string[] = ['--version']): boolean {
  try { execFileSync(command, [...args], { stdio: 'ignore', timeout: 30_000 }); return true; } catch { return false; }
}

export function pythonHas(python: string, module: string): boolean {
  return has(python, ['-c', `import ${module}`]);
}

/** `describe` options: skip with the reason, unless everything is required here. */
export function needs(ok: boolean, what: string): { skip?: string } {
  return ok || REQUIRE_ALL ? {} : { skip: `${what} is not available here` };
}

/** Temporary folders and runs of one test file; `clean` (in `after`) cancels runs a failed test left behind. */
export class TempDirs {
  private readonly dirs: string[] = [];
  private readonly runs: RunHandle[] = [];
  track<T extends RunHandle>(run: T): T {
    this.runs.push(run);
    return run;
  }
  /** launchLocal with a fresh log folder, cancelled at the end if a failed test left it running. */
  async launch(spec: LocalRunSpec): Promise<LocalRun> {
    return this.track(await launchLocal({ logDir: this.make(), ...spec }));
  }
  make(prefix = 'hpc-jobs-rt-'): string {
    const d = mkdtempSync(path.join(os.tmpdir(), prefix));
    this.dirs.push(d);
    return d;
  }
  /** A copy of examples/: batch scripts write their output files next to themselves. */
  examples(): string {
    const d = this.make('hpc-jobs-examples-');
    cpSync(EXAMPLES, d, { recursive: true });
    return d;
  }
  async clean(): Promise<void> {
    await Promise.all(this.runs.splice(0).map((r) => r.cancel()));
    for (const d of this.dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  }
}

/** Every line a run delivers, in order, from the moment of the call. */
export function collect(run: RunHandle): OutputLine[] {
  const lines: OutputLine[] = [];
  run.onDidOutput((batch) => { lines.push(...batch); });
  return lines;
}

/** Resolves with the first line (already delivered or still to come) that matches. */
export function waitForLine(run: RunHandle, re: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    for (const l of run.tail?.() ?? []) {
      const m = re.exec(l.text);
      if (m) { resolve(m); return; }
    }
    const timer = setTimeout(() => { sub.dispose(); reject(new Error(`no line matching ${re} within ${timeoutMs} ms`)); }, timeoutMs);
    const sub = run.onDidOutput((batch) => {
      for (const l of batch) {
        const m = re.exec(l.text);
        if (m) { clearTimeout(timer); sub.dispose(); resolve(m); return; }
      }
    });
    void run.result.then(() => { clearTimeout(timer); sub.dispose(); reject(new Error(`the run ended without a line matching ${re}`)); });
  });
}

/** A process exists and is not a zombie, read straight from /proc. */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return !/^\S+ \(.*\) [ZX] /s.test(stat);
  } catch {
    return false;
  }
}

/**
 * Live processes whose environment carries the run's marker (HPC_JOBS_RUN_ID=<run id>/...):
 * an independent check, written without the runtime's own /proc code.
 */
export function processesOfRun(runId: string): number[] {
  const needle = `HPC_JOBS_RUN_ID=${runId}/`;
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const env = readFileSync(`/proc/${name}/environ`, 'latin1');
      if ((env.startsWith(needle) || env.includes('\0' + needle)) && alive(Number(name))) found.push(Number(name));
    } catch { /* gone */ }
  }
  return found;
}

export function logLines(run: RunHandle): string[] {
  return readFileSync(run.logPath, 'utf8').split('\n').filter((l, i, a) => l !== '' || i < a.length - 1);
}

/** Resolves once `done()` holds (another process's exit has no event to wait for: look again every 20 ms). */
export async function until(done: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Runs `f` with HPC_JOBS_SPAWNER set (read when a run begins, so kept until it ends). */
export async function withSpawner<T>(value: string, f: () => Promise<T>): Promise<T> {
  const before = process.env.HPC_JOBS_SPAWNER;
  process.env.HPC_JOBS_SPAWNER = value;
  try { return await f(); } finally {
    if (before === undefined) delete process.env.HPC_JOBS_SPAWNER; else process.env.HPC_JOBS_SPAWNER = before;
  }
}
