/** `hpc-jobs hold|release`: keep pending jobs from starting, or let them start again (`scontrol hold|release`). */
import { CLUSTER_OPTIONS, CLUSTER_USAGE, CLUSTERS_FILE_HELP, JOB_TARGET_HELP, jobTargets, openCluster, reportFailure } from './clusterOptions';
import { parseOptions, type Command } from './command';

function holdOrRelease(held: boolean): Command {
  const verb = held ? 'hold' : 'release';
  const usage = `Usage: hpc-jobs ${verb} --cluster NAME ID...

${held ? 'Holds pending jobs: they stay in the queue but do not start until released.' : 'Releases held jobs: they may start again.'}
${JOB_TARGET_HELP}
${CLUSTER_USAGE}

${CLUSTERS_FILE_HELP}`;
  return {
    usage,
    async run(args, io) {
      const { values, positionals } = parseOptions(args, CLUSTER_OPTIONS);
      if (values['help']) { io.stdout.write(usage + '\n'); return 0; }
      const ids = jobTargets(positionals);
      const opened = openCluster(values, io);
      try {
        for (const id of ids) {
          await opened.cluster.setHeld(id, held);
          io.stderr.write(`[hpc-jobs] ${held ? 'held' : 'released'} ${id} on cluster "${opened.cluster.name}"\n`);
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

export const holdCommand = holdOrRelease(true);
export const releaseCommand = holdOrRelease(false);
