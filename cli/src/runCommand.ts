/** `hpc-jobs run`: a program or batch script on this machine through the runtimes, output tagged per rank/task. */
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { checkTime } from '../../server/src/values/time';
import { BoundedReadError, exitCodeOf, importsMpi4py, LaunchError, launchLocal, linePrefix, MAX_PROCESSES, MAX_TASKS, minuteMs, readRegularFile, usageBadge, type LocalRun, type LocalRunSpec, type OutputLine } from '../../runtimes/src/index';
import { countLimit, readCount, type CountKind } from '../../runtimes/src/request/counts';
import { fileKind } from '../../runtimes/src/request/fileKind';
import type { LocalRequest } from '../../runtimes/src/request/runRequest';
import { startRequest } from '../../runtimes/src/request/startRequest';
import { parseOptions, UsageError, type Command, type Io } from './command';

/** Larger than any program or batch script this runs; read only to choose the backend. */
const MAX_SCRIPT_BYTES = 64 * 1024 * 1024;

const BACKENDS = ['pool', 'tasks', 'mpi', 'gpu', 'sbatch-local'] as const;
type Backend = typeof BACKENDS[number];

const usage = `Usage: hpc-jobs run [--backend pool|tasks|mpi|gpu|sbatch-local] [-n N] [--tasks K] [--python PATH]
                    [--cuda-sim] [--time LIMIT] [--mpirun PATH] [--log-dir DIR] FILE [-- ARGS...]

  --backend, -b   how to run FILE (default: from the file: a .slurm/.sbatch file or a script with
                  #SBATCH lines runs as sbatch-local, a .py file that imports mpi4py as mpi, else pool)
      pool          one process; a Python pool sizes itself from HPC_JOBS_WORKERS=N
      tasks         FILE once per task id 0..K-1, N at once, with SLURM_ARRAY_TASK_ID/HPC_TASK_ID set
      mpi           N ranks through mpirun, output tagged per rank
      gpu           one process per GPU (CUDA_VISIBLE_DEVICES), N GPUs
      sbatch-local  a batch script as Slurm would run it, here: #SBATCH lines, --output files, --array, --time
  -n N            workers (pool), tasks at once (tasks), ranks (mpi), GPUs (gpu); 1..${MAX_PROCESSES}
                  (default: the cores here; gpu: every GPU, or 1 simulated)
  --tasks K       number of tasks (tasks backend; implies it), 1..${MAX_TASKS}
  --python PATH   interpreter for .py files (default python3); sbatch-local exports it as $PYTHON
  --cuda-sim      gpu without a GPU: numba's CUDA simulator (runs @cuda.jit kernels, not @vectorize)
  --time LIMIT    stop after LIMIT (Slurm format: minutes, MM:SS, HH:MM:SS, D-HH...): exit 124
  --mpirun PATH   the MPI launcher (default: mpirun, else mpiexec, on PATH)
  --log-dir DIR   where runs are recorded (default $HPC_JOBS_LOG_DIR, else ~/.local/state/hpc-jobs/runs)

Put the program's own options after "--". Ctrl-C ends every process of the run (twice: at once).
Exit status: the run's: 0, the first failing rank's/task's code, 124 time limit, 130 cancelled;
2 usage errors; 125 when it could not start (no interpreter, no mpirun, no mpi4py, no GPU...).`;

/** What -n counts for each backend (sbatch-local refuses it: the script decides). */
const N_COUNTS: Readonly<Record<Exclude<Backend, 'sbatch-local'>, CountKind>> = { pool: 'workers', tasks: 'parallel', mpi: 'ranks', gpu: 'gpus' };

function count(value: string | boolean | (string | boolean)[] | undefined, flag: string, kind: CountKind): number | undefined {
  if (value === undefined) return undefined;
  const read = readCount(String(value), countLimit(kind), flag);
  if ('problem' in read) throw new UsageError(read.problem);
  return read.count;
}

/** `-n -1` reads as a missing value to parseArgs; joined (`-n-1`) it reaches the count check and its message. */
function joinNegativeCounts(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') { out.push(...args.slice(i)); break; }
    if ((a === '-n' || a === '--tasks') && /^-\d+$/.test(args[i + 1] ?? '')) { out.push(a === '-n' ? `-n${args[++i]}` : `--tasks=${args[++i]}`); continue; }
    out.push(a);
  }
  return out;
}

