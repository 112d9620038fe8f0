/** `hpc-jobs hold|release`: keep pending jobs from starting, or let them start again (`scontrol hold|release`). */
import { CLUSTER_OPTIONS, CLUSTER_USAGE, CLUSTERS_FILE_HELP, openCluster, reportFailure } from './clusterOptions';
import { parseOptions, UsageError, type Command } from './command';

function holdOrRelease(held: boolean): Command {
  const verb = held ? 'hold' : 'release';
  const usage = `Usage: hpc-jobs ${verb} --cluster NAME ID...

${held ? 'Holds pending jobs: they stay in the queue but do not start until released.' : 'Releases held jobs: they may start again.'}
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
