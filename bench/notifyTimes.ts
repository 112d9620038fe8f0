/** What bench/vscode/notifyBench.ts measures in the extension host and bench/notifyLatency.ts prints. */

/** Per job, milliseconds since the epoch (the extension host's clock; `endMs` the job's own
 * `date`: the test cluster is this machine, one clock). */
export interface NotifyTimes {
  id: string;
  sleepS: number;
  /** The job's last act. */
  endMs: number;
  /** The store saw it final (a queue poll). */
  finalMs: number;
  /** Its outcome (sacct) was on the entry. */
  outcomeMs: number;
  /** The prompter was asked 'jobs.ended'. */
  notifiedMs: number;
  /** The entry's endedAt as the tracker set it. */
  endedAtMs: number;
  state: string;
  /** One sacct outcome call for this job afterwards, timed alone. */
  sacctMs: number;
}

export interface NotifyResult { pollMs: number; jobs: NotifyTimes[]; notes: string[] }
