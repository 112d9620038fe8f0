/**
 * What the client and the server share: settings and custom messages. Each message is a
 * namespace with its method name and type (as vscode-eslint's customMessages.ts does).
 */

/** Settings the server reads through `workspace/configuration` (section `hpcJobs`). */
export interface ServerSettings {
  readonly lint: {
    /** Target Slurm release (`YY.MM`), or '' for "any release the table knows". */
    readonly slurmVersion: string;
    /** Show the resource summary (tasks × CPUs, memory, time, core-hours) over the directives. */
    readonly resourceSummary: boolean;
  };
}

export const DEFAULT_SETTINGS: ServerSettings = { lint: { slurmVersion: '', resourceSummary: true } };

/** The source name on every diagnostic. */
export const DIAGNOSTIC_SOURCE = 'hpc-jobs';
