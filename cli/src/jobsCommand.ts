/** `hpc-jobs jobs`: the user's jobs on a cluster, one line each (one squeue call). */
import type { JobRecord } from '../../runtimes/src/slurm/jobRecord';
import { CLUSTER_OPTIONS, CLUSTER_USAGE, CLUSTERS_FILE_HELP, openCluster, reportFailure } from './clusterOptions';
import { parseOptions, type Command } from './command';
import { printable } from './terminalText';

const usage = `Usage: hpc-jobs jobs --cluster NAME [--json]

Lists your jobs on the cluster: id (array tasks as ID_INDEX), Slurm state, reason, name.
${CLUSTER_USAGE}
  --json               one JSON array instead of the table

${CLUSTERS_FILE_HELP}`;

function displayId(r: JobRecord): string {
  if (r.arrayJobId && r.arrayTaskId !== undefined) return `${r.arrayJobId}_${r.arrayTaskId}`;
  if (r.arrayJobId && r.pendingTasks) return `${r.arrayJobId}_[${r.pendingTasks}]`;
  return r.jobId;
}

export function formatJobs(records: readonly JobRecord[]): string {
  const rows = [['JOBID', 'STATE', 'REASON', 'NODES', 'NAME'], ...records.map((r) => [
    displayId(r), printable(r.state), printable(r.reason ?? ''), printable(r.nodes ?? ''), printable(r.name ?? ''),
  ])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n') + '\n';
}

export const jobsCommand: Command = {
  usage,
  async run(args, io) {
    const { values } = parseOptions(args, { ...CLUSTER_OPTIONS, json: { type: 'boolean' } });
    if (values['help']) { io.stdout.write(usage + '\n'); return 0; }
    const opened = openCluster(values, io);
    try {
      const jobs = (await opened.cluster.listJobs())
        .filter((r) => r.state === 'PENDING' || r.state === 'RUNNING' || r.state === 'COMPLETING' || r.state === 'CONFIGURING' || r.state === 'SUSPENDED')
        .sort((a, b) => Number(a.arrayJobId ?? a.jobId) - Number(b.arrayJobId ?? b.jobId) || (a.arrayTaskId ?? -1) - (b.arrayTaskId ?? -1));
      io.stdout.write(values['json'] ? JSON.stringify(jobs, null, 2) + '\n' : formatJobs(jobs));
      return 0;
    } catch (e) {
      return reportFailure(e, io, 'jobs');
    } finally {
      await opened.close();
    }
  },
};
