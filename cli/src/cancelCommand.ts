/** `hpc-jobs cancel`: scancel a job, one array task (ID_INDEX) or a range of tasks (ID_[1-3]). */
import { CLUSTER_OPTIONS, CLUSTER_USAGE, CLUSTERS_FILE_HELP, JOB_TARGET_HELP, jobTargets, openCluster, reportFailure } from './clusterOptions';
import { parseOptions, type Command } from './command';

const usage = `Usage: hpc-jobs cancel --cluster NAME ID...

${JOB_TARGET_HELP}
${CLUSTER_USAGE}

${CLUSTERS_FILE_HELP}`;

export const cancelCommand: Command = {
  usage,
  async run(args, io) {
    const { values, positionals } = parseOptions(args, CLUSTER_OPTIONS);
    if (values['help']) { io.stdout.write(usage + '\n'); return 0; }
    const ids = jobTargets(positionals);
    const opened = openCluster(values, io);
    try {
      for (const id of ids) {
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
