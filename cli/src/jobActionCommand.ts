/** `cancel`, `hold`, `release`: one action on each job or task id given, on one cluster. */
import type { SlurmCluster } from '../../runtimes/src/slurm/index';
import { CLUSTER_OPTIONS, CLUSTER_USAGE, CLUSTERS_FILE_HELP, openCluster, reportFailure } from './clusterOptions';
import { parseOptions, UsageError, type Command } from './command';

export function jobActionCommand(verb: string, about: string, done: string, act: (cluster: SlurmCluster, id: string) => Promise<void>): Command {
  const usage = `Usage: hpc-jobs ${verb} --cluster NAME ID...

${about}
ID is a job id (all of its array tasks), ID_INDEX (one task) or ID_[A-B] (some tasks).
${CLUSTER_USAGE}

${CLUSTERS_FILE_HELP}`;
  return {
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
          await act(opened.cluster, id);
          io.stderr.write(`[hpc-jobs] ${done} ${id} on cluster "${opened.cluster.name}"\n`);
        }
        return 0;
      } catch (e) {
        return reportFailure(e, io, verb);
      } finally {
        await opened.close();
      }
    },
  };
}
