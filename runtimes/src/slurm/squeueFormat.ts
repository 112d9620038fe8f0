/**
 * squeue with a fixed `-o` format, for clusters without `--json` (before 21.08) or where the
 * JSON answer is too big (22.05 ignores filters with --json). `-r` lists every array task on
 * its own line, `-t all` keeps jobs that ended in the last MinJobAge seconds. Fields that can
 * hold `|` (names) are left out; exit codes come from sacct/scontrol.
 */
import { parseSlurmTime, type JobRecord } from './jobRecord';

/**
 * %A own id, %F array master (= own id when not an array), %K task index or N/A, %T state, %r reason,
 * %N nodes, %S start: the real one once running, the scheduler's estimate while pending (what
 * `squeue --start` shows).
 */
export const SQUEUE_FORMAT = '%A|%F|%K|%T|%r|%N|%S';

export function parseSqueueFormat(stdout: string): JobRecord[] {
  const out: JobRecord[] = [];
  for (const line of stdout.split('\n')) {
    const f = line.trim().split('|');
    if (f.length < 6 || !/^\d+$/.test(f[0]!)) continue;
    const [id, master, task, state, reason, nodes, startText] = f as [string, string, string, string, string, string, string?];
    const start = parseSlurmTime(startText);
    const isArray = /^\d+$/.test(task);
    const pending = !isArray && /^\[?[\d,\-:%]+\]?$/.test(task) && task !== 'N/A' ? task.replace(/^\[|\]$/g, '') : undefined;
    out.push({
      jobId: id,
      ...(isArray || pending ? { arrayJobId: master } : {}),
      ...(isArray ? { arrayTaskId: Number(task) } : {}),
      ...(pending ? { pendingTasks: pending } : {}),
      state,
      ...(reason && reason !== 'None' ? { reason } : {}),
      ...(nodes && !nodes.startsWith('(') ? { nodes } : {}),
      ...(start ? (state === 'PENDING' ? { expectedStart: start } : { startTime: start }) : {}),
    });
  }
  return out;
}
