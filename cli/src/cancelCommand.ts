/** `hpc-jobs cancel`: scancel a job, one array task (ID_INDEX) or a range of tasks (ID_[1-3]). */
import { CLUSTER_OPTIONS, CLUSTER_USAGE, CLUSTERS_FILE_HELP, openCluster, reportFailure } from './clusterOptions';
import { parseOptions, UsageError, type Command } from './command';

const usage = `Usage: hpc-jobs cancel --cluster NAME ID...

ID is a job id (all of its array tasks), ID_INDEX (one task) or ID_[A-B] (some tasks).
${CLUSTER_USAGE}

${CLUSTERS_FILE_HELP}`;

export const cancelCommand: Command = {
  usage,
  async run(args, io) {
    const { values, positionals } = parseOptions(args, CLUSTER_OPTIONS);
    if (values['help']) { io.stdout.write(usage + '\n'); return 0; }
    if (positionals.length === 0) throw new UsageError('no job ID given.');
    const bad = positionals.filter((p) => !/^\d+(_(\d+|\[[\d,\-:%]+\]))?$/.test(p));
    if (bad.length) throw new UsageError(`not a job id: ${bad.join(', ')}`);
    const opened = openCluster(values, io);
    try {
      for (const id of positionals) {
        await opened.cluster.cancel(id);
        io.stderr.write(`[hpc-jobs] cancelled ${id} on cluster "${opened.cluster.name}"\n`);
      }
      return 0;
    } catch (e) {
      return reportFailure(e, io, 'cancel');
    } finally {
      await opened.close();
    }
  },
};
