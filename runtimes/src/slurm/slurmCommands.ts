/**
 * Every Slurm command line the backend sends, as argv through the one quoting function.
 * Job ids are checked against Slurm's syntax before use, though quoting alone would keep them
 * inert: a malformed id is a bug to report, not a word to pass on.
 */
import { OUTCOME_FIELDS } from './jobOutcome';
import { SACCT_FIELDS } from './sacctOutput';
import { SQUEUE_FORMAT } from './squeueFormat';
import { envRef, type Word } from '../transport/shellQuote';

const JOB_ID = /^\d+$/;
/** `123`, `123_4` (one task), `123_[1-3]`. */
const CANCEL_TARGET = /^\d+(_(\d+|\[[\d,\-:%]+\]))?$/;

export function checkJobId(id: string): string {
  if (!JOB_ID.test(id)) throw new Error(`Not a Slurm job id: ${JSON.stringify(id)}`);
  return id;
}

export const squeueJson = (): Word[] => ['squeue', '--json'];

export const squeueFormat = (ids: readonly string[]): Word[] =>
  ['squeue', '--noheader', '--array', '--states=all', `--jobs=${ids.map(checkJobId).join(',')}`, `--format=${SQUEUE_FORMAT}`];

export const squeueFormatForUser = (): Word[] =>
  ['squeue', '--noheader', '--array', '--user', envRef('USER'), `--format=${SQUEUE_FORMAT}`];

/** Every user's jobs (the job tree's "all users" view). */
export const squeueFormatAllUsers = (): Word[] =>
  ['squeue', '--noheader', '--array', `--format=${SQUEUE_FORMAT}`];

/** Every step of these jobs or array tasks (`123`, `123_4`), for how they went. */
export function sacctOutcomes(ids: readonly string[]): Word[] {
  const bad = ids.find((id) => !/^\d+(_\d+)?$/.test(id));
  if (bad !== undefined || ids.length === 0) throw new Error(`Not a Slurm job id: ${JSON.stringify(bad ?? '')}`);
  return ['sacct', '-P', '-n', `--jobs=${ids.join(',')}`, `--format=${OUTCOME_FIELDS}`];
}

export const sacct = (ids: readonly string[]): Word[] =>
  ['sacct', '-X', '-P', '-n', `--jobs=${ids.map(checkJobId).join(',')}`, `--format=${SACCT_FIELDS}`];

export const scontrolShowJob = (id: string): Word[] => ['scontrol', 'show', 'job', '-o', checkJobId(id)];

/** `scontrol hold|release` takes a job, an array task or tasks, like scancel. */
export function scontrolHoldRelease(verb: 'hold' | 'release', target: string): Word[] {
  return ['scontrol', verb, checkTarget(target)];
}

/** The state of a job or one array task (`123`, `123_4`), one line per task. */
export function squeueStates(target: string): Word[] {
  if (!/^\d+(_\d+)?$/.test(target)) throw new Error(`Not a Slurm job or task id: ${JSON.stringify(target)}`);
  return ['squeue', '--noheader', '--array', `--jobs=${target}`, '--format=%T'];
}

/** The user's jobs that ended since a moment (`now-2days`): one line per allocation, as `sacct`. */
export function sacctSince(start: string): Word[] {
  if (!/^now-\d+(minutes|hours|days)$/.test(start)) throw new Error(`Not a sacct start time: ${JSON.stringify(start)}`);
  return ['sacct', '-X', '-P', '-n', '--user', envRef('USER'), `--starttime=${start}`, `--format=${SACCT_FIELDS}`];
}

function checkTarget(target: string): string {
  if (!CANCEL_TARGET.test(target)) throw new Error(`Not a Slurm job or task id: ${JSON.stringify(target)}`);
  return target;
}

export function scancel(target: string): Word[] {
  return ['scancel', checkTarget(target)];
}

/** `--` so a script named "-x.sh" is not read as an option. */
export const sbatch = (scriptName: string, options: readonly string[] = []): Word[] =>
  ['sbatch', '--parsable', ...options, '--', scriptName];

/** The scheduler's answer to "when would this start?", without submitting anything: the script comes on stdin. */
export const sbatchTestOnly = (options: readonly string[] = []): Word[] =>
  ['sbatch', '--test-only', ...options];

export const scontrolShowPartitions = (): Word[] => ['scontrol', 'show', 'partition', '-o'];
export const scontrolShowNodes = (): Word[] => ['scontrol', 'show', 'node', '-o'];
export const scontrolShowConfig = (): Word[] => ['scontrol', 'show', 'config'];
/** Its last part lists the options the cluster's SPANK plugins add. */
export const sbatchHelp = (): Word[] => ['sbatch', '--help'];
export const sacctmgrAssociations = (): Word[] =>
  ['sacctmgr', '-n', '-P', 'show', 'assoc', 'where', envRef('USER', 'user='), 'format=Account,Partition,QOS'];
export const sacctmgrDefaultAccount = (): Word[] =>
  ['sacctmgr', '-n', '-P', 'show', 'user', envRef('USER'), 'format=DefaultAccount'];

/** sbatch --parsable prints `id` or `id;cluster`. */
export function parseSbatchParsable(stdout: string): { jobId: string; cluster?: string } | undefined {
  const line = stdout.trim().split('\n').pop() ?? '';
  const m = /^(\d+)(?:;(\S+))?$/.exec(line.trim());
  return m ? { jobId: m[1]!, ...(m[2] ? { cluster: m[2] } : {}) } : undefined;
}
