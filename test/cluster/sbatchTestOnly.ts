/**
 * Ask a real sbatch what it thinks of a script (`sbatch --test-only`), in one way shared by
 * `record-corpus.sh` (which writes test/fixtures/sbatch-corpus/expected.json) and the live part of
 * `sbatchDifferential.test.ts` (which checks the fixture against the cluster), so the two cannot
 * normalise differently.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

export const CORPUS_DIR = path.resolve(__dirname, '..', 'fixtures', 'sbatch-corpus');
export const EXPECTED_FILE = path.join(CORPUS_DIR, 'expected.json');

/** What sbatch --test-only did with one script. */
export interface SbatchVerdict {
  /** sbatch's exit status (0 accepted; 1 or 255 rejected). */
  readonly exit: number;
  /** stderr with job ids, dates and node names replaced (see `normaliseSbatchStderr`). */
  readonly stderr: string;
  /** Exit 0 and "to start at" in stderr: the controller would have queued the job. */
  readonly accepted: boolean;
}

export type ExpectedCorpus = Readonly<Record<string, SbatchVerdict>>;

/** The corpus scripts, by name, in order. */
export function corpusFiles(): string[] {
  return readdirSync(CORPUS_DIR).filter((f) => /^\d{3}-.+\.sh$/.test(f)).sort();
}

export function loadExpected(): ExpectedCorpus {
  return JSON.parse(readFileSync(EXPECTED_FILE, 'utf8')) as ExpectedCorpus;
}

/**
 * Take out what changes from run to run: job ids, start dates, and the nodes the job would run on
 * (the processor count and partition stay: they follow from the script).
 */
export function normaliseSbatchStderr(stderr: string): string {
  return stderr
    .replace(/\bJob \d+\b/g, 'Job N')
    .replace(/\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\b/g, 'DATE')
    .replace(/(processors on (?:nodes )?)\S+/g, '$1NODES')
    .replace(/\s+$/, '');
}

/** The environment sbatch runs in: ours, less anything that would add options (SBATCH_*, SLURM_*). */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('SBATCH_') && !k.startsWith('SLURM_')) env[k] = v;
  }
  return env;
}

/**
 * Copy `scriptPath` into `workDir` and run `sbatch --test-only <name>` there, so that relative
 * paths resolve inside `workDir` and messages name the file by its bare name on every machine.
 */
export function sbatchTestOnly(scriptPath: string, workDir: string): SbatchVerdict {
  const name = path.basename(scriptPath);
  copyFileSync(scriptPath, path.join(workDir, name));
  const r = spawnSync('sbatch', ['--test-only', name], {
    cwd: workDir,
    env: cleanEnv(),
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.error) throw r.error;
  if (r.status === null) throw new Error(`sbatch --test-only ${name}: killed by ${r.signal}`);
  const stderr = normaliseSbatchStderr(r.stderr);
  return { exit: r.status, stderr, accepted: r.status === 0 && stderr.includes('to start at') };
}

/** Whether a Slurm controller answers here: `sbatch` on PATH and `scontrol ping` says UP. */
export function clusterAvailability(): { readonly up: true } | { readonly up: false; readonly reason: string } {
  const v = spawnSync('sbatch', ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (v.error) return { up: false, reason: `sbatch not runnable (${(v.error as NodeJS.ErrnoException).code ?? v.error.message})` };
  const p = spawnSync('scontrol', ['ping'], { encoding: 'utf8', timeout: 30_000 });
  if (p.error) return { up: false, reason: `scontrol not runnable (${(p.error as NodeJS.ErrnoException).code ?? p.error.message})` };
  const out = `${p.stdout}${p.stderr}`.trim();
  if (p.status !== 0 || !/\bUP\b/.test(out)) return { up: false, reason: `scontrol ping: ${out || `exit ${p.status}`}` };
  return { up: true };
}

/**
 * Whether a test that re-checks recorded verdicts can ask the live cluster: it skips with the
 * reason when none answers, and fails instead where a cluster is required (CI=true).
 */
export function liveClusterOrSkip(t: { skip(message?: string): void }): boolean {
  const cluster = clusterAvailability();
  if (cluster.up) return true;
  const required = process.env['CI'] === 'true' || process.env['HPC_JOBS_REQUIRE_CLUSTER'] === '1';
  if (required) assert.fail(`no cluster: ${cluster.reason} (required because CI=true or HPC_JOBS_REQUIRE_CLUSTER=1; run test/cluster/up.sh)`);
  t.skip(`no cluster: ${cluster.reason}`);
  return false;
}
