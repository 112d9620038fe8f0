/** Runs one Slurm command (argv) on a cluster through its transport, with the cluster's extra environment. */
import type { ExecOptions, ExecResult, Transport } from '../transport/transport';
import { shellCommand, withEnv, type Word } from '../transport/shellQuote';

export interface SlurmRunner {
  (argv: readonly Word[], options?: ExecOptions): Promise<ExecResult>;
  readonly clusterName: string;
}

/**
 * `env` is prefixed to every Slurm command (e.g. SLURM_CONF for a second cluster on one login
 * node, or a test's dead controller). Slurm commands are quick: 60 s is a generous bound that
 * still ends a hung `squeue` (the client itself retries a silent controller for ~10 s).
 */
export function slurmRunner(transport: Transport, clusterName: string, env: Readonly<Record<string, string>> = {}): SlurmRunner {
  const run = (argv: readonly Word[], options: ExecOptions = {}): Promise<ExecResult> =>
    transport.exec(withEnv(env, shellCommand(argv)), { timeoutMs: 60_000, ...options });
  return Object.assign(run, { clusterName });
}
