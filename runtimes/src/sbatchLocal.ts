/**
 * `sbatch-local`: a batch script run on this machine the way Slurm would run it on one node.
 * The directives are read by the language server's parser (the same reading the linter and
 * sbatch use); the script gets the SLURM_* environment of its allocation, its output goes to
 * the --output/--error files, an --array becomes local tasks (its `%` limit is the local
 * concurrency) and --time stops each task (state `timedOut`). A script the linter reports
 * errors for is refused: sbatch would refuse it too.
 */
import { readRegularFile } from './boundedRead';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatMinutes, jobResources, summarizeResources } from '../../server/src/jobResources';
import { analyzeScript, type LintDiagnostic } from '../../server/src/lint';
import { effectiveOptions } from '../../server/src/parser/effectiveOptions';
import { isDirectory, isFile } from './executables';
import { LocalRun } from './localRun';
import type { UnitPlan } from './runPlan';
import { arrayIndexes, defaultOutputPattern, expandOutputPattern } from './outputPattern';
import { availableCores, baseEnv, checkCount, isRoot, nextLocalJobId } from './programCommand';
import { defaultLogDir, newRunId } from './runLog';
import { LaunchError } from './runtime';
import { MAX_TASKS, type SbatchLocalSpec } from './runSpec';

/** One minute of --time, in ms: `spec.minuteMs`, else `$HPC_JOBS_MINUTE_MS`, else 60000. */
export function minuteMs(spec: Pick<SbatchLocalSpec, 'minuteMs'>): number {
  const fromEnv = Number(process.env.HPC_JOBS_MINUTE_MS);
  const ms = spec.minuteMs ?? (Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 60000);
  if (!(ms > 0)) throw new RangeError(`minuteMs must be positive, not ${ms}`);
  return ms;
}

function where(d: LintDiagnostic): string {
  return `line ${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.message} [${d.code}]`;
}

/** The interpreter line: Linux passes everything after the interpreter as one argument. */
export function shebangCommand(firstLine: string): string[] | undefined {
  if (!firstLine.startsWith('#!')) return undefined;
  const rest = firstLine.slice(2).trim();
  if (!rest) return undefined;
  const space = rest.search(/\s/);
  return space < 0 ? [rest] : [rest.slice(0, space), rest.slice(space).trim()];
}

function missingFolderMessage(dir: string, base: string): string {
  // Same words as the linter's SBATCH107, for the folders it can only know once the job runs.
  return `Folder "${dir}" does not exist${path.isAbsolute(dir) ? '' : ` (relative to ${base})`}. Slurm does not create it: ` +
    'the job will fail without writing any output. Create it before submitting.';
}

