/**
 * Submitting a batch script: lint it and the sbatch options for the cluster (errors refuse —
 * sbatch or the controller would reject it anyway, later and less clearly), then upload it and
 * the files it needs over SFTP into a folder of this submission's own under the work folder
 * (`~/hpc-jobs/job_MPI-20261207-101500-3fa2/`), `sbatch --parsable` there, read `id[;cluster]`.
 * One folder per submission: with one shared folder, a second project's upload replaced the
 * `prog.py` a first project's pending job was about to run. A refused script leaves nothing on
 * the cluster.
 */
import * as path from 'node:path';
import { isDirectory } from '../executables';
import { newRunId } from '../runLog';
import type { ClusterProfile } from '../../../server/src/clusterProfile';
import { analyzeScript, lintText, type LintDiagnostic, type LintOptions } from '../../../server/src/lint';
import { effectiveOptions } from '../../../server/src/parser/effectiveOptions';
import { LaunchError } from '../runtime';
import type { Transport } from '../transport/transport';
import { inDirectory, remotePath, shellCommand, withEnv } from '../transport/shellQuote';
import { directiveValue } from './pythonJob';
import * as cmd from './slurmCommands';
import { slurmCommandError } from './slurmErrors';

export interface SubmitOptions {
  /** sbatch options for the command line (they override the script's #SBATCH lines). */
  readonly sbatchOptions?: readonly string[];
  /** Lint before sending (default true). */
  readonly lint?: boolean;
  /**
   * Work folder on the cluster (default the cluster's): the script, its files and its job go
   * into a new folder of their own below it. With `inPlace`, the folder the script lies in.
   */
  readonly remoteDir?: string;
  /**
   * The script's folder on this machine: a relative --output/--error folder that exists there
   * is made in the submission's folder too, so the job finds the layout it was written for.
   */
  readonly localDir?: string;
  /** Name of the script on the cluster; default the local file's name. */
  readonly remoteName?: string;
  /** Follow the job's output files (default true). */
  readonly tail?: boolean;
  /**
   * The script already lies in `remoteDir` under `remoteName` (Slurm on this machine): submit it
   * there, next to the files it uses, as `sbatch script` would; nothing is written.
   */
  readonly inPlace?: boolean;
}

export interface SubmitContext {
  readonly clusterName: string;
  readonly transport: Transport;
  readonly env: Readonly<Record<string, string>>;
  readonly profile?: ClusterProfile;
}

/** A file the script needs beside it, e.g. the Python program a generated script runs. */
export interface CompanionFile {
  /** Where it goes, relative to the script's folder: a name, or a POSIX path below it (`input/params.txt`). */
  readonly name: string;
  readonly data: string | Buffer;
  /** Permission bits (default 0o644). */
  readonly mode?: number;
}

/** A path below a folder: no absolute path, no empty, `.` or `..` part. */
function isBelow(rel: string): boolean {
  return rel !== '' && !rel.startsWith('/') && rel.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

export interface Submitted {
  readonly jobId: string;
  readonly federationCluster?: string;
  readonly remoteScript: string;
  /** The files sent along with the script (paths relative to its folder). */
  readonly uploaded: readonly string[];
  /** Lint warnings and hints (errors refuse the submission). */
  readonly diagnostics: readonly LintDiagnostic[];
  /** With --open-mode=append, the size of each fixed output file before the job: what it already held is not this job's. */
  readonly appendedSizes: ReadonlyMap<string, number>;
}

/**
 * The --output/--error files an appending job adds to that exist already, with their sizes:
 * only fixed names (no `%` pattern, which would name a file of this job's own).
 */
async function appendedFileSizes(text: string, dirAbs: string, t: Transport): Promise<Map<string, number>> {
  const eff = effectiveOptions(analyzeScript(text).reading);
  const sizes = new Map<string, number>();
  if (eff.get('open-mode')?.value !== 'append') return sizes;
  for (const name of ['output', 'error']) {
    const v = eff.get(name)?.value;
    if (!v || v.includes('%')) continue;
    const abs = path.posix.isAbsolute(v) ? v : path.posix.join(dirAbs, v);
    const st = await t.stat(abs).catch(() => undefined);
    if (st && !st.isDirectory) sizes.set(abs, st.size);
  }
  return sizes;
}

function lineOf(d: LintDiagnostic): string {
  return `line ${d.range.start.line + 1}: ${d.code} ${d.message}`;
}

/**
 * `job_MPI-20261207-101500-3fa2` for `job_MPI.slurm`: the script's name and the time, for a
 * person looking in the work folder; the random end keeps two submissions of one second apart.
 * Only letters, digits and `._+-` (a hostile name becomes `_`s), never a leading `.` or `-`.
 */
export function submissionFolderName(scriptName: string, now = new Date()): string {
  const stem = scriptName.replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9._+-]+/g, '_').replace(/^[.-]+/, '').slice(0, 48);
  return newRunId(stem || 'job', now);
}

