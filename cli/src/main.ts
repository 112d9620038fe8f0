/** `hpc-jobs`: the command-line face of the linter and the runtimes. */
import { lintCommand } from './lintCommand';
import { runCommand } from './runCommand';
import { UsageError, type Command } from './command';
import { submitCommand } from './submitCommand';
import { jobsCommand } from './jobsCommand';
import { cancelCommand } from './cancelCommand';
import { allocCommand } from './allocCommand';
import { lspCommand } from './lspCommand';
import { mcpCommand } from './mcpEntry';
import { effCommand } from './effCommand';
import { estimateCommand } from './estimateCommand';
import { holdCommand, releaseCommand } from './holdCommand';
import { ClustersFileError } from './clusterConfigFile';

const COMMANDS: Record<string, Command> = {
  lint: lintCommand,
  run: runCommand,
  submit: submitCommand,
  jobs: jobsCommand,
  cancel: cancelCommand,
  alloc: allocCommand,
  lsp: lspCommand,
  mcp: mcpCommand,
  hold: holdCommand,
  release: releaseCommand,
  estimate: estimateCommand,
  eff: effCommand,
};

const USAGE = `Usage: hpc-jobs <command> [options]

Commands:
  lint [--format text|json|sarif|github] [--strict] [--slurm-version YY.MM] [--cluster NAME] [--list-codes] FILE... | -
                 Check Slurm batch scripts the way sbatch reads them.
  run [--backend pool|tasks|mpi|gpu|sbatch-local] [-n N] [--tasks K] [--python PATH] [--cuda-sim] FILE [-- ARGS]
                 Run a program or batch script on this machine in parallel: a worker pool, tasks,
                 MPI ranks, GPUs, or a batch script as Slurm would run it.
  submit --cluster NAME FILE [--follow]
                 Lint, upload and sbatch a batch script or a .py file on a Slurm cluster (over SSH).
  jobs --cluster NAME [--since 2d]
                 Your jobs on a cluster: why pending ones wait and when they should start.
  cancel --cluster NAME ID...
                 Cancel a job, an array task (ID_N) or tasks (ID_[A-B]).
  alloc --cluster NAME [-- SALLOC_ARGS]
                 salloc in this terminal.
  lsp --stdio    The language server, for editors other than VS Code (Neovim, Emacs, Helix, Vim).
  mcp            Lint and read-only job tools for coding agents (Model Context Protocol, stdio).
  hold|release --cluster NAME ID...
                 Keep pending jobs from starting, or let them start.
  eff --cluster NAME JOBID...
                 How finished jobs went: CPU and memory used against what was asked (like seff).
  estimate --cluster NAME FILE [-- SBATCH_OPTIONS]
                 When a batch script would start (sbatch --test-only); nothing is submitted.

Run "hpc-jobs <command> --help" for a command's options.`;

export async function main(argv: readonly string[]): Promise<number> {
  // `hpc-jobs lint | head`: a reader that leaves is no crash; the command ends with its own status.
  for (const s of [process.stdout, process.stderr]) s.on('error', (e: NodeJS.ErrnoException) => { if (e.code !== 'EPIPE') throw e; });
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE + '\n');
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    process.stdout.write(`hpc-jobs ${VERSION}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`hpc-jobs: unknown command '${name}'.\n\n${USAGE}\n`);
    return 2;
  }
  try {
    return await command.run(rest, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin });
  } catch (e) {
    if (e instanceof UsageError) {
      // The message and the synopsis only, as git and cargo do: the whole help (30 lines with the
      // clusters file) scrolled the one line that mattered out of sight.
      const synopsis = command.usage.split(/\n\s*\n/)[0]!;
      process.stderr.write(`hpc-jobs ${name}: ${e.message}\n${synopsis}\nRun "hpc-jobs ${name} --help" for its options.\n`);
      return 2;
    }
    if (e instanceof ClustersFileError) {
      process.stderr.write(`hpc-jobs ${name}: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

declare const HPC_JOBS_VERSION: string | undefined;
const VERSION = typeof HPC_JOBS_VERSION === 'string' ? HPC_JOBS_VERSION : 'dev';