export async function launchSbatchLocal(spec: SbatchLocalSpec): Promise<LocalRun> {
  const script = path.resolve(spec.cwd ?? process.cwd(), spec.script);
  if (!isFile(script)) throw new LaunchError(`File not found: ${script}`);
  let text: string;
  try { text = readRegularFile(script, 64 * 1024 * 1024).toString('utf8'); } catch (e) { throw new LaunchError(`${path.basename(script)}: ${(e as Error).message}`); }
  const submitDir = path.resolve(spec.submitDir ?? path.dirname(script));
  const analysis = analyzeScript(text, { filePath: script, submitDir, directoryExists: isDirectory });

  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    throw new LaunchError(
      `${path.basename(script)} has ${errors.length} error${errors.length === 1 ? '' : 's'} that sbatch would refuse; not running it:\n` +
      errors.map((d) => `  ${where(d)}`).join('\n'),
      `Fix ${errors.length === 1 ? 'it' : 'them'} first ("hpc-jobs lint ${path.basename(script)}"; the editor offers quick fixes).`);
  }
  const missing = analysis.diagnostics.filter((d) => d.code === 'SBATCH107');
  if (missing.length > 0) throw new LaunchError(missing.map((d) => d.message).join('\n'));

  const res = jobResources(analysis.reading);
  const eff = effectiveOptions(analysis.reading);
  const interpreter = shebangCommand(analysis.script.lines[0] ?? '');
  if (!interpreter) throw new LaunchError(`${path.basename(script)} has no #! line: Slurm needs one to know which shell runs it.`);

  const chdir = eff.get('chdir')?.value;
  const workDir = chdir ? path.resolve(submitDir, chdir) : submitDir;
  if (!isDirectory(workDir)) throw new LaunchError(`--chdir folder "${chdir}" does not exist (${workDir}): Slurm would fail the job.`);

  const arrayValue = eff.get('array')?.value;
  const indexes = arrayValue !== undefined && res.arrayTasks !== undefined ? arrayIndexes(arrayValue) : undefined;
  if (indexes && indexes.length > MAX_TASKS) throw new LaunchError(`--array asks for ${indexes.length} tasks; a local run takes at most ${MAX_TASKS}.`);
  const logDir = spec.logDir ?? defaultLogDir();
  const jobId = nextLocalJobId(logDir, indexes ? indexes.length + 1 : 1);
  const jobName = res.jobName ?? path.basename(script);
  const user = os.userInfo().username;
  const node = os.hostname().split('.')[0]!;
  const outPattern = eff.get('output')?.value ?? defaultOutputPattern(indexes !== undefined);
  const errPattern = eff.get('error')?.value;
  const append = eff.get('open-mode')?.value === 'append';

  const cpusOnNode = res.tasks * res.cpusPerTask;
  const env = baseEnv(spec.env);
  // The caller may itself run inside a Slurm job: its SLURM_* values are not this job's.
  for (const k of Object.keys(env)) if (k.startsWith('SLURM_') || k.startsWith('SLURMD_')) delete env[k];
  const root = isRoot();
  Object.assign(env, {
    SLURM_JOB_NAME: jobName,
    SLURM_SUBMIT_DIR: submitDir,
    SLURM_SUBMIT_HOST: os.hostname(),
    SLURM_CLUSTER_NAME: 'local',
    SLURM_JOB_NUM_NODES: '1', SLURM_NNODES: '1',
    SLURM_JOB_NODELIST: node, SLURM_NODELIST: node, SLURMD_NODENAME: node,
    SLURM_NODEID: '0', SLURM_PROCID: '0', SLURM_LOCALID: '0',
    SLURM_NTASKS: String(res.tasks), SLURM_NPROCS: String(res.tasks),
    SLURM_TASKS_PER_NODE: String(res.tasks),
    SLURM_CPUS_ON_NODE: String(cpusOnNode), SLURM_JOB_CPUS_PER_NODE: String(cpusOnNode),
    SLURM_JOB_USER: user, SLURM_JOB_UID: String(os.userInfo().uid),
    ENVIRONMENT: 'BATCH',
    HPC_JOBS_LOCAL: '1',
    ...(eff.has('cpus-per-task') ? { SLURM_CPUS_PER_TASK: String(res.cpusPerTask) } : {}),
    ...(res.partition ? { SLURM_JOB_PARTITION: res.partition } : {}),
    ...(res.account ? { SLURM_JOB_ACCOUNT: res.account } : {}),
    ...(res.memory?.per === 'node' ? { SLURM_MEM_PER_NODE: String(res.memory.mb) } : {}),
    ...(res.memory?.per === 'cpu' ? { SLURM_MEM_PER_CPU: String(res.memory.mb) } : {}),
    ...(res.gpus !== undefined ? { SLURM_GPUS: String(res.gpus) } : {}),
    // Scripts call mpirun; Open MPI refuses root unless told (a real cluster runs jobs as the user).
    ...(root ? { OMPI_ALLOW_RUN_AS_ROOT: '1', OMPI_ALLOW_RUN_AS_ROOT_CONFIRM: '1' } : {}),
    ...(spec.python ? { PYTHON: spec.python } : {}),
  });

  const limitMs = res.timeMinutes !== undefined && Number.isFinite(res.timeMinutes) ? res.timeMinutes * minuteMs(spec) : undefined;
  const command = { command: interpreter[0]!, args: [...interpreter.slice(1), script, ...(spec.args ?? [])], cwd: workDir, env };
  const units: UnitPlan[] = [];
  const tasks = indexes ?? [undefined];
  tasks.forEach((index, k) => {
    const taskJobId = indexes ? jobId + 1 + k : jobId;
    const values = { jobId: taskJobId, jobName, user, node, ...(index !== undefined ? { arrayJobId: jobId, arrayTaskId: index } : {}) };
    const files = [outPattern, errPattern ?? outPattern].map((p) => path.resolve(workDir, expandOutputPattern(p, values)));
    for (const f of files) {
      const dir = path.dirname(f);
      if (!isDirectory(dir)) throw new LaunchError(missingFolderMessage(path.relative(workDir, dir) || dir, workDir));
    }
    units.push({
      ...(index !== undefined ? { task: index } : {}),
      command,
      env: {
        SLURM_JOB_ID: String(taskJobId), SLURM_JOBID: String(taskJobId),
        ...(index !== undefined ? {
          SLURM_ARRAY_JOB_ID: String(jobId), SLURM_ARRAY_TASK_ID: String(index),
          SLURM_ARRAY_TASK_COUNT: String(indexes!.length),
          SLURM_ARRAY_TASK_MIN: String(indexes![0]), SLURM_ARRAY_TASK_MAX: String(indexes![indexes!.length - 1]),
          ...(indexes!.length > 1 ? { SLURM_ARRAY_TASK_STEP: String(arrayStep(indexes!)) } : { SLURM_ARRAY_TASK_STEP: '1' }),
        } : {}),
      },
      files: { stdout: files[0]!, stderr: files[1]!, ...(append ? { append } : {}) },
      ...(limitMs !== undefined ? { timeLimitMs: limitMs } : {}),
    });
  });

  const byCores = Math.max(1, Math.floor(availableCores() / Math.max(1, cpusOnNode)));
  const wanted = checkCount(spec.maxParallel, 'arrayParallel');
  const maxParallel = Math.min(units.length, res.arrayMaxRunning ?? Infinity, wanted ?? byCores);
  const warnings = analysis.diagnostics.filter((d) => d.severity === 'warning');
  const notes = [
    `${path.basename(script)} as local job ${jobId} ("${jobName}"): ${summarizeResources(res)}`,
    indexes ? `array: ${indexes.length} task${indexes.length === 1 ? '' : 's'}, at most ${maxParallel} at once` +
      (res.arrayMaxRunning !== undefined ? ` (the script's %${res.arrayMaxRunning})` : '') : '',
    `output: ${units[0]!.files!.stdout}${units[0]!.files!.stderr !== units[0]!.files!.stdout ? `, errors: ${units[0]!.files!.stderr}` : ''}` +
      (indexes && indexes.length > 1 ? ' (first task)' : ''),
    res.nodes > 1 ? `--nodes=${res.nodes}: runs on this one machine (SLURM_JOB_NUM_NODES=1)` : '',
    cpusOnNode > availableCores() ? `the job asks for ${cpusOnNode} CPUs; this machine has ${availableCores()}` : '',
    root && /\bmpi(run|exec)\b/.test(text) ? 'running as root: OMPI_ALLOW_RUN_AS_ROOT=1 is set so that mpirun in the script runs' : '',
    ...warnings.slice(0, 5).map((d) => `linter warning: ${where(d)}`),
  ].filter(Boolean);

  return new LocalRun({
    backend: 'sbatch-local', spec, units, maxParallel, logDir, runId: newRunId('sbatch'), notes, launcherName: 'the script',
    ...(res.timeMinutes !== undefined ? { timeLimitText: formatMinutes(res.timeMinutes) } : {}),
    ...(spec.killGraceMs !== undefined ? { killGraceMs: spec.killGraceMs } : {}),
  }).start();
}

/** SLURM_ARRAY_TASK_STEP: the common step of the indexes, 1 when they have none. */
function arrayStep(indexes: readonly number[]): number {
  const step = indexes[1]! - indexes[0]!;
  return indexes.every((v, i) => i === 0 || v - indexes[i - 1]! === step) ? step : 1;
}