/** The backend a file asks for when none is given. */
export function defaultBackend(file: string, text: string): Backend {
  const kind = fileKind(file, text);
  if (kind === 'batch') return 'sbatch-local';
  if (kind === 'python' && importsMpi4py(text)) return 'mpi';
  return 'pool';
}

const COLOURS = [36, 33, 35, 32, 34, 31];

function formatter(colour: boolean): (line: OutputLine) => string {
  return (line) => {
    if (line.system) return colour ? `\x1b[2m[hpc-jobs] ${line.text}\x1b[0m\n` : `[hpc-jobs] ${line.text}\n`;
    const who = line.rank ?? line.task;
    if (who === undefined) return line.text + '\n';
    const prefix = linePrefix({ stream: 'stdout', ...(line.rank !== undefined ? { rank: line.rank } : { task: line.task! }) });
    return colour ? `\x1b[${COLOURS[who % COLOURS.length]}m${prefix}\x1b[0m${line.text}\n` : prefix + line.text + '\n';
  };
}

/** What `hpc-jobs run ARGS` asks for: the usage, a file it cannot read (why), or the request it starts. */
export type RunArgs = { readonly help: true } | { readonly unreadable: string } | { readonly request: LocalRequest };

/** The arguments read into the request the run starts; a UsageError when they are wrong. */
export function readRunArgs(args: readonly string[]): RunArgs {
  const { values, positionals } = parseOptions(joinNegativeCounts(args), {
    backend: { type: 'string', short: 'b' },
    n: { type: 'string', short: 'n' },
    tasks: { type: 'string' },
    python: { type: 'string' },
    'cuda-sim': { type: 'boolean', default: false },
    time: { type: 'string', short: 't' },
    mpirun: { type: 'string' },
    'log-dir': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return { help: true };
  const [file, ...programArgs] = positionals;
  if (file === undefined) throw new UsageError('no FILE given.');
  const requested = values.backend as string | undefined;
  if (requested !== undefined && !(BACKENDS as readonly string[]).includes(requested)) {
    throw new UsageError(`unknown backend '${requested}' (use ${BACKENDS.join(', ')}).`);
  }
  const tasks = count(values.tasks, '--tasks', 'tasks');

  let text = '';
  try {
    // Regular files only, bounded: `run /dev/zero` read gigabytes, `run` of a FIFO waited forever.
    text = readRegularFile(file, MAX_SCRIPT_BYTES).toString('utf8');
  } catch (e) {
    if (e instanceof BoundedReadError) return { unreadable: `${file}: ${e.message}` };
    const code = (e as NodeJS.ErrnoException).code;
    // A command on PATH (tasks of `sh -c ...`) is not a file: the backend looks it up.
    if (code !== 'ENOENT' || file.includes('/') || /\.(py|sh|slurm|sbatch)$/i.test(file)) {
      return { unreadable: `${file}: ${code === 'ENOENT' ? 'file not found' : (e as Error).message}` };
    }
  }
  const backend: Backend = (requested as Backend | undefined) ?? (tasks !== undefined ? 'tasks' : defaultBackend(file, text));
  if (tasks !== undefined && backend !== 'tasks') throw new UsageError(`--tasks is for the tasks backend, not ${backend}.`);
  if (values['cuda-sim'] && backend !== 'gpu') throw new UsageError('--cuda-sim is for the gpu backend (--backend gpu).');
  if (backend === 'sbatch-local') {
    if (values.n !== undefined) throw new UsageError('-n does not apply to sbatch-local: the script\'s #SBATCH lines decide.');
    if (values.time !== undefined) throw new UsageError('--time does not apply to sbatch-local: the script\'s --time applies.');
  }
  const n = backend === 'sbatch-local' ? undefined : count(values.n, '-n', N_COUNTS[backend]);
  let timeLimitMs: number | undefined;
  if (values.time !== undefined) {
    const check = checkTime(String(values.time), 'time');
    if (check.parsed === undefined || check.issues.length > 0) {
      throw new UsageError(`--time: ${check.issues[0]?.message ?? `'${String(values.time)}' is not a time limit.`}`);
    }
    if (Number.isFinite(check.parsed)) timeLimitMs = check.parsed * minuteMs({});
  }

  const common = {
    ...(values.python !== undefined ? { python: String(values.python) } : {}),
    ...(values['log-dir'] !== undefined ? { logDir: path.resolve(String(values['log-dir'])) } : {}),
    ...(timeLimitMs !== undefined ? { timeLimitMs } : {}),
  };
  const program = { program: file, args: programArgs };
  let spec: LocalRunSpec;
  switch (backend) {
    case 'pool': spec = { backend, ...common, ...program, ...(n !== undefined ? { workers: n } : {}) }; break;
    case 'tasks': spec = { backend, ...common, ...program, tasks: tasks ?? 1, ...(n !== undefined ? { parallel: n } : {}) }; break;
    case 'mpi': spec = {
      backend, ...common, ...program, ranks: n ?? availableParallelism(),
      ...(values.mpirun !== undefined ? { mpirun: String(values.mpirun) } : {}),
    }; break;
    case 'gpu': spec = { backend, ...common, ...program, ...(n !== undefined ? { gpus: n } : {}), cudaSim: values['cuda-sim'] === true }; break;
    case 'sbatch-local': spec = { backend, ...common, script: file, args: programArgs }; break;
  }
  return { request: { target: 'local', spec } };
}

export const runCommand: Command = {
  usage,
  async run(args, io) {
    const read = readRunArgs(args);
    if ('help' in read) { io.stdout.write(usage + '\n'); return 0; }
    if ('unreadable' in read) { io.stderr.write(`hpc-jobs run: ${read.unreadable}\n`); return 125; }
    return runAndStream(read.request, io);
  },
};

/** When the stream drains, or is closed (a reader that left never drains). */
function drained(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => { stream.removeListener('drain', done); stream.removeListener('close', done); stream.removeListener('error', done); resolve(); };
    stream.once('drain', done);
    stream.once('close', done);
    stream.once('error', done);
  });
}

