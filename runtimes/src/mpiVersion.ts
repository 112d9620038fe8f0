/**
 * Which MPI an `mpirun`/`mpiexec` belongs to, from its `--version` output. The families differ
 * in how they tag output per rank, whether they refuse root, and how they oversubscribe:
 *
 *   Open MPI   "mpirun (Open MPI) 4.1.4"                        --tag-output, --oversubscribe, --allow-run-as-root
 *   MPICH      "HYDRA build details:\n    Version:   4.0.2 ..." -prepend-rank; oversubscribes freely
 *   Intel MPI  "Intel(R) MPI Library for Linux* OS, Version 2021.10 Build 20230619 (id: c2e19c2f3e)"
 *                                                              -prepend-rank (Hydra, like MPICH)
 *   MVAPICH    HYDRA details plus "MVAPICH2 Version: 2.3.7"     -prepend-rank
 */
export type MpiFamily = 'openmpi' | 'mpich' | 'intel' | 'mvapich' | 'unknown';

export interface MpiVersion {
  readonly family: MpiFamily;
  /** "4.1.4", "2021.10"; '' when not found. */
  readonly version: string;
  /** Major version number (0 when unknown). */
  readonly major: number;
}

export function parseMpiVersion(text: string): MpiVersion {
  const make = (family: MpiFamily, version = ''): MpiVersion => ({ family, version, major: Number.parseInt(version, 10) || 0 });
  let m = /\(Open MPI\)\s+v?(\d+(?:\.\d+)*\w*)/i.exec(text) ?? /Open MPI\D*?(\d+\.\d+(?:\.\d+)?)/i.exec(text);
  if (m) return make('openmpi', m[1]);
  m = /Intel\(R\) MPI Library[^\n]*?Version\s+(\d+(?:\.\d+)*)/i.exec(text);
  if (m) return make('intel', m[1]);
  if (/Intel\(R\) MPI/i.test(text)) return make('intel');
  m = /MVAPICH2?\s+Version:\s*(\S+)/i.exec(text);
  if (m) return make('mvapich', m[1]);
  if (/HYDRA build details/i.test(text) || /\bMPICH\b/i.test(text)) {
    m = /^\s*(?:MPICH\s+)?Version:\s*(\S+)/im.exec(text);
    return make('mpich', m?.[1] ?? '');
  }
  return make('unknown');
}

/** How ranks' lines are told apart: Open MPI tags with stream and rank, Hydra with rank. */
export function tagStyleOf(family: MpiFamily): 'openmpi' | 'mpich' | undefined {
  if (family === 'openmpi') return 'openmpi';
  if (family === 'mpich' || family === 'intel' || family === 'mvapich') return 'mpich';
  return undefined;
}

export interface MpirunArgsInput {
  readonly mpi: MpiVersion;
  readonly ranks: number;
  readonly cores: number;
  readonly root: boolean;
  /** Ask the launcher to tag lines with ranks (else each rank's output goes to its own files). */
  readonly tagOutput: boolean;
}

export interface MpirunArgs {
  /** Options before the program. */
  readonly args: readonly string[];
  /** Environment the launcher needs. */
  readonly env: Readonly<Record<string, string>>;
  /** What we added and why, for the run's output. */
  readonly notes: readonly string[];
}

/** The launcher options for `ranks` ranks on a machine with `cores` cores. */
export function mpirunArgs({ mpi, ranks, cores, root, tagOutput }: MpirunArgsInput): MpirunArgs {
  const args = ['-n', String(ranks)];
  const env: Record<string, string> = {};
  const notes: string[] = [];
  const oversubscribed = ranks > cores;
  if (mpi.family === 'openmpi') {
    // 5.x (PRRTE) spells it --output tag; --tag-output is still accepted there.
    if (tagOutput) args.push('--tag-output');
    if (oversubscribed) {
      args.push('--oversubscribe');
      notes.push(`added --oversubscribe: ${ranks} ranks on ${cores} core${cores === 1 ? '' : 's'} (Open MPI refuses more ranks than cores without it)`);
    }
    if (root) {
      args.push('--allow-run-as-root');
      env.OMPI_ALLOW_RUN_AS_ROOT = '1';
      env.OMPI_ALLOW_RUN_AS_ROOT_CONFIRM = '1';
      notes.push('running as root: added --allow-run-as-root (Open MPI refuses root otherwise)');
    }
  } else if (tagStyleOf(mpi.family)) {
    if (tagOutput) args.push('-prepend-rank');
    if (oversubscribed) notes.push(`${ranks} ranks on ${cores} core${cores === 1 ? '' : 's'}: ranks share cores and run slower`);
  } else if (tagOutput) {
    notes.push('unknown MPI implementation: the launcher cannot tag lines, output is not split per rank');
  }
  return { args, env, notes };
}