/**
 * The sbatch options of a command line as one #SBATCH line, so the linter reads them as sbatch
 * will. A line break (legal in a command-line `--job-name`, impossible in a directive) is read
 * as a space here.
 */
function optionsScript(options: readonly string[]): string {
  return `#!/bin/bash\n#SBATCH ${options.map((o) => directiveValue(o.replace(/[\r\n]/g, ' '))).join(' ')}\n`;
}

/** "22.05.8" → "22.05", the form the linter's option table is keyed by. */
function lintVersion(v: string | undefined): string | undefined {
  const m = v ? /^(\d{2}\.\d{2})/.exec(v) : null;
  return m ? m[1] : undefined;
}

/**
 * Lints against the cluster. The folder rule asks `directoryExists` synchronously; the
 * folders live on the cluster, so lint once to learn which folders it asks about, stat them
 * there, then lint again with the answers.
 */
export async function lintForCluster(text: string, remoteScript: string, ctx: SubmitContext,
  known: (remote: string) => boolean | undefined = () => undefined): Promise<LintDiagnostic[]> {
  const version = lintVersion(ctx.profile?.slurmVersion);
  // sbatch runs in the script's folder there, so relative output folders are checked for sure.
  const base: LintOptions = { filePath: remoteScript, submitDir: path.posix.dirname(remoteScript), ...(version ? { slurmVersion: version } : {}), ...(ctx.profile ? { cluster: ctx.profile } : {}) };
  const asked = new Set<string>();
  lintText(text, { ...base, directoryExists: (p) => { asked.add(p); return true; } });
  const exists = new Map<string, boolean>();
  for (const p of asked) exists.set(p, known(p) ?? (await ctx.transport.stat(p))?.isDirectory ?? false);
  return lintText(text, { ...base, directoryExists: (p) => exists.get(p) ?? true });
}

/** Refuses what sbatch would refuse, and the missing output folder, which it would not. `optionDiagnostics`: those of the sbatch options. */
export function refuseOnErrors(diagnostics: readonly LintDiagnostic[], scriptName: string, clusterName: string,
  optionDiagnostics: readonly LintDiagnostic[] = []): void {
  const problems = (ds: readonly LintDiagnostic[]) => ds.filter((d) => d.severity === 'error' || d.code === 'SBATCH107');
  const all = [...problems(diagnostics).map(lineOf), ...problems(optionDiagnostics).map((d) => `sbatch options: ${d.code} ${d.message}`)];
  if (all.length === 0) return;
  const folder = [...diagnostics, ...optionDiagnostics].some((d) => d.code === 'SBATCH107');
  throw new LaunchError(
    `${scriptName} was not submitted to cluster "${clusterName}": ${all.length} problem${all.length === 1 ? '' : 's'}\n  ${all.join('\n  ')}`,
    folder ? 'Slurm does not create --output/--error folders: a job whose folder is missing fails without any output.' : 'Fix the script (hpc-jobs lint shows the same) and submit again.');
}

