/**
 * The shape of one sbatch option, as sbatch's getopt table and man page describe it.
 * The table itself lives in `sbatchOptions.ts`; every rule, hover and completion reads it.
 */

/** Whether the option takes a value (getopt's `has_arg`). */
export type ArgKind = 'none' | 'required' | 'optional';

/**
 * How the value is checked and explained. Each kind has a checker in `server/src/values/`.
 * Kinds whose syntax sbatch itself rejects produce errors; the rest are only described.
 */
export type ValueType =
  | 'time'        // --time, --time-min: min, min:sec, h:min:sec, d-h, d-h:min, d-h:min:sec, UNLIMITED
  | 'memory'      // --mem, --mem-per-cpu, --mem-per-gpu, --tmp: integer with K/M/G/T suffix
  | 'count'       // positive integer (--ntasks, --cpus-per-task, ...)
  | 'count0'      // non-negative integer (--nice allows negative: use 'integer')
  | 'integer'     // any integer, sign allowed (--nice, --priority)
  | 'nodes'       // --nodes: min[-max] with k/m suffix, or a comma list of sizes
  | 'signal'      // --signal: [{R|B}:]sig[@secs]
  | 'mailType'    // --mail-type: comma list of NONE, BEGIN, END, ...
  | 'array'       // --array: 0-15, 0,6,16-32, :step, %max
  | 'dependency'  // --dependency: type:id[:id] joined by , or ?
  | 'gres'        // --gres: comma list of name[[:type]:count]
  | 'gpus'        // --gpus, --gpus-per-node, ...: [type:]count
  | 'exclusive'   // --exclusive[=user|mcs|topo]
  | 'enum'        // one of `values` (case-insensitive unless `caseSensitive`)
  | 'filePattern' // --output, --error, --input: path with %j %x %A %a %N %u %% ...
  | 'path'        // --chdir and other plain paths
  | 'datetime'    // --begin, --deadline: now+60, 16:00, 2025-01-01T12:00:00, midnight, ...
  | 'nodelist'    // --nodelist, --exclude: host list expressions or a file
  | 'distribution'// --distribution: block|cyclic|arbitrary|plane=N[:...]
  | 'cpuFreq'     // --cpu-freq
  | 'rlimits'     // --propagate: ALL, NONE or resource-limit names
  | 'string';     // free text: described, never checked

export interface SbatchOption {
  /** Long name without the leading dashes, e.g. `time`. */
  readonly name: string;
  /** Short letter without the dash, e.g. `t`. */
  readonly short?: string;
  readonly arg: ArgKind;
  readonly type: ValueType;
  /** Accepted values for `enum`, and the list elements for list-like kinds. */
  readonly values?: readonly string[];
  /** Placeholder shown in completion and hover, e.g. `<time>`. */
  readonly valueHint?: string;
  /** One line in our own words: what the option asks Slurm for. */
  readonly description: string;
  /** First release (`YY.MM`) whose sbatch accepts it; absent = already in 22.05. */
  readonly since?: string;
  /** First release whose sbatch no longer accepts it. */
  readonly removed?: string;
  /**
   * Releases between `since` and `removed` whose sbatch did not accept it anyway
   * (dropped, then restored: `--export-file` is missing from 23.11 only).
   */
  readonly absentIn?: readonly string[];
  /**
   * getopt's `has_arg` in older releases, where it differed from `arg` (which is the
   * current one): each entry holds for releases before `until` and not covered by an
   * earlier entry. Sorted by `until`. E.g. `--requeue` took no value before 25.11.
   */
  readonly earlierArgs?: readonly { readonly until: string; readonly arg: ArgKind }[];
  /** Hidden from completion (accepted by getopt but undocumented or internal). */
  readonly hidden?: boolean;
  /** Accepted but discouraged; the text says what to use instead. */
  readonly deprecated?: string;
  /** Options that sbatch refuses together with this one (long names). */
  readonly conflicts?: readonly string[];
}
