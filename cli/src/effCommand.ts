/** `hpc-jobs eff`: how finished jobs went (seff-like), from one sacct call; arrays summarised. */
import { arrayText, outcomeText, summarizeArray, type JobOutcome } from '../../runtimes/src/slurm/index';
import { CLUSTER_OPTIONS, CLUSTER_USAGE, CLUSTERS_FILE_HELP, openCluster, reportFailure } from './clusterOptions';
import { parseOptions, UsageError, type Command } from './command';

const usage = `Usage: hpc-jobs eff --cluster NAME [--json] JOBID...

How each job went: state and exit, CPU efficiency (CPU time over elapsed × cores), peak memory
against what was allocated (summed over a step's tasks, largest step), elapsed against the time
limit. An array job (its id) is summarised (min / median / max) and listed per task; ID_N is one
task. Needs accounting (sacct) on the cluster. Like seff, but one sacct call for every job given.
${CLUSTER_USAGE}
  --json               the figures as JSON

${CLUSTERS_FILE_HELP}`;

export function effReport(ids: readonly string[], outcomes: readonly JobOutcome[]): { text: string; missing: string[] } {
  const blocks: string[] = [];
  const missing: string[] = [];
  for (const id of ids) {
    const own = outcomes.filter((o) => o.id === id || (!id.includes('_') && o.arrayJobId === id));
    if (own.length === 0) { missing.push(id); continue; }
    blocks.push(own.length === 1 && own[0]!.id === id ? outcomeText(own[0]!) : arrayText(id, own));
  }
  return { text: blocks.join('\n\n'), missing };
}

export const effCommand: Command = {
  usage,
  async run(args, io) {
    const { values, positionals } = parseOptions(args, { ...CLUSTER_OPTIONS, json: { type: 'boolean' } });
    if (values['help']) { io.stdout.write(usage + '\n'); return 0; }
    if (positionals.length === 0) throw new UsageError('no job ID given.');
    const bad = positionals.filter((p) => !/^\d+(_\d+)?$/.test(p));
    if (bad.length) throw new UsageError(`not a job id: ${bad.join(', ')}`);
    const opened = openCluster(values, io);
    try {
      const outcomes = await opened.cluster.outcomes(positionals);
      const { text, missing } = effReport(positionals, outcomes);
      if (values['json']) {
        const arrays = [...new Set(outcomes.filter((o) => o.arrayJobId).map((o) => o.arrayJobId!))];
        io.stdout.write(JSON.stringify({ jobs: outcomes, arrays: Object.fromEntries(arrays.map((a) => [a, summarizeArray(outcomes.filter((o) => o.arrayJobId === a))])), missing }, null, 2) + '\n');
      } else if (text) {
        io.stdout.write(text + '\n');
      }
      for (const id of missing) io.stderr.write(`hpc-jobs eff: job ${id} is not in the accounting of cluster "${opened.cluster.name}" (wrong id, or older than what sacct keeps).\n`);
      return missing.length ? 1 : 0;
    } catch (e) {
      return reportFailure(e, io, 'eff');
    } finally {
      await opened.close();
    }
  },
};
