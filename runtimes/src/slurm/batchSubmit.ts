/**
 * Submitting a batch script: lint it for the cluster (errors refuse — sbatch or the controller
 * would reject it anyway, later and less clearly), then upload it and the files it needs over
 * SFTP into the work folder, `sbatch --parsable` there, read `id[;cluster]`. A refused script
 * leaves nothing on the cluster.
 */
import * as path from 'node:path';
import type { ClusterProfile } from '../../../server/src/clusterProfile';
import { lintText, type LintDiagnostic, type LintOptions } from '../../../server/src/lint';
import { LaunchError } from '../runtime';
import type { Transport } from '../transport/transport';
import { inDirectory, shellCommand, withEnv } from '../transport/shellQuote';
import * as cmd from './slurmCommands';
import { slurmCommandError } from './slurmErrors';

export interface SubmitOptions {
  /** sbatch options for the command line (they override the script's #SBATCH lines). */
  readonly sbatchOptions?: readonly string[];
  /** Lint before sending (default true). */
  readonly lint?: boolean;
  /** Folder on the cluster for the script; default the cluster's work folder. Jobs run there. */
  readonly remoteDir?: string;
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
}

function lineOf(d: LintDiagnostic): string {
  return `line ${d.range.start.line + 1}: ${d.code} ${d.message}`;
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
export async function lintForCluster(text: string, remoteScript: string, ctx: SubmitContext): Promise<LintDiagnostic[]> {
  const version = lintVersion(ctx.profile?.slurmVersion);
  // sbatch runs in the script's folder there, so relative output folders are checked for sure.
  const base: LintOptions = { filePath: remoteScript, submitDir: path.posix.dirname(remoteScript), ...(version ? { slurmVersion: version } : {}), ...(ctx.profile ? { cluster: ctx.profile } : {}) };
  const asked = new Set<string>();
  lintText(text, { ...base, directoryExists: (p) => { asked.add(p); return true; } });
  const exists = new Map<string, boolean>();
  for (const p of asked) exists.set(p, (await ctx.transport.stat(p))?.isDirectory ?? false);
  return lintText(text, { ...base, directoryExists: (p) => exists.get(p) ?? true });
}

/** Refuses what sbatch would refuse, and the missing output folder, which it would not. */
export function refuseOnErrors(diagnostics: readonly LintDiagnostic[], scriptName: string, clusterName: string): void {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const folder = diagnostics.filter((d) => d.code === 'SBATCH107');
  if (errors.length === 0 && folder.length === 0) return;
  const all = [...errors, ...folder];
  throw new LaunchError(
    `${scriptName} was not submitted to cluster "${clusterName}": ${all.length} problem${all.length === 1 ? '' : 's'}\n  ${all.map(lineOf).join('\n  ')}`,
    folder.length ? 'Slurm does not create --output/--error folders: a job whose folder is missing fails without any output.' : 'Fix the script (hpc-jobs lint shows the same) and submit again.');
}

/** `companions` are uploaded into the script's folder, after the lint and before the script. */
export async function submitText(
  text: string, name: string, remoteDir: string, ctx: SubmitContext, options: SubmitOptions = {}, companions: readonly CompanionFile[] = [],
): Promise<Submitted> {
  if (!isBelow(name) || name.includes('/')) throw new LaunchError(`Not a file name: ${JSON.stringify(name)}`);
  for (const c of companions) if (!isBelow(c.name)) throw new LaunchError(`Not a path below the script's folder: ${JSON.stringify(c.name)}`);
  const t = ctx.transport;
  const home = await t.homeDirectory();
  const dirAbs = remoteDir === '~' ? home : remoteDir.startsWith('~/') ? path.posix.join(home, remoteDir.slice(2)) : path.posix.isAbsolute(remoteDir) ? remoteDir : path.posix.join(home, remoteDir);
  const remoteScript = path.posix.join(dirAbs, name);
  const diagnostics = options.lint === false ? [] : await lintForCluster(text, remoteScript, ctx);
  refuseOnErrors(diagnostics, name, ctx.clusterName);
  await t.mkdirp(dirAbs);
  for (const c of companions) {
    const target = path.posix.join(dirAbs, c.name);
    if (c.name.includes('/')) await t.mkdirp(path.posix.dirname(target));
    await t.writeFile(target, c.data, c.mode);
  }
  if (!options.inPlace) await t.writeFile(remoteScript, text, 0o755);
  // Not idempotent: never re-run after a dropped connection (that could submit twice).
  const r = await t.exec(inDirectory(dirAbs, withEnv(ctx.env, shellCommand(cmd.sbatch(name, options.sbatchOptions ?? [])))), { timeoutMs: 60_000 });
  // An id on stdout means the job exists, even if the exit status got lost on the way.
  const parsed = r.code === 0 || r.code === null ? cmd.parseSbatchParsable(r.stdout) : undefined;
  if (!parsed) {
    const err = slurmCommandError('sbatch', r.stderr || r.stdout, r.code, ctx.clusterName);
    throw new LaunchError(err.message, err.hint);
  }
  return { jobId: parsed.jobId, ...(parsed.cluster ? { federationCluster: parsed.cluster } : {}), remoteScript, uploaded: companions.map((c) => c.name), diagnostics };
}
