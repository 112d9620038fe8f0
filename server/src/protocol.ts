/**
 * What the client and the server share: settings and custom messages. Each message is a
 * namespace with its method name and type (as vscode-eslint's customMessages.ts does).
 */
import { NotificationType } from 'vscode-languageserver-protocol';
import type { ClusterProfile, PartitionProfile } from './clusterProfile';

/** Settings the server reads through `workspace/configuration` (section `hpcJobs`). */
export interface ServerSettings {
  readonly lint: {
    /** Target Slurm release (`YY.MM`), or '' for "any release the table knows". */
    readonly slurmVersion: string;
    /** Show the resource summary (tasks × CPUs, memory, time, core-hours) over the directives. */
    readonly resourceSummary: boolean;
    /**
     * A cluster name (`hpcJobs.lint.cluster`). Read only by a server given a profile loader
     * (`hpc-jobs lsp`); in VS Code the client reads the profile and sends it instead.
     */
    readonly cluster?: string;
  };
}

export const DEFAULT_SETTINGS: ServerSettings = { lint: { slurmVersion: '', resourceSummary: true } };

/** The source name on every diagnostic. */
export const DIAGNOSTIC_SOURCE = 'hpc-jobs';

/**
 * Client → server in `initialize`: the commands the client runs itself. A quick fix that names
 * one of them is sent as that command instead of a text edit.
 */
export interface InitializationOptions {
  readonly clientCommands?: readonly string[];
}

/**
 * Client command (argument: the document URI) that gives a document LF line endings. VS Code
 * turns every line break an edit inserts into the document's end-of-line sequence, so a text
 * edit cannot remove a CRLF there; the editor's own end-of-line setting can.
 */
export const USE_LF_COMMAND = 'hpcJobs.lint.useLfLineEndings';

/**
 * A cluster profile as it travels in JSON, which has no Infinity: an UNLIMITED partition
 * MaxTime is sent as null.
 */
export type ClusterProfileJson = Omit<ClusterProfile, 'partitions'> & {
  readonly partitions: readonly (Omit<PartitionProfile, 'maxTimeMinutes'> & { readonly maxTimeMinutes: number | null })[];
};

export function clusterProfileToJson(profile: ClusterProfile): ClusterProfileJson {
  return { ...profile, partitions: profile.partitions.map((p) => ({ ...p, maxTimeMinutes: Number.isFinite(p.maxTimeMinutes) ? p.maxTimeMinutes : null })) };
}

export function clusterProfileFromJson(json: ClusterProfileJson): ClusterProfile {
  return { ...json, partitions: json.partitions.map((p) => ({ ...p, maxTimeMinutes: p.maxTimeMinutes ?? Infinity })) };
}

/**
 * Client → server: the profile of the cluster named by `hpcJobs.lint.cluster` (partitions,
 * limits, nodes, accounts...), read by the client over its own SSH connection — the server opens
 * none. The server lints every document against it (the SBATCH2xx rules) until the next one;
 * `profile: null` turns those rules off. Sent again after a server restart.
 */
// eslint-disable-next-line @typescript-eslint/no-namespace -- one name for a message's method and type (see the top)
export namespace ClusterProfileNotification {
  export const method = 'hpcJobs/clusterProfile';
  export interface Params { readonly profile: ClusterProfileJson | null }
  export const type = new NotificationType<Params>(method);
}