async function runAndStream(request: LocalRequest, io: Io): Promise<number> {
  let run: LocalRun;
  try {
    // As the editor and tasks.json start a run; the handle is this process's own LocalRun.
    run = (await startRequest(request, { launchLocal })).handle;
  } catch (e) {
    if (e instanceof LaunchError) {
      io.stderr.write(`hpc-jobs run: ${e.message}\n${e.hint ? `  ${e.hint}\n` : ''}`);
      // "Choose that interpreter" means, here: the option that chooses it.
      if (e.interpreter) io.stderr.write(`  Run again with --python ${e.interpreter}.\n`);
      return 125;
    }
    throw e;
  }
  const colour = process.env.NO_COLOR === undefined && io.stdout.isTTY === true;
  const format = formatter(colour);
  const formatErr = formatter(process.env.NO_COLOR === undefined && io.stderr.isTTY === true);
  const waiting = new Set<NodeJS.WritableStream>();
  const holdFor = (s: NodeJS.WritableStream): void => {
    if (waiting.has(s)) return;
    waiting.add(s);
    run.holdOutput(drained(s).then(() => { waiting.delete(s); }));
  };
  run.onDidOutput((lines) => {
    let out = '';
    let err = '';
    for (const l of lines) {
      if (l.stream === 'stdout' && !l.system) out += format(l); else err += formatErr(l);
    }
    // A slow reader (`| less`, a CI log pipe) holds the programs back instead of the lines
    // piling up here: write() said the pipe is full, so wait for its drain.
    if (out && !io.stdout.write(out)) holdFor(io.stdout);
    if (err && !io.stderr.write(err)) holdFor(io.stderr);
  });

  let interrupted = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted++;
    if (interrupted === 1) io.stderr.write(`\nhpc-jobs run: ${signal === 'SIGINT' ? 'Ctrl-C' : signal}: cancelling (again to kill at once)\n`);
    void run.cancel();
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, onSignal);
  try {
    const result = await run.result;
    // What it used here predicts what it will need as a job.
    if (result.usage) io.stderr.write(`hpc-jobs run: used ${usageBadge(result.usage, (result.endedAt - (result.startedAt ?? result.endedAt)) / 1000)}\n`);
    io.stderr.write(`hpc-jobs run: log: ${run.logPath}\n`);
    return exitCodeOf(result.state, result.exits);
  } finally {
    for (const s of signals) process.off(s, onSignal);
    run.dispose();
  }
}
