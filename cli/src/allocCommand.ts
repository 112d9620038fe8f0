/**
 * `hpc-jobs alloc`: salloc on the cluster in this terminal (a PTY over SSH; node-pty for a
 * cluster on this machine). Keys go to the remote shell raw, so Ctrl-C reaches it, not us.
 */
import { CLUSTER_OPTIONS, CLUSTER_USAGE, CLUSTERS_FILE_HELP, openCluster, reportFailure } from './clusterOptions';
import { parseOptions, type Command } from './command';

const usage = `Usage: hpc-jobs alloc --cluster NAME [-- SALLOC_OPTIONS...]

Runs salloc with SALLOC_OPTIONS (e.g. -- -N1 -t 30 -p debug) in this terminal; you get the shell
salloc starts. Leaving the shell releases the allocation.
${CLUSTER_USAGE}

Exit status: salloc's.

${CLUSTERS_FILE_HELP}`;

type RawIn = NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?(raw: boolean): void };
type SizedOut = NodeJS.WritableStream & { rows?: number; columns?: number; on(e: 'resize', l: () => void): unknown };

export const allocCommand: Command = {
  usage,
  async run(args, io) {
    const dash = args.indexOf('--');
    const own = dash >= 0 ? args.slice(0, dash) : args;
    const sallocArgs = dash >= 0 ? args.slice(dash + 1) : [];
    const { values } = parseOptions(own, CLUSTER_OPTIONS);
    if (values['help']) { io.stdout.write(usage + '\n'); return 0; }
    const opened = openCluster(values, io);
    const stdin = io.stdin as RawIn;
    const stdout = io.stdout as SizedOut;
    try {
      // Input from a pipe or /dev/null: no terminal, so its end ends the shell and releases the allocation.
      const alloc = await opened.cluster.allocate(sallocArgs, { rows: stdout.rows ?? 24, cols: stdout.columns ?? 80 }, { terminal: stdin.isTTY === true });
      const raw = stdin.isTTY === true && typeof stdin.setRawMode === 'function';
      if (raw) stdin.setRawMode!(true);
      stdin.pipe(alloc.stream);
      alloc.stream.pipe(io.stdout, { end: false });
      const onResize = (): void => alloc.resize(stdout.rows ?? 24, stdout.columns ?? 80);
      if (io.stdout.isTTY) stdout.on('resize', onResize);
      void alloc.jobId.then((id) => { if (id && values['verbose']) io.stderr.write(`[hpc-jobs] allocation ${id}\r\n`); });
      const exit = await alloc.exit;
      stdin.unpipe(alloc.stream);
      if (raw) stdin.setRawMode!(false);
      stdin.pause();
      if (io.stdout.isTTY) io.stdout.removeListener('resize', onResize);
      return exit.code ?? 1;
    } catch (e) {
      return reportFailure(e, io, 'alloc');
    } finally {
      await opened.close();
    }
  },
};
