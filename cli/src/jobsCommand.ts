/** `hpc-jobs jobs`: the user's jobs on a cluster, one line each (one squeue call; one sacct call with --since). */
import { masterId, reasonWords, startIsExpected, startsIn, type JobExit, type JobRecord } from '../../runtimes/src/slurm/index';
import { CLUSTER_OPTIONS, CLUSTER_USAGE, CLUSTERS_FILE_HELP, openCluster, reportFailure } from './clusterOptions';
import { parseOptions, UsageError, type Command } from './command';
import { printable } from './terminalText';
import { signalWords } from '../../runtimes/src/runtime';

const usage = `Usage: hpc-jobs jobs --cluster NAME [--since AGE] [--json]

Lists your jobs on the cluster: id (array tasks as ID_INDEX), Slurm state, when a pending job is
expected to start, its name, and why it waits (or why it ended) in words.
${CLUSTER_USAGE}
  --since AGE          also your jobs that ended in the last AGE (e.g. 2d, 12h; from sacct, which
                       needs accounting on the cluster)
  --json               one JSON array instead of the table (reasonWords added to each record)

${CLUSTERS_FILE_HELP}`;

const UNFINISHED = new Set(['PENDING', 'RUNNING', 'COMPLETING', 'CONFIGURING', 'SUSPENDED', 'REQUEUED', 'RESIZING']);

function displayId(r: JobRecord): string {
  if (r.arrayJobId && r.arrayTaskId !== undefined) return `${r.arrayJobId}_${r.arrayTaskId}`;
  if (r.arrayJobId && r.pendingTasks) return `${r.arrayJobId}_[${r.pendingTasks}]`;
  return r.jobId;
}

/** "in 12 min", "now" for a pending job with an estimate; "" otherwise. */
function startColumn(r: JobRecord, now: number): string {
  if (r.state !== 'PENDING' || r.expectedStart === undefined || !startIsExpected(r.reason)) return '';
  return startsIn(r.expectedStart, now);
}

function whyColumn(r: JobRecord): string {
  // sacct keeps a finished job's last pending reason ("JobHeldUser" on a job that completed):
  // for an ended job only a reason about its end is news; its exit tells the rest.
  const words = r.reason ? reasonWords(r.reason) : undefined;
  if (!UNFINISHED.has(r.state)) {
    if (words?.kind === 'ended') return `${words.text} (${r.reason})${r.exit ? `: ${exitWords(r.exit)}` : ''}`;
    return r.exit && (r.exit.code !== 0 || r.exit.signal) ? exitWords(r.exit) : '';
  }
  return words ? `${words.text} (${r.reason})` : '';
}

function exitWords(exit: JobExit): string {
  return exit.signal ? signalWords(exit.signal) : `exit code ${exit.code}`;
}

export function formatJobs(records: readonly JobRecord[], now = Date.now()): string {
  const rows = [['JOBID', 'STATE', 'STARTS', 'NAME', 'WHY'], ...records.map((r) => [
    displayId(r), printable(r.state), startColumn(r, now), printable(r.name ?? ''), printable(whyColumn(r)),
  ])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n') + '\n';
}

/** `2d`, `12h`, `30m` → days for sacct (whole minutes kept). */
export function parseAge(text: string): { amount: number; unit: 'days' | 'hours' | 'minutes' } {
  const m = /^(\d{1,4})([dhm])$/.exec(text.trim());
  if (!m || Number(m[1]) < 1) throw new UsageError(`--since wants an age such as 2d, 12h or 30m, not ${JSON.stringify(text)}.`);
  return { amount: Number(m[1]), unit: m[2] === 'd' ? 'days' : m[2] === 'h' ? 'hours' : 'minutes' };
}

function byId(a: JobRecord, b: JobRecord): number {
  return Number(masterId(a)) - Number(masterId(b)) || (a.arrayTaskId ?? -1) - (b.arrayTaskId ?? -1);
}

export const jobsCommand: Command = {
  usage,
  async run(args, io) {
    const { values } = parseOptions(args, { ...CLUSTER_OPTIONS, json: { type: 'boolean' }, since: { type: 'string' } });
    if (values['help']) { io.stdout.write(usage + '\n'); return 0; }
    const since = typeof values['since'] === 'string' ? parseAge(values['since']) : undefined;
    const opened = openCluster(values, io);
    try {
      const queued = (await opened.cluster.listJobs()).filter((r) => UNFINISHED.has(r.state));
      let jobs = queued;
      if (since) {
        const seen = new Set(queued.map(displayId));
        try {
          const ended = (await opened.cluster.history(since)).filter((r) => !UNFINISHED.has(r.state) && !seen.has(displayId(r)));
          jobs = [...queued, ...ended];
        } catch (e) {
          // Without accounting there is no history; the queue is still worth showing.
          io.stderr.write(`[hpc-jobs] no finished jobs listed: ${(e as Error).message}\n`);
        }
      }
      jobs.sort(byId);
      io.stdout.write(values['json']
        ? JSON.stringify(jobs.map((r) => (r.reason ? { ...r, reasonWords: reasonWords(r.reason) } : r)), null, 2) + '\n'
        : formatJobs(jobs));
      return 0;
    } catch (e) {
      return reportFailure(e, io, 'jobs');
    } finally {
      await opened.close();
    }
  },
};
