/** `hpc-jobs submit`: a batch script or a Python file to a Slurm cluster, optionally following it to the end. */
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { exitCodeOf, FINAL_STATES } from '../../runtimes/src/index';
import type { OutputLine } from '../../runtimes/src/runtime';
import { clusterRequest } from '../../runtimes/src/request/clusterRequest';
import { readCount } from '../../runtimes/src/request/counts';
import { readJobOption } from '../../runtimes/src/request/pythonJobOptions';
import type { PythonRequest, ScriptRequest } from '../../runtimes/src/request/runRequest';
import { startRequest, type StartDeps } from '../../runtimes/src/request/startRequest';
import { arrayBadge, outcomeBadge, type JobOutcome, type PythonJobSpec, type SlurmCluster, type SlurmJob } from '../../runtimes/src/slurm/index';
import { CLUSTER_OPTIONS, CLUSTER_USAGE, CLUSTERS_FILE_HELP, openCluster, reportFailure } from './clusterOptions';
import { parseOptions, UsageError, type Command, type Io, type ParsedOptions } from './command';
import { printable } from './terminalText';

const usage = `Usage: hpc-jobs submit --cluster NAME [--follow] [options] FILE [-- SBATCH_OPTIONS...]

FILE is a batch script (uploaded and submitted as it is, a .py file with a #! line and #SBATCH lines
too) or a Python program (a batch script that runs it is generated from the options below). Either
way it is linted for that cluster first; errors refuse the submission.
${CLUSTER_USAGE}
  --follow, -f         print the job's state changes and output until it ends; exit with its status
                       (Ctrl-C then cancels the job)
  --no-lint            submit without linting
  --work-dir DIR       folder on the cluster under which each submission gets its own (default: the
                       cluster's, else ~/hpc-jobs)
For a Python program:
  -n, --ntasks N  --nodes N  --cpus-per-task N  --mem SIZE  --time LIMIT  --partition P
  --account A  --gpus N  --array SPEC  --job-name NAME  --python PATH (on the cluster; default python3)

Exit status: without --follow 0 once submitted; with it the job's: 0, its exit code, 124 TIMEOUT,
130 CANCELLED; 1 when it could not be submitted (unreachable, auth, lint errors, sbatch refused);
2 for a usage error or a FILE that is not there.

${CLUSTERS_FILE_HELP}`;

/** The .py job's options, checked as the editor checks the line it asks for (request/pythonJobOptions.ts). */
function pythonSpec(values: Record<string, unknown>): PythonJobSpec {
  const spec: Record<string, string | number> = {};
  for (const name of ['job-name', 'nodes', 'ntasks', 'cpus-per-task', 'mem', 'time', 'partition', 'account', 'array']) {
    const value = values[name];
    if (value === undefined) continue;
    const read = readJobOption(name, String(value));
    if ('error' in read) throw new UsageError(read.error);
    spec[read.field] = read.value;
  }
  // --gpus here is the generated script's --gres=gpu:N (GPUs per node), as it always was.
  if (values['gpus'] !== undefined) {
    const read = readCount(String(values['gpus']), { what: 'GPUs per node' }, '--gpus');
    if ('problem' in read) throw new UsageError(read.problem);
    spec['gpus'] = read.count;
  }
  if (values['python'] !== undefined) spec['python'] = String(values['python']);
  return spec as PythonJobSpec;
}


function printLines(lines: readonly OutputLine[], io: Io, isArray: boolean): void {
  for (const l of lines) {
    const tag = l.system ? '[hpc-jobs] ' : isArray && l.task !== undefined ? `[task ${l.task}] ` : '';
    (l.stream === 'stderr' ? io.stderr : io.stdout).write(`${tag}${l.text}\n`);
  }
}

