/**
 * `hpc-jobs mcp`: the linter and read-only cluster queries as Model Context Protocol tools over
 * stdio, for coding agents, with the official TypeScript SDK. Submitting and cancelling are not
 * offered: an agent reads; the user acts.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { clustersFilePath, loadClusters } from './clusterConfigFile';
import { parseOptions, UsageError, type Command, type Io } from './command';
import { explainSbatchOption, jobOutcome, lintBatchScript, listJobs, type ToolAnswer } from './mcpTools';

declare const HPC_JOBS_VERSION: string | undefined;

const usage = `Usage: hpc-jobs mcp

Serves Model Context Protocol tools over stdio (an agent's MCP client starts it):
  lint_batch_script      text or path → diagnostics with their fixes
  explain_sbatch_option  an option (and value) → what sbatch does with it
  list_jobs              your jobs (or everyone's) on a cluster of the clusters file
  job_outcome            state, exit code and reason of one job
Clusters are the entries of $HPC_JOBS_CONFIG or ~/.config/hpc-jobs/clusters.json, nothing else;
nothing is submitted or cancelled. Example client config:
  { "mcpServers": { "hpc-jobs": { "command": "hpc-jobs", "args": ["mcp"] } } }`;

const answer = (a: ToolAnswer) => ({
  content: [{ type: 'text' as const, text: JSON.stringify(a.json, null, 2) }],
  ...(a.error ? { isError: true } : {}),
});

/** A cluster failure (unreachable, host key, Slurm error) is the tool's answer, not a protocol error. */
async function guarded(run: () => Promise<ToolAnswer>): Promise<ReturnType<typeof answer>> {
  try {
    return answer(await run());
  } catch (e) {
    const hint = (e as { hint?: string }).hint;
    return answer({ json: { error: e instanceof Error ? e.message : String(e), ...(hint ? { hint } : {}) }, error: true });
  }
}

export function createMcpServer(io: Io): McpServer {
  const server = new McpServer({ name: 'hpc-jobs', version: typeof HPC_JOBS_VERSION === 'string' ? HPC_JOBS_VERSION : 'dev' });
  const readOnly = { readOnlyHint: true, destructiveHint: false, idempotentHint: true } as const;
  const slurmVersion = z.string().optional().describe('The Slurm release the cluster runs, YY.MM (e.g. 23.02); options it lacks are reported.');

  server.registerTool('lint_batch_script', {
    title: 'Lint a Slurm batch script',
    description: 'Checks a Slurm batch script the way sbatch reads it (the hpc-jobs linter). Give the script as text, or a path to it. Returns diagnostics (code, severity, message, 1-based range) with fixes as text edits.',
    inputSchema: {
      text: z.string().optional().describe('The script itself.'),
      path: z.string().optional().describe('Path of the script on this machine (instead of text).'),
      slurmVersion,
    },
    annotations: { ...readOnly, openWorldHint: false },
  }, (args) => guarded(async () => lintBatchScript(args)));

  server.registerTool('explain_sbatch_option', {
    title: 'Explain an sbatch option',
    description: 'What an sbatch option means (long, short or abbreviated, resolved as sbatch does), and with a value, how Slurm reads that value and whether it is valid.',
    inputSchema: {
      option: z.string().describe('The option: --time, -t, time, --mem-per-cpu...'),
      value: z.string().optional().describe('A value to check and explain, e.g. 1-12:00:00.'),
      slurmVersion,
    },
    annotations: { ...readOnly, openWorldHint: false },
  }, (args) => guarded(async () => explainSbatchOption(args)));

  const names = (() => { try { return [...loadClusters().keys()]; } catch { return []; } })();
  const cluster = z.string().describe(`A cluster of the clusters file (${clustersFilePath()})${names.length ? `: ${names.join(', ')}` : ''}.`);

  server.registerTool('list_jobs', {
    title: 'List Slurm jobs',
    description: 'Your jobs in the queue of a cluster (one squeue call over SSH): id, name, state, reason, nodes, times. Read-only.',
    inputSchema: { cluster, allUsers: z.boolean().optional().describe('Every user\'s jobs, not only yours.') },
    annotations: { ...readOnly, openWorldHint: true },
  }, (args) => guarded(() => listJobs(args, io)));

  server.registerTool('job_outcome', {
    title: 'Outcome of a Slurm job',
    description: 'State, exit code (or signal), reason and times of one job or array task, from squeue while Slurm lists it, then sacct or scontrol. Read-only.',
    inputSchema: { cluster, jobId: z.string().describe('A job id (123) or one array task (123_4).') },
    annotations: { ...readOnly, openWorldHint: true },
  }, (args) => guarded(() => jobOutcome(args, io)));

  return server;
}

export const mcpCommand: Command = {
  usage,
  async run(args, io) {
    const { values, positionals } = parseOptions(args, { help: { type: 'boolean', short: 'h' } });
    if (values['help']) { io.stdout.write(usage + '\n'); return 0; }
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'.`);
    const server = createMcpServer(io);
    const transport = new StdioServerTransport();
    await server.connect(transport);
    // Serves until the client closes stdin.
    return new Promise<number>((resolve) => {
      process.stdin.once('end', () => resolve(0));
      server.server.onclose = () => resolve(0);
    });
  },
};
