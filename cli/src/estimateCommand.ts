/** `hpc-jobs estimate`: when a batch script would start on a cluster (`sbatch --test-only`), without submitting it. */
import { promises as fs } from 'node:fs';
import { describeEstimate } from '../../runtimes/src/slurm/index';
import { CLUSTER_OPTIONS, CLUSTER_USAGE, CLUSTERS_FILE_HELP, openCluster, reportFailure } from './clusterOptions';
import { parseOptions, UsageError, type Command } from './command';

const usage = `Usage: hpc-jobs estimate --cluster NAME [--json] FILE [-- SBATCH_OPTIONS...]

Asks the cluster's scheduler when FILE (a batch script) would start if submitted now, on which
nodes and partition (sbatch --test-only). Nothing is uploaded or submitted. The estimate assumes
running jobs use their whole time limit and ignores jobs submitted later with a higher priority:
it is often pessimistic, sometimes optimistic.
${CLUSTER_USAGE}
  --json               the estimate as JSON ({ start, processors, nodes, partition })

Exit status: 0 with an estimate; 1 when sbatch would refuse the script (its reason is printed).

${CLUSTERS_FILE_HELP}`;

/** sbatch's own limit on a script. */
const MAX_SCRIPT_BYTES = 4 * 1024 * 1024;

export const estimateCommand: Command = {
  usage,
  async run(args, io) {
    const { values, positionals } = parseOptions(args, { ...CLUSTER_OPTIONS, json: { type: 'boolean' } });
    if (values['help']) { io.stdout.write(usage + '\n'); return 0; }
    const [file, ...sbatchOptions] = positionals;
    if (!file) throw new UsageError('no batch script given.');
    const notOption = sbatchOptions.find((o) => !o.startsWith('-'));
    if (notOption !== undefined) throw new UsageError(`not an sbatch option: ${notOption}`);
    const st = await fs.stat(file).catch(() => undefined);
    if (!st?.isFile()) throw new UsageError(`${file}: not a file.`);
    if (st.size > MAX_SCRIPT_BYTES) throw new UsageError(`${file}: over sbatch's 4 MB limit for a batch script.`);
    const text = await fs.readFile(file, 'utf8');
    const opened = openCluster(values, io);
    try {
      const e = await opened.cluster.estimateStart(text, sbatchOptions);
      io.stdout.write(values['json']
        ? JSON.stringify({ start: new Date(e.start).toISOString(), processors: e.processors, nodes: e.nodes, partition: e.partition }) + '\n'
        : `${file} would start ${describeEstimate(e, Date.now())} (an estimate: it assumes running jobs use their whole time limit).\n`);
      return 0;
    } catch (e) {
      return reportFailure(e, io, 'estimate');
    } finally {
      await opened.close();
    }
  },
};