/** Follows a job to its end on the terminal; the job's exit status. */
export async function follow(job: SlurmJob, io: Io): Promise<number> {
  let isArray = false;
  job.onDidChangeTasks((tasks) => { isArray = tasks.some((t) => t.task !== undefined); });
  // The end is said once, in the job's own sentence ("job 12 FAILED with exit code 3"), below:
  // the final event's message repeats it after the state ("FAILED: job 12 FAILED ...").
  job.onDidChangeState((e) => { if (!FINAL_STATES.has(e.state)) io.stderr.write(`[hpc-jobs] job ${job.jobId}: ${e.message ?? e.state}\n`); });
  job.onDidOutput((lines) => printLines(lines, io, isArray));
  const onSigint = (): void => {
    io.stderr.write(`[hpc-jobs] cancelling job ${job.jobId}...\n`);
    job.cancel().catch((e: unknown) => io.stderr.write(`[hpc-jobs] ${(e as Error).message}\n`));
  };
  process.once('SIGINT', onSigint);
  try {
    const r = await job.result;
    io.stderr.write(`[hpc-jobs] ${r.summary}\n`);
    return exitCodeOf(r.state, r.exits);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

/** Accounting has a job's figures a few seconds after the queue says it ended. */
const OUTCOME_DELAYS_MS = [1000, 2000, 4000, 8000];

/** The last lines of --follow: how the job used what it asked for (as `hpc-jobs eff`, in one line). */
export async function printOutcome(cluster: SlurmCluster, jobId: string, io: Io): Promise<void> {
  for (const [i, delay] of OUTCOME_DELAYS_MS.entries()) {
    await new Promise((resolve) => setTimeout(resolve, delay));
    let outcomes: JobOutcome[];
    try {
      outcomes = await cluster.outcomes([jobId]);
    } catch (e) {
      io.stderr.write(`[hpc-jobs] no figures: ${(e as Error).message}\n`);
      return;
    }
    if (outcomes.length === 0 || outcomes.some((o) => !o.finished)) {
      if (i < OUTCOME_DELAYS_MS.length - 1) continue;
      io.stderr.write(`[hpc-jobs] no figures yet: accounting has not recorded job ${jobId}'s end; try hpc-jobs eff ${jobId} later\n`);
      return;
    }
    const b = outcomes.length > 1 || outcomes[0]!.arrayJobId ? arrayBadge(outcomes) : outcomeBadge(outcomes[0]!);
    const why = outcomes.some((o) => o.outOfMemory) ? ' (it ran out of memory)' : outcomes.some((o) => o.timedOut) ? ' (it hit its time limit)'
      : b.warning === 'waste' ? ' (most of what it asked for went unused: see hpc-jobs eff)' : '';
    // A job too short to sample says why its figures are missing.
    const notes = outcomes.length === 1 && !/CPU|mem/.test(b.text) && outcomes[0]!.notes.length ? `; ${outcomes[0]!.notes.join('; ')}` : '';
    io.stderr.write(`[hpc-jobs] how it went: ${b.text}${why}${notes}\n`);
    return;
  }
}

/** What `hpc-jobs submit ARGS` asks for: the usage, or the request, how to submit it and the cluster options. */
export type SubmitArgs = { readonly help: true } | {
  readonly request: ScriptRequest | PythonRequest;
  readonly file: string;
  readonly follows: boolean;
  readonly submit: NonNullable<StartDeps['submit']>;
  readonly values: ParsedOptions['values'];
};

/** The arguments read into the request the submission starts; a UsageError when they are wrong. */
export function readSubmitArgs(args: readonly string[]): SubmitArgs {
  const { values, positionals } = parseOptions(args, {
    ...CLUSTER_OPTIONS,
    follow: { type: 'boolean', short: 'f' },
    'no-lint': { type: 'boolean' },
    'work-dir': { type: 'string' },
    ntasks: { type: 'string', short: 'n' }, nodes: { type: 'string' }, 'cpus-per-task': { type: 'string' },
    mem: { type: 'string' }, time: { type: 'string' }, partition: { type: 'string' }, account: { type: 'string' },
    gpus: { type: 'string' }, array: { type: 'string' }, 'job-name': { type: 'string' }, python: { type: 'string' },
  });
  if (values['help']) return { help: true };
  const [file, ...sbatchOptions] = positionals;
  if (!file) throw new UsageError('no FILE given.');
  const spec = pythonSpec(values);
  const request = clusterRequest(String(values['cluster'] ?? ''), path.resolve(file), spec, sbatchOptions);
  if (request.target === 'slurm' && Object.keys(spec).length > 0) {
    throw new UsageError(`--ntasks, --mem... describe a Python program's job; ${path.basename(file)} is a batch script and carries its own #SBATCH lines (or pass sbatch options after --).`);
  }
  const follows = values['follow'] === true;
  const submit = {
    ...(values['no-lint'] ? { lint: false } : {}),
    ...(values['work-dir'] ? { remoteDir: values['work-dir'] as string } : {}),
    tail: follows,
  };
  return { request, file, follows, submit, values };
}

export const submitCommand: Command = {
  usage,
  async run(args, io) {
    const read = readSubmitArgs(args);
    if ('help' in read) { io.stdout.write(usage + '\n'); return 0; }
    const { request, file, follows, submit } = read;
    // Before any connection: a mistyped name is the user's to fix, not a stack trace from the upload.
    const st = statSync(file, { throwIfNoEntry: false });
    if (!st?.isFile()) {
      io.stderr.write(`hpc-jobs submit: ${printable(file)}: ${st ? 'not a file' : 'no such file'}\n`);
      return 2;
    }
    const opened = openCluster(read.values, io);
    try {
      // As the editor, tasks.json and Resubmit start a request.
      const { submitted } = await startRequest(request, { cluster: () => opened.cluster, submit });
      for (const d of submitted.diagnostics) io.stderr.write(`${file}:${d.range.start.line + 1}: ${d.severity}: ${d.message} [${d.code}]\n`);
      io.stdout.write(`${submitted.jobId}\n`);
      io.stderr.write(`[hpc-jobs] submitted ${path.basename(file)} to cluster "${opened.cluster.name}" as job ${submitted.jobId} (${submitted.remoteScript})\n`);
      // What the submission said in the job's output before anyone followed it: the files it took along, or left.
      for (const l of submitted.job.tail()) if (l.system) io.stderr.write(`[hpc-jobs] ${l.text}\n`);
      if (!follows) { submitted.job.dispose(); return 0; }
      opened.cluster.onDidError((e) => io.stderr.write(`[hpc-jobs] ${e.message}\n`));
      const code = await follow(submitted.job, io);
      await printOutcome(opened.cluster, submitted.jobId, io);
      return code;
    } catch (e) {
      return reportFailure(e, io, 'submit');
    } finally {
      await opened.close();
    }
  },
};
