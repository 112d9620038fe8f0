/**
 * The MPI backend: N ranks through the mpirun/mpiexec on PATH (or a configured one), output
 * split per rank, and each rank's own exit code.
 *
 * Every rank runs under a tiny `sh` wrapper that knows its rank from the MPI's environment
 * (OMPI_COMM_WORLD_RANK, PMI_RANK, PMIX_RANK). It sends the rank's stdout and stderr to files
 * of its own, which we read as they grow (lossless, unlike Open MPI 4.1's --tag-output under
 * load; see rankOutputFiles.ts), and records the rank's exit status, since mpirun reports
 * one code for the whole job. A rank without a status was ended from outside (mpirun stops
 * the others when one fails; a timeout; a cancel). `rankOutput: 'tags'` lets the launcher
 * tag lines instead (--tag-output / -prepend-rank), which keeps the order across ranks.
 */
import { execFile } from 'node:child_process';
import { closeSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { constants } from 'node:os';
import * as path from 'node:path';
import { findExecutable } from './executables';
import { LocalRun } from './localRun';
import { mpirunArgs, parseMpiVersion, tagStyleOf, type MpiVersion } from './mpiVersion';
import { availableCores, baseEnv, checkCount, isRoot, resolveProgram, type ProgramCommand } from './programCommand';
import { checkModule, resolvePython } from './pythonInterpreter';
import { createPrivateDir, createPrivateFile } from './privateFiles';
import { createRunDir, defaultLogDir, newRunId } from './runLog';
import { LaunchError, type UnitExit } from './runtime';
import type { MpiSpec } from './runSpec';

export interface MpiLauncher {
  readonly path: string;
  readonly mpi: MpiVersion;
  /** First line of `--version`, for people. */
  readonly banner: string;
}

const launchers = new Map<string, Promise<MpiLauncher>>();

/** The configured launcher, else mpirun, else mpiexec on PATH; its family from `--version`. */
export function findMpirun(configured?: string): Promise<MpiLauncher> {
  const exe = configured?.trim()
    ? findExecutable(configured.trim())
    : findExecutable('mpirun') ?? findExecutable('mpiexec');
  if (!exe) {
    return Promise.reject(configured?.trim()
      ? new LaunchError(`MPI launcher "${configured}" not found or not executable.`, 'Check the hpcJobs MPI launcher setting (or --mpirun PATH).')
      : new LaunchError('No MPI launcher found: neither mpirun nor mpiexec is on PATH.',
        'Install an MPI (Debian/Ubuntu: apt install openmpi-bin; on a cluster: module load openmpi), or set the path of mpirun in the hpcJobs MPI launcher setting (--mpirun PATH).'));
  }
  let p = launchers.get(exe);
  if (!p) {
    p = new Promise<MpiLauncher>((resolve, reject) => {
      execFile(exe, ['--version'], { timeout: 15000 }, (error, stdout, stderr) => {
        const text = `${stdout}\n${stderr}`;
        if (error && !text.trim()) { reject(new LaunchError(`${exe} --version failed: ${error.message}`)); return; }
        resolve({ path: exe, mpi: parseMpiVersion(text), banner: text.trim().split('\n')[0] ?? '' });
      });
    });
    launchers.set(exe, p);
    p.catch(() => launchers.delete(exe));
  }
  return p;
}

/** Python sources that import mpi4py need it in the interpreter that runs them. */
export function importsMpi4py(source: string): boolean {
  return /^\s*(?:from\s+mpi4py(?:\.\w+)*\s+import\b|import\s+(?:[\w.]+\s*,\s*)*mpi4py\b)/m.test(source);
}

/** Whether the program is Python that uses mpi4py, which its interpreter must then import. */
async function checkMpi4py(prog: ProgramCommand, launcher: MpiLauncher): Promise<boolean> {
  if (!prog.python || !prog.file) return false;
  let source = '';
  try { source = readFileSync(prog.file, 'utf8'); } catch { return false; }
  if (!importsMpi4py(source)) return false;
  const check = await checkModule(prog.python, 'mpi4py');
  if (check.ok) return true;
  let other = '';
  let interpreter: string | undefined;
  if (prog.python.executable !== '/usr/bin/python3') {
    try {
      const system = await resolvePython('/usr/bin/python3');
      if ((await checkModule(system, 'mpi4py')).ok) {
        other = ' /usr/bin/python3 on this machine has it: choose that interpreter.';
        interpreter = '/usr/bin/python3';
      }
    } catch { /* no system Python */ }
  }
  const mpiName = `${launcher.mpi.family === 'openmpi' ? 'Open MPI' : launcher.mpi.family === 'intel' ? 'Intel MPI' : launcher.mpi.family.toUpperCase()} ${launcher.mpi.version}`.trim();
  throw new LaunchError(
    `${prog.python.executable} (Python ${prog.python.version}) cannot import mpi4py: ${check.error ?? 'import failed'}.`,
    `Install it for this interpreter: "${prog.python.executable} -m pip install mpi4py", or on Debian/Ubuntu "apt install python3-mpi4py" ` +
    `and use /usr/bin/python3. mpi4py must be built against the same MPI library as the launcher (${launcher.path} is ${mpiName}).${other}`,
    interpreter);
}

// Runs one rank: its output to <dir>/<rank>.out|.err (unless the launcher tags it), its exit
// status to <dir>/<rank>.exit. Outside MPI (no rank variable) it just runs the program.
const RANK_WRAPPER = [
  'r=${OMPI_COMM_WORLD_RANK:-${PMI_RANK:-${PMIX_RANK:-}}}; d=$HPC_JOBS_RANK_DIR',
  'if [ -z "$r" ] || [ -z "$d" ]; then exec "$@"; fi',
  'if [ -n "$HPC_JOBS_RANK_FILES" ]; then "$@" >"$d/$r.out" 2>"$d/$r.err"; else "$@"; fi',
  'c=$?; umask 077; echo "$c" >"$d/$r.exit"; exit $c',
].join('\n');

export async function launchMpi(spec: MpiSpec): Promise<LocalRun> {
  const cwd = path.resolve(spec.cwd ?? process.cwd());
  const ranks = checkCount(spec.ranks, 'ranks')!;
  const launcher = await findMpirun(spec.mpirun);
  const resolved = await resolveProgram(spec.program, spec.args ?? [], cwd, spec.python);
  // `python -m mpi4py prog.py`: an uncaught exception or sys.exit(N) in one rank calls
  // MPI_Abort, so mpirun ends the job with that code. Run plainly, the failing rank waits in
  // MPI_Finalize for ranks that wait for it: a deadlock.
  const prog = await checkMpi4py(resolved, launcher) ? { ...resolved, args: ['-m', 'mpi4py', ...resolved.args] } : resolved;

  const cores = availableCores();
  const style = spec.rankOutput === 'tags' ? tagStyleOf(launcher.mpi.family) : undefined;
  const built = mpirunArgs({ mpi: launcher.mpi, ranks, cores, root: isRoot(), tagOutput: spec.rankOutput === 'tags' });
  const logDir = spec.logDir ?? defaultLogDir();
  const runId = newRunId('mpi');
  // The run's folder and this one are new and ours alone (privateFiles.ts); the files the
  // ranks' shells write to are made here first, 0600, so no umask opens them to others.
  const rankDir = createPrivateDir(path.join(createRunDir(logDir, runId), 'ranks'), 'rank folder');
  if (spec.rankOutput !== 'tags') for (let r = 0; r < ranks; r++) for (const ext of ['out', 'err']) closeSync(createPrivateFile(path.join(rankDir, `${r}.${ext}`)));
  const notes = [
    `${launcher.path}: ${launcher.banner || 'unknown MPI'}; ${ranks} rank${ranks === 1 ? '' : 's'}` +
      (prog.python ? ` of Python ${prog.python.version} (${prog.python.executable})` : ''),
    ...built.notes,
    ...(prog !== resolved ? ['python -m mpi4py: an uncaught exception or sys.exit(N) in one rank aborts all ranks (no deadlock)'] : []),
  ];
  return new LocalRun({
    backend: 'mpi', spec, logDir, runId, runDirReady: true, maxParallel: 1, notes, launcherName: path.basename(launcher.path),
    units: [{
      command: {
        command: launcher.path,
        args: [...built.args, '/bin/sh', '-c', RANK_WRAPPER, 'hpc-jobs-rank', prog.command, ...prog.args],
        cwd,
        env: { ...baseEnv(spec.env), ...built.env, HPC_JOBS_RANK_DIR: rankDir, ...(spec.rankOutput !== 'tags' ? { HPC_JOBS_RANK_FILES: '1' } : {}) },
      },
      ...(style ? { tags: { style, stripSpace: launcher.mpi.family === 'openmpi' && launcher.mpi.major >= 5 } } : {}),
      ...(spec.rankOutput !== 'tags' ? { rankFiles: { dir: rankDir, ranks } } : {}),
      ...(spec.timeLimitMs !== undefined ? { timeLimitMs: spec.timeLimitMs } : {}),
      exits: (end, timedOut) => rankExits(rankDir, ranks, end, timedOut),
    }],
    ...(spec.killGraceMs !== undefined ? { killGraceMs: spec.killGraceMs } : {}),
    // Everything the ranks wrote is in output.log by now.
    cleanup: () => rmSync(rankDir, { recursive: true, force: true }),
  }).start();
}

/** Per-rank exits from the wrapper's `<rank>.exit` files; mpirun's own exit when no rank got to run. */
export function rankExits(rankDir: string, ranks: number, end: { code: number | null; signal?: string }, timedOut: boolean): UnitExit[] {
  const recorded = new Map<number, number>();
  let files: string[] = [];
  try { files = readdirSync(rankDir); } catch { /* none */ }
  for (const f of files) {
    const m = /^(\d+)\.exit$/.exec(f);
    if (!m) continue;
    const code = Number.parseInt(readFileSync(path.join(rankDir, f), 'utf8'), 10);
    if (Number.isInteger(code)) recorded.set(Number(m[1]), code);
  }
  const launcherOk = end.code === 0 && !end.signal;
  if (recorded.size === 0 && !launcherOk) {
    return [{ code: end.code, ...(end.signal ? { signal: end.signal } : {}), ...(timedOut ? { timedOut: true } : {}) }];
  }
  const exits: UnitExit[] = [];
  for (let rank = 0; rank < ranks; rank++) {
    const code = recorded.get(rank);
    if (code !== undefined) {
      // The shell reports a death by signal N as 128+N.
      const sig = code > 128 && code < 160 ? Object.entries(constants.signals).find(([, n]) => n === code - 128)?.[0] : undefined;
      exits.push(sig ? { rank, code: null, signal: sig } : { rank, code });
    } else if (launcherOk) {
      exits.push({ rank, code: 0 });
    } else {
      // Ended from outside: mpirun stops the other ranks when one fails; or a timeout or cancel.
      exits.push({ rank, code: null, signal: 'SIGTERM', ...(timedOut ? { timedOut: true } : {}) });
    }
  }
  return exits;
}
