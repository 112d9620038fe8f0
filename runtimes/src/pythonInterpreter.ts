/**
 * Which Python runs the user's program. The caller passes the interpreter the user chose
 * (a setting, the Python extension's selection, `--python`); otherwise `python3` on PATH.
 * Each interpreter is asked once what it is and which modules it has.
 */
import { execFile, type ExecFileException } from 'node:child_process';
import { LaunchError } from './runtime';

export interface PythonInfo {
  /** What was asked for: a path or a command name. */
  readonly requested: string;
  /** sys.executable: the real path. */
  readonly executable: string;
  /** "3.11.2" */
  readonly version: string;
}

const interpreters = new Map<string, Promise<PythonInfo>>();
const modules = new Map<string, Promise<ModuleCheck>>();

export interface ModuleCheck {
  readonly ok: boolean;
  readonly version?: string;
  /** The import error's last line when not ok. */
  readonly error?: string;
}

function run(file: string, args: readonly string[], timeoutMs: number): Promise<{ stdout: string; stderr: string; error?: ExecFileException }> {
  return new Promise((resolve) => {
    execFile(file, [...args], { timeout: timeoutMs, maxBuffer: 1024 * 1024 },
      (error, stdout, stderr) => resolve({ stdout, stderr, ...(error ? { error } : {}) }));
  });
}

/** Finds the interpreter and checks that it runs; a LaunchError says what to do when it does not. */
export function resolvePython(preferred?: string): Promise<PythonInfo> {
  const requested = preferred?.trim() || 'python3';
  let p = interpreters.get(requested);
  if (!p) {
    p = probe(requested);
    interpreters.set(requested, p);
    p.catch(() => interpreters.delete(requested));
  }
  return p;
}

async function probe(requested: string): Promise<PythonInfo> {
  const r = await run(requested, ['-c', 'import sys; print(sys.executable); print("%d.%d.%d" % sys.version_info[:3])'], 15000);
  if (r.error) {
    const how = preferredHint(requested);
    if (r.error.code === 'ENOENT') throw new LaunchError(`Python interpreter "${requested}" not found.`, how);
    if (r.error.code === 'EACCES') throw new LaunchError(`Python interpreter "${requested}" is not executable.`, how);
    if (r.error.killed) throw new LaunchError(`Python interpreter "${requested}" did not answer within 15 s.`, how);
    const detail = lastLine(r.stderr) || r.error.message;
    throw new LaunchError(`Python interpreter "${requested}" does not run: ${detail}`, how);
  }
  const [executable, version] = r.stdout.trim().split('\n');
  if (!executable || !version || !/^3\.\d+\.\d+$/.test(version.trim())) {
    throw new LaunchError(`"${requested}" is not a Python 3 interpreter (it printed ${JSON.stringify(r.stdout.slice(0, 80))}).`, preferredHint(requested));
  }
  return { requested, executable: executable.trim(), version: version.trim() };
}

function preferredHint(requested: string): string {
  return requested === 'python3'
    ? 'Install Python 3, or choose an interpreter: the hpcJobs Python setting, the Python extension\'s selection, or --python PATH.'
    : 'Check the path, or choose another interpreter (the hpcJobs Python setting, the Python extension\'s selection, or --python PATH).';
}

/** Whether `python` can import `module` (checked once per interpreter and module). */
export function checkModule(python: PythonInfo, module: string): Promise<ModuleCheck> {
  if (!/^[A-Za-z_][\w.]*$/.test(module)) throw new Error(`not a module name: ${module}`);
  const key = `${python.executable}\0${module}`;
  let p = modules.get(key);
  if (!p) {
    p = run(python.executable, ['-c', `import ${module} as m; print(getattr(m, "__version__", ""))`], 30000).then((r) =>
      r.error ? { ok: false, error: lastLine(r.stderr) || r.error.message } : { ok: true, version: r.stdout.trim() });
    modules.set(key, p);
  }
  return p;
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return lines[lines.length - 1]?.trim() ?? '';
}
