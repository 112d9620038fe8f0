/**
 * A cluster's connection status and its words, once for the Jobs view, the status bar and the
 * pickers. No `vscode` here, so the presentation modules that use it are tested in plain Node.
 */
import type { ConnectionState } from '../../../runtimes/src/slurm/index';

/** notConnected until first used; then the transport's state, or failed (with why). */
export type ClusterStatus = 'notConnected' | ConnectionState | 'failed';

/** A cluster's status as ClusterService reports it. */
export interface ClusterFact {
  readonly name: string;
  readonly status: ClusterStatus;
  /** Why the last connection or query failed. */
  readonly error?: string;
}

const WORDS: Readonly<Record<ClusterStatus, string>> = {
  notConnected: 'not connected',
  connecting: 'connecting…',
  connected: 'connected',
  reconnecting: 'reconnecting…',
  closed: 'disconnected',
  failed: 'failed',
};

/** A connection state in words: "connected", "reconnecting…". */
export function clusterStatusWords(status: ClusterStatus): string {
  return WORDS[status];
}
