/**
 * A run that could not start, told to the person: the runtimes' message (LaunchError,
 * TransportError, SlurmQueryError all carry a `hint`) and, where one setting is the usual fix,
 * which one an "Open Settings" button should show.
 */
import { failureKind } from '../../../runtimes/src/runtime';
import type { RunRequest } from '../jobs/jobEntry';
import { settingId, type SettingId } from '../settings/settingTable';

export interface FailureReport {
  readonly text: string;
  /** The setting that most likely fixes it. */
  readonly setting?: SettingId;
  /** A module the run's Python could not import, and that Python: another one may have it. */
  readonly missing?: { readonly module: string; readonly python: string | undefined };
}


export function describeFailure(err: unknown, request: RunRequest, name: string): FailureReport {
  const e = err instanceof Error ? err : new Error(String(err));
  const raw = (e as { hint?: unknown }).hint;
  const hint = typeof raw === 'string' && raw ? raw : undefined;
  const where = request.target === 'local' ? '' : ` on cluster "${request.cluster}"`;
  const lead = failureKind(e) ? '' : `HPC Jobs could not start ${name}${where}: `;
  const text = `${lead}${e.message}${hint ? ` ${hint}` : ''}`;
  const setting = settingFor(e, request);
  // The runtimes' words: "… cannot import mpi4py: …", "The CUDA simulator needs numba, and … cannot import it".
  const found = /cannot import (mpi4py|numba)\b|needs (numba)\b/.exec(e.message);
  const module = found?.[1] ?? found?.[2];
  return {
    text,
    ...(setting ? { setting } : {}),
    ...(module && request.target === 'local' ? { missing: { module, python: request.spec.python } } : {}),
  };
}

function settingFor(e: Error, request: RunRequest): SettingId | undefined {
  if (failureKind(e) === 'transport') return settingId('clusters');
  if (request.target !== 'local') return undefined;
  const m = e.message;
  if (/Python interpreter|is not a Python 3 interpreter|cannot import (mpi4py|numba)|needs numba/.test(m)) return settingId('python.interpreter');
  if (request.spec.backend === 'mpi' && /MPI launcher|mpirun|mpiexec/.test(m)) return settingId('mpi.launcher');
  if (request.spec.backend === 'gpu' && /No NVIDIA GPU/.test(m)) return settingId('gpu.useSimulator');
  return undefined;
}