/** `companions` are uploaded into the script's folder, after the lint and before the script. */
export async function submitText(
  text: string, name: string, remoteDir: string, ctx: SubmitContext, options: SubmitOptions = {}, companions: readonly CompanionFile[] = [],
): Promise<Submitted> {
  if (!isBelow(name) || name.includes('/')) throw new LaunchError(`Not a file name: ${JSON.stringify(name)}`);
  for (const c of companions) if (!isBelow(c.name)) throw new LaunchError(`Not a path below the script's folder: ${JSON.stringify(c.name)}`);
  const t = ctx.transport;
  const home = await t.homeDirectory();
  const baseAbs = remoteDir === '~' ? home : remoteDir.startsWith('~/') ? path.posix.join(home, remoteDir.slice(2)) : path.posix.isAbsolute(remoteDir) ? remoteDir : path.posix.join(home, remoteDir);
  const own = !options.inPlace;
  const dirAbs = own ? path.posix.join(baseAbs, submissionFolderName(name)) : baseAbs;
  const remoteScript = path.posix.join(dirAbs, name);
  const sbatchOptions = options.sbatchOptions ?? [];

  // The submission's folder is new: what is below it exists once we make it, which we do for the
  // folders the files taken along lie in, and the --output folders that exist beside the script here.
  const toMake = new Set<string>();
  const known = (remote: string): boolean | undefined => {
    if (!own) return undefined;
    const rel = path.posix.relative(dirAbs, remote);
    if (rel === '') return true;
    if (!isBelow(rel)) return undefined;
    if (companions.some((c) => c.name.startsWith(`${rel}/`))) return true;
    if (options.localDir && isDirectory(path.join(options.localDir, ...rel.split('/')))) { toMake.add(rel); return true; }
    return false;
  };
  const diagnostics = options.lint === false ? [] : await lintForCluster(text, remoteScript, ctx, known);
  const optionDiagnostics = options.lint === false || sbatchOptions.length === 0 ? [] : await lintForCluster(optionsScript(sbatchOptions), remoteScript, ctx, known);
  refuseOnErrors(diagnostics, name, ctx.clusterName, optionDiagnostics);

  if (own) {
    await t.mkdirp(baseAbs);
    // `mkdir` without -p: a folder that exists already (a name taken in the same second) is an error, never shared.
    const made = await t.exec(shellCommand(['mkdir', '--', remotePath(dirAbs)]), { timeoutMs: 60_000 });
    if (made.code !== 0) throw new LaunchError(`Cannot create the folder ${dirAbs} on cluster "${ctx.clusterName}": ${made.stderr.trim() || `mkdir exited with ${made.code}`}`);
  }
  let jobMayExist = false;
  try {
    for (const rel of toMake) await t.mkdirp(path.posix.join(dirAbs, rel));
    for (const c of companions) {
      const target = path.posix.join(dirAbs, c.name);
      if (c.name.includes('/')) await t.mkdirp(path.posix.dirname(target));
      await t.writeFile(target, c.data, c.mode);
    }
    if (own) await t.writeFile(remoteScript, text, 0o755);
    const appendedSizes = await appendedFileSizes(text, dirAbs, t);
    jobMayExist = true;
    // Not idempotent: never re-run after a dropped connection (that could submit twice).
    const r = await t.exec(inDirectory(dirAbs, withEnv(ctx.env, shellCommand(cmd.sbatch(name, sbatchOptions)))), { timeoutMs: 60_000 });
    // An id on stdout means the job exists, even if the exit status got lost on the way.
    const parsed = r.code === 0 || r.code === null ? cmd.parseSbatchParsable(r.stdout) : undefined;
    if (!parsed) {
      const err = slurmCommandError('sbatch', r.stderr || r.stdout, r.code, ctx.clusterName);
      jobMayExist = false; // refused: no job will look for these files
      throw new LaunchError(err.message, err.hint);
    }
    return { jobId: parsed.jobId, ...(parsed.cluster ? { federationCluster: parsed.cluster } : {}), remoteScript, uploaded: companions.map((c) => c.name), diagnostics, appendedSizes };
  } catch (e) {
    // Refused, or the upload failed: what this submission sent goes. Not when sbatch's answer
    // was lost (a dropped connection): the job may exist and need its files.
    if (own && !jobMayExist) await t.exec(shellCommand(['rm', '-rf', '--', remotePath(dirAbs)]), { timeoutMs: 60_000 }).catch(() => undefined);
    throw e;
  }
}
