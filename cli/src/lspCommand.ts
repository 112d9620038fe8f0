/**
 * `hpc-jobs lsp`: the language server VS Code runs, for any LSP client (Neovim, Emacs, Helix,
 * Vim). The same `startLanguageServer`; what VS Code's client does for it (reading the cluster
 * profile of `hpcJobs.lint.cluster`) is done here, from the CLI's clusters file.
 */
import { Readable } from 'node:stream';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import type { ClusterProfile } from '../../server/src/clusterProfile';
import { startLanguageServer } from '../../server/src/languageServer';
import { closeCluster, slurmClusterFor } from '../../runtimes/src/slurm/index';
import { clustersFilePath, loadClusters } from './clusterConfigFile';
import { UsageError, type Command, type Io } from './command';
import { terminalPrompts } from './terminalPrompts';

const usage = `Usage: hpc-jobs lsp --stdio | --node-ipc | --socket=PORT | --pipe=NAME

Serves the Slurm batch-script language server (diagnostics, hover, completion, code actions,
document symbols, inlay hints) to an editor over the given channel; editors start it themselves.
Settings come through workspace/configuration, section "hpcJobs":
  { "lint": { "slurmVersion": "23.02", "resourceSummary": true, "cluster": "NAME" } }
"cluster" names a cluster of the clusters file ($HPC_JOBS_CONFIG or ~/.config/hpc-jobs/clusters.json);
its partitions, limits, accounts and QOS are read once over its connection.`;

/** The channels vscode-languageserver reads from the command line itself. */
const CHANNEL = /^--(stdio|node-ipc|socket=\d+|pipe=.+)$/;
const PASSED_ON = /^--clientProcessId=\d+$/;

export const lspCommand: Command = {
  usage,
  run(args, io) {
    if (args.includes('--help') || args.includes('-h')) { io.stdout.write(usage + '\n'); return Promise.resolve(0); }
    const unknown = args.filter((a) => !CHANNEL.test(a) && !PASSED_ON.test(a));
    if (unknown.length > 0) throw new UsageError(`unknown argument '${unknown[0]}'.`);
    const channels = args.filter((a) => CHANNEL.test(a));
    if (channels.length !== 1) throw new UsageError('give one channel: --stdio, --node-ipc, --socket=PORT or --pipe=NAME.');
    // createConnection finds the channel in process.argv (`hpc-jobs lsp --stdio` has it there).
    const connection = createConnection(ProposedFeatures.all);
    startLanguageServer(connection, { loadClusterProfile: clusterProfileLoader(io) });
    // The connection ends the process (on `exit`, or when the client's end closes).
    return new Promise<number>(() => undefined);
  },
};

/**
 * Reads a profile over a connection opened for it and closed after: the server holds no idle
 * session on the login node. Only names from the clusters file: a setting (which a project's
 * editor config can carry) must not make the server dial any host. Nothing is asked (stdin is
 * the LSP channel): an unknown host key is refused, with how to trust it on stderr.
 */
function clusterProfileLoader(io: Io): (name: string) => Promise<ClusterProfile> {
  const quiet: Io = { stdout: io.stderr, stderr: io.stderr, stdin: Readable.from([]) };
  return async (name) => {
    const config = loadClusters().get(name);
    if (!config) throw new Error(`no cluster "${name}" in ${clustersFilePath()}.`);
    const cluster = slurmClusterFor(config, { prompts: terminalPrompts(quiet) });
    try {
      return await cluster.profile();
    } finally {
      await closeCluster(cluster);
    }
  };
}
