/**
 * What the linter may know about one cluster: fetched once over the transport (sinfo,
 * scontrol, sacctmgr) and cached. Every field is optional in spirit: a rule whose facts are
 * missing stays silent rather than guessing.
 */
export interface PartitionProfile {
  readonly name: string;
  readonly isDefault: boolean;
  /** MaxTime in minutes; Infinity for UNLIMITED. */
  readonly maxTimeMinutes: number;
  /** DefaultTime in minutes, when set. */
  readonly defaultTimeMinutes?: number;
  readonly maxNodes?: number;
  /** Names of the nodes in the partition. */
  readonly nodes: readonly string[];
  readonly state?: string;
}

export interface GresProfile { readonly name: string; readonly type?: string; readonly count: number }

export interface NodeProfile {
  readonly name: string;
  readonly cpus: number;
  /** RealMemory in MB. */
  readonly memoryMB: number;
  readonly tmpDiskMB?: number;
  readonly gres: readonly GresProfile[];
  readonly features?: readonly string[];
}

export interface ClusterProfile {
  readonly name: string;
  /** e.g. "22.05.8". */
  readonly slurmVersion?: string;
  readonly partitions: readonly PartitionProfile[];
  readonly nodes: readonly NodeProfile[];
  /** Accounts the user may charge; undefined when unknown (accounting off). */
  readonly accounts?: readonly string[];
  readonly defaultAccount?: string;
  /** QOS names the user may use; undefined when unknown. */
  readonly qos?: readonly string[];
  /** Long option names (no dashes) the cluster's SPANK plugins add, as `sbatch --help` lists them; undefined when unknown. */
  readonly pluginOptions?: readonly string[];
  /** MaxArraySize from slurm.conf: array indexes must be below it. */
  readonly maxArraySize?: number;
  /** ISO time the profile was read. */
  readonly fetchedAt: string;
}
