/**
 * When a Python on this machine cannot import a module a run needs (mpi4py, numba), which
 * other one can: the notice then offers that interpreter as a button that writes the setting,
 * instead of sending the person to a settings page to find one. Also reads the module a batch
 * script's program failed to import from its output, so a local batch run that failed that way
 * can be explained (the Python check the run flow does for .py files would have caught it).
 */
import { checkModule, resolvePython } from '../../../runtimes/src/index';

/** Interpreters worth trying, in order: the system's (Debian/Ubuntu package mpi4py and numba for it), then PATH's. */
const CANDIDATES = ['/usr/bin/python3', 'python3'];

/**
 * The real path of an interpreter other than `current` that imports `module`; undefined when
 * none of the usual ones does.
 */
export async function interpreterWith(module: string, current: string | undefined): Promise<string | undefined> {
  for (const candidate of CANDIDATES) {
    if (candidate === (current ?? 'python3')) continue;
    try {
      const info = await resolvePython(candidate);
      if ((await checkModule(info, module)).ok) return candidate.startsWith('/') ? candidate : info.executable;
    } catch { /* not here */ }
  }
  return undefined;
}

/** Whether `python` imports `module`; false when it cannot even run. */
export async function imports(python: string, module: string): Promise<boolean> {
  try {
    return (await checkModule(await resolvePython(python), module)).ok;
  } catch {
    return false;
  }
}

/** Python 3's words for a failed import: `ModuleNotFoundError: No module named 'mpi4py'` (or 'mpi4py.MPI'). */
const NO_MODULE = /\bNo module named '([A-Za-z_][\w]*)(?:\.[\w.]*)?'/;

/** The top-level module a line of output says could not be imported, if it says so. */
export function missingModuleIn(text: string): string | undefined {
  // Cheap test first: this runs on every line of a run until it matches.
  if (!text.includes('No module named')) return undefined;
  return NO_MODULE.exec(text)?.[1];
}
