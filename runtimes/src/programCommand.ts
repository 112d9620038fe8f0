/** From "what the user wants to run" to argv, checked before anything starts. */
import * as os from 'node:os';
import * as path from 'node:path';
import { findExecutable, isDirectory, isFile } from './executables';
import { resolvePython, type PythonInfo } from './pythonInterpreter';
import { makeDirs, readSmallFile, writePrivateFile } from './privateFiles';
import { countLimit, countProblem, type CountKind } from './request/counts';
import { LaunchError } from './runtime';

export interface ProgramCommand {
  readonly command: string;
  readonly args: readonly string[];
  /** Set when the program is a Python file. */
  readonly python?: PythonInfo;
  /** The program's absolute path when it is a file. */
  readonly file?: string;
}

export async function resolveProgram(program: string, args: readonly string[], cwd: string, python?: string): Promise<ProgramCommand> {
  if (!program.trim()) throw new LaunchError('No program given.');
  if (!isDirectory(cwd)) throw new LaunchError(`Working folder not found: ${cwd}`);
  const file = path.resolve(cwd, program);
  if (/\.py$/i.test(program)) {
    if (!isFile(file)) throw new LaunchError(`File not found: ${file}`);
    const py = await resolvePython(python);
    return { command: py.executable, args: [file, ...args], python: py, file };
  }
  if (/\.(sh|bash)$/i.test(program)) {
    if (!isFile(file)) throw new LaunchError(`File not found: ${file}`);
    const bash = findExecutable('bash') ?? '/bin/sh';
    return { command: bash, args: [file, ...args], file };
  }
  const exe = findExecutable(program, cwd);
  if (exe) return { command: exe, args, ...(program.includes('/') ? { file: exe } : {}) };
  if (isFile(file)) {
    throw new LaunchError(`${program} is not executable.`, `Make it executable (chmod +x ${program}) or name an interpreter, e.g. bash ${program}.`);
  }
  throw new LaunchError(program.includes('/') ? `File not found: ${file}` : `Command not found: ${program} (not on PATH).`);
}

/** A whole number within the count's limit (request/counts.ts), or a LaunchError in its words. */
export function checkCount(value: number | undefined, kind: CountKind): number | undefined {
  if (value === undefined) return undefined;
  const limit = countLimit(kind);
  const problem = countProblem(value, limit);
  if (problem === undefined) return value;
  throw new LaunchError(problem, value > (limit.max ?? Infinity) ? 'Ask a cluster for that much parallelism (the Slurm backend).' : undefined);
}

/** Environment every unit gets: the caller's, the spec's, unbuffered Python output through pipes. */
export function baseEnv(extra: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  Object.assign(env, extra ?? {});
  env.PYTHONUNBUFFERED = '1';
  return env;
}

/**
 * A local job id for SLURM_JOB_ID: increasing per log folder, so file names such as
 * slurm-%j.out do not collide between runs. Reserves `count` ids (one per array task).
 */
export function nextLocalJobId(logDir: string, count = 1): number {
  const file = path.join(logDir, 'last-job-id');
  // Read and replaced without following a link: the log folder may be one the user shares.
  const last = Number.parseInt(readSmallFile(file) ?? '', 10) || 0;
  const id = last + 1;
  try {
    makeDirs(logDir);
    writePrivateFile(file, String(id + count - 1));
  } catch { /* ids then repeat; harmless */ }
  return id;
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

export function availableCores(): number {
  return os.availableParallelism();
}
