/**
 * `squeue --json` (Slurm 21.08+). Traps, seen on 22.05.8:
 *  - it IGNORES every filter (-j, -u, -t): the answer holds every job the controller knows,
 *    all users, finished ones too (for MinJobAge), so we filter here;
 *  - when the controller is down it still exits 0, with an `errors` entry and no jobs — read
 *    as-is, every job would look finished. `SlurmQueryError` is thrown instead.
 * 23.02+ changed the shapes (states as arrays, numbers as {set, number}); both are read.
 */
import { exitFromWaitStatus, type JobExit, type JobRecord } from './jobRecord';
import { SlurmQueryError } from './slurmErrors';

type Num = number | { set?: boolean; infinite?: boolean; number?: number } | null | undefined;

function num(v: Num): number | undefined {
  if (typeof v === 'number') return v;
  if (v && typeof v === 'object' && v.set !== false && typeof v.number === 'number') return v.number;
  return undefined;
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function stateOf(v: unknown): string {
  if (Array.isArray(v)) return String(v[0] ?? 'UNKNOWN');
  return typeof v === 'string' ? v : 'UNKNOWN';
}

function exitOf(v: unknown): JobExit | undefined {
  const raw = num(v as Num);
  if (raw !== undefined) return exitFromWaitStatus(raw);
  // 23.02+: { status: [...], return_code: {number}, signal: { id: {number}, name } }
  if (v && typeof v === 'object') {
    const o = v as { return_code?: Num; signal?: { id?: Num; name?: string } };
    const sig = num(o.signal?.id);
    if (sig) return { code: null, signal: o.signal?.name ? `SIG${o.signal.name.replace(/^SIG/, '')}` : `signal ${sig}` };
    const code = num(o.return_code);
    if (code !== undefined) return { code };
  }
  return undefined;
}

interface JsonJob {
  job_id?: Num; array_job_id?: Num; array_task_id?: Num; array_task_string?: string;
  job_state?: unknown; state_reason?: string; exit_code?: unknown; name?: string; user_name?: string;
  nodes?: string; current_working_directory?: string; standard_output?: string; standard_error?: string;
  start_time?: Num; end_time?: Num; partition?: string; submit_time?: Num; time_limit?: Num;
}

/** Slurm's INFINITE and NO_VAL (0xffffffff, 0xfffffffe) are no limit. */
const NO_LIMIT = 0xfffffffe;

export function recordFromJson(j: JsonJob): JobRecord | undefined {
  const id = num(j.job_id);
  if (id === undefined) return undefined;
  const arrayJob = num(j.array_job_id);
  const task = num(j.array_task_id);
  const pending = text(j.array_task_string);
  const reason = text(j.state_reason);
  const exit = exitOf(j.exit_code);
  const start = num(j.start_time);
  const end = num(j.end_time);
  const state = stateOf(j.job_state);
  const submit = num(j.submit_time);
  const limit = num(j.time_limit);
  return {
    jobId: String(id),
    ...(arrayJob ? { arrayJobId: String(arrayJob) } : {}),
    ...(arrayJob && task !== undefined ? { arrayTaskId: task } : {}),
    ...(arrayJob && pending ? { pendingTasks: pending } : {}),
    state,
    ...(reason && reason !== 'None' ? { reason } : {}),
    ...(exit && state !== 'PENDING' && state !== 'RUNNING' ? { exit } : {}),
    ...(text(j.name) ? { name: j.name! } : {}),
    ...(text(j.user_name) ? { user: j.user_name! } : {}),
    ...(text(j.nodes) ? { nodes: j.nodes! } : {}),
    ...(text(j.current_working_directory) ? { workDir: j.current_working_directory! } : {}),
    ...(text(j.standard_output) ? { stdout: j.standard_output! } : {}),
    ...(text(j.standard_error) ? { stderr: j.standard_error! } : {}),
    // A pending job's start_time is the scheduler's estimate, not a start.
    ...(start ? (state === 'PENDING' ? { expectedStart: start * 1000 } : { startTime: start * 1000 }) : {}),
    ...(end && state !== 'PENDING' && state !== 'RUNNING' ? { endTime: end * 1000 } : {}),
    ...(text(j.partition) ? { partition: j.partition! } : {}),
    ...(submit ? { submitTime: submit * 1000 } : {}),
    ...(limit && limit < NO_LIMIT ? { timeLimitMinutes: limit } : {}),
  };
}

export function parseSqueueJson(stdout: string): JobRecord[] {
  let doc: { errors?: { description?: string; error?: string; source?: string }[]; jobs?: JsonJob[] };
  try {
    doc = JSON.parse(stdout) as typeof doc;
  } catch {
    throw new SlurmQueryError('squeue --json printed something that is not JSON.', stdout.slice(0, 200));
  }
  const errors = doc.errors ?? [];
  if (errors.length > 0) {
    const e = errors[0]!;
    throw new SlurmQueryError(`squeue: ${[e.source, e.description, e.error].filter(Boolean).join(': ')}`, JSON.stringify(errors));
  }
  return (doc.jobs ?? []).flatMap((j) => recordFromJson(j) ?? []);
}
