/**
 * Every option sbatch's getopt table holds, Slurm 22.05 through 26.05, plus what the
 * development branch (26.11) has added so far.
 *
 * Source of truth: `common_options[]` in Slurm's src/common/slurm_opt.c, where an option is
 * sbatch's when it has `.set_func` or `.set_func_sbatch` (see slurm_option_table_create()).
 * Names, short letters and has_arg are checked against test/fixtures/slurm-options/<YY.MM>.tsv
 * by test/unit/server/options/optionTable.test.ts. Meanings and deprecations come from doc/man/man1/sbatch.1;
 * descriptions are our own words. `hidden` marks options in the getopt table that neither
 * the man page nor `sbatch --help` documents.
 *
 * `conflicts` lists only pairs sbatch itself refuses (it exits with an error), whatever the
 * values. Where they are enforced:
 *   - mem / mem-per-cpu / mem-per-gpu: _validate_memory_options() in slurm_opt.c (all releases)
 *   - exclusive / oversubscribe: _validate_share_options() in slurm_opt.c (23.02 and later)
 *   - core-spec / thread-spec: _validate_spec_cores_options() in slurm_opt.c
 *   - ntasks-per-gpu / gpus-per-task, gpus-per-socket, ntasks-per-node, tres-per-task:
 *     _validate_ntasks_per_gpu() in slurm_opt.c
 *   - cpus-per-task / cpus-per-gpu: _validate_cpus_per_tres() in slurm_opt.c (23.11 and later)
 *   - bb / bbf: _opt_verify() in src/sbatch/opt.c
 *   - quiet / verbose: _opt_verify() in src/sbatch/opt.c
 *   - wrap / external: process_options_first_pass() in src/sbatch/opt.c (26.05 and later)
 * Not listed because they depend on the values: --gpus-per-node with a --gres naming gpu
 * (_validate_gres_vs_gpus_per_node(), 26.05 and later), --cpus-per-gpu with
 * --tres-per-task=cpu:N, --nodes with --distribution=arbitrary, --begin after --deadline.
 * --hint beside --ntasks-per-core & co. is not refused either: sbatch drops the --hint.
 */
import type { SbatchOption } from './optionTypes';
import {
  CURRENT_RELEASE, SLURM_RELEASES, argKindIn, existsIn, matchLong, rankSuggestions, releaseNumber,
  type LongOptionMatch,
} from './optionLookup';

export { CURRENT_RELEASE, SLURM_RELEASES, argKindIn, existsIn } from './optionLookup';
export type { LongOptionMatch } from './optionLookup';

const MAIL_TYPES = [
  'NONE', 'BEGIN', 'END', 'FAIL', 'REQUEUE', 'ALL', 'INVALID_DEPEND', 'STAGE_OUT',
  'TIME_LIMIT', 'TIME_LIMIT_90', 'TIME_LIMIT_80', 'TIME_LIMIT_50', 'ARRAY_TASKS',
] as const;

/** Names --propagate knows (src/common/slurm_rlimits_info.c), plus ALL and NONE. */
const RLIMITS = ['ALL', 'NONE', 'AS', 'CORE', 'CPU', 'DATA', 'FSIZE', 'MEMLOCK', 'NOFILE', 'NPROC', 'RSS', 'STACK'] as const;

const UID_GID_DEPRECATED = 'The man page (26.05 on) calls it deprecated and due for removal.';

export const SBATCH_OPTIONS: readonly SbatchOption[] = [
  { name: 'account', short: 'A', arg: 'required', type: 'string', valueHint: '<account>',
    description: 'Bank account whose allocation pays for the job.' },
  { name: 'acctg-freq', arg: 'required', type: 'string', valueHint: '<datatype>=<seconds>[,...]',
    description: 'How often accounting and profiling samples are taken, per kind (task, energy, network, filesystem).' },
  { name: 'array', short: 'a', arg: 'required', type: 'array', valueHint: '<indexes>[%<max>]',
    description: 'Turn the submission into a job array with these task indexes, optionally capping how many run at once.' },
  { name: 'autocomplete', arg: 'required', type: 'string', valueHint: '<partial>', since: '23.02', hidden: true,
    description: 'Shell-completion helper: prints matching sbatch options and exits.' },
  { name: 'batch', arg: 'required', type: 'string', valueHint: '<features>',
    description: 'Node features the node that runs the batch script itself must have (a subset of --constraint).' },
  { name: 'bb', arg: 'required', type: 'string', valueHint: '<spec>', conflicts: ['bbf'],
    description: 'Burst buffer request, written in the syntax of the site\'s burst buffer plugin.' },
  { name: 'bbf', arg: 'required', type: 'path', valueHint: '<file>', conflicts: ['bb'],
    description: 'File holding the burst buffer request.' },
  { name: 'begin', short: 'b', arg: 'required', type: 'datetime', valueHint: '<time>',
    description: 'Queue the job now but keep it from starting before this time.' },
  { name: 'chdir', short: 'D', arg: 'required', type: 'path', valueHint: '<directory>',
    description: 'Directory the batch script starts in (relative output paths resolve from here).' },
  { name: 'cluster', arg: 'required', type: 'string', valueHint: '<clusters>', hidden: true,
    description: 'Undocumented spelling of --clusters.' },
  { name: 'cluster-constraint', arg: 'required', type: 'string', valueHint: '[!]<features>',
    description: 'Federation: only place sibling jobs on clusters with (or, after !, without) these features.' },
  { name: 'clusters', short: 'M', arg: 'required', type: 'string', valueHint: '<clusters>',
    description: 'Cluster(s) to submit to; given several, the job goes where it can start soonest.' },
  { name: 'comment', arg: 'required', type: 'string', valueHint: '<text>',
    description: 'Free-form note kept with the job record.' },
  { name: 'consolidate-segments', arg: 'none', type: 'string', since: '25.11',
    description: 'topology/block: keep all of the job\'s segments inside one higher-level block.' },
  { name: 'constraint', short: 'C', arg: 'required', type: 'string', valueHint: '<features>',
    description: 'Node features the allocation must have, combined with & | [ ] and counts.' },
  { name: 'container', arg: 'required', type: 'path', valueHint: '<bundle>',
    description: 'Absolute path of an OCI container bundle to run the job inside.' },
  { name: 'container-id', arg: 'required', type: 'string', valueHint: '<id>', since: '23.02',
    description: 'Name that identifies the job\'s OCI container.' },
  { name: 'container-type', arg: 'required', type: 'string', valueHint: '<type>', since: '26.05', removed: '26.11',
    description: 'Container runtime type for the job; the development branch renamed it --runtime.' },
  { name: 'context', arg: 'required', type: 'string', valueHint: '<context>', hidden: true,
    description: 'SELinux security context to run the job under.' },
  { name: 'contiguous', arg: 'none', type: 'string',
    description: 'Only accept nodes that form one contiguous range.' },
  { name: 'core-spec', short: 'S', arg: 'required', type: 'count0', valueHint: '<cores>', conflicts: ['thread-spec'],
    description: 'Cores per node set aside for system daemons (specialized cores) inside the allocation.' },
  { name: 'cores-per-socket', arg: 'required', type: 'count', valueHint: '<cores>',
    description: 'Only use nodes whose sockets have at least this many cores.' },
  { name: 'cpu-freq', arg: 'required', type: 'cpuFreq', valueHint: '<min>[-<max>][:<governor>]',
    description: 'CPU frequency range and/or governor for the tasks of the job\'s steps.' },
  { name: 'cpus-per-gpu', arg: 'required', type: 'count', valueHint: '<ncpus>', conflicts: ['cpus-per-task'],
    description: 'CPUs to allocate alongside every allocated GPU.' },
  { name: 'cpus-per-task', short: 'c', arg: 'required', type: 'count', valueHint: '<ncpus>', conflicts: ['cpus-per-gpu'],
    description: 'CPUs each task needs; tasks are packed so each gets that many.' },
  { name: 'deadline', arg: 'required', type: 'datetime', valueHint: '<time>',
    description: 'Drop the job if it cannot be finished by this time.' },
  { name: 'delay-boot', arg: 'required', type: 'time', valueHint: '<time>',
    description: 'How long to wait before rebooting nodes just to give them the requested features.' },
  { name: 'dependency', short: 'd', arg: 'required', type: 'dependency', valueHint: '<type>:<jobid>[:<jobid>...]',
    description: 'Do not start until other jobs reach the given states (after, afterok, afterany, singleton, ...).' },
  { name: 'distribution', short: 'm', arg: 'required', type: 'distribution', valueHint: '<node>[:<socket>[:<core>]][,Pack|NoPack]',
    description: 'How tasks are laid out over nodes, sockets and cores (block, cyclic, plane=N, arbitrary).' },
  { name: 'error', short: 'e', arg: 'required', type: 'filePattern', valueHint: '<filename pattern>',
    description: 'File that receives the script\'s standard error (%j, %x, %A, %a... are expanded).' },
  { name: 'exclude', short: 'x', arg: 'required', type: 'nodelist', valueHint: '<nodes>',
    description: 'Nodes the job must not be given.' },
  { name: 'exclusive', arg: 'optional', type: 'exclusive', values: ['user', 'mcs', 'topo'], valueHint: '[=user|mcs|topo]',
    conflicts: ['oversubscribe'],
    description: 'Do not share the allocated nodes with other jobs (or only with the same user / MCS label / topology segment).' },
  { name: 'export', arg: 'required', type: 'string', valueHint: 'ALL|NONE|NIL|[ALL,]<vars>',
    description: 'Which environment variables of the submitting shell the job inherits.' },
  { name: 'export-file', arg: 'required', type: 'string', valueHint: '<file>|<fd>', absentIn: ['23.11'],
    description: 'Read extra environment variables for the job from a file or an open file descriptor.' },
  { name: 'external', arg: 'none', type: 'string', since: '25.05', hidden: true, conflicts: ['wrap'],
    description: 'Create an allocation with no batch script or environment (an "external" job).' },
  { name: 'extra', arg: 'required', type: 'string', valueHint: '<text>', since: '23.02',
    description: 'Free-form string kept with the job; with extra_constraints it filters nodes by their Extra field.' },
  { name: 'extra-node-info', short: 'B', arg: 'required', type: 'string', valueHint: '<sockets>[:<cores>[:<threads>]]',
    description: 'Minimum sockets per node, cores per socket and threads per core, in one option.' },
  { name: 'get-user-env', arg: 'none', type: 'string', earlierArgs: [{ until: '25.05', arg: 'optional' }],
    description: 'Load the user\'s login-shell environment into the job (before 25.05 it took [=timeout][S|L]).' },
  { name: 'gid', arg: 'required', type: 'string', valueHint: '<group>', deprecated: UID_GID_DEPRECATED,
    description: 'Root only: submit the job with this group\'s permissions.' },
  { name: 'gpu-bind', arg: 'required', type: 'string', valueHint: '[verbose,]<type>',
    description: 'How tasks are bound to GPUs (shorthand for --tres-bind=gres/gpu:...).' },
  { name: 'gpu-freq', arg: 'required', type: 'string', valueHint: '[<type>=]<value>[,...][,verbose]',
    description: 'GPU and GPU-memory clock settings for the job.' },
  { name: 'gpus', short: 'G', arg: 'required', type: 'gpus', valueHint: '[<type>:]<count>',
    description: 'GPUs for the whole job.' },
  { name: 'gpus-per-node', arg: 'required', type: 'gpus', valueHint: '[<type>:]<count>',
    description: 'GPUs on every allocated node.' },
  { name: 'gpus-per-socket', arg: 'required', type: 'gpus', valueHint: '[<type>:]<count>', conflicts: ['ntasks-per-gpu'],
    description: 'GPUs on every allocated socket.' },
  { name: 'gpus-per-task', arg: 'required', type: 'gpus', valueHint: '[<type>:]<count>', conflicts: ['ntasks-per-gpu'],
    description: 'GPUs for every task the job\'s steps start.' },
  { name: 'gres', arg: 'required', type: 'gres', valueHint: '<name>[:<type>][:<count>][,...]',
    description: 'Generic resources wanted on each node, e.g. gpu:2.' },
  { name: 'gres-flags', arg: 'required', type: 'string',
    values: ['disable-binding', 'enforce-binding', 'multiple-tasks-per-sharing', 'one-task-per-sharing'],
    valueHint: '<flag>[,...]',
    description: 'How strictly generic resources are tied to the CPUs and tasks using them.' },
  { name: 'help', short: 'h', arg: 'none', type: 'string',
    description: 'Print sbatch\'s option summary and exit.' },
  { name: 'hint', arg: 'required', type: 'string', values: ['compute_bound', 'memory_bound', 'multithread', 'nomultithread', 'help'],
    valueHint: '<hint>',
    description: 'Let Slurm pick core and thread use for a compute-bound, memory-bound or (no)multithread program.' },
  { name: 'hold', short: 'H', arg: 'none', type: 'string',
    description: 'Submit the job held (priority zero); it waits until released.' },
  { name: 'ignore-pbs', arg: 'none', type: 'string',
    description: 'Skip any #PBS and #BSUB lines in the script.' },
  { name: 'input', short: 'i', arg: 'required', type: 'filePattern', valueHint: '<filename pattern>',
    description: 'File the script reads as standard input.' },
  { name: 'job-name', short: 'J', arg: 'required', type: 'string', valueHint: '<name>',
    description: 'Name shown for the job in the queue (default: the script\'s file name).' },
  { name: 'kill-on-invalid-dep', arg: 'required', type: 'enum', values: ['yes', 'no'], valueHint: 'yes|no',
    description: 'Whether to cancel the job once a dependency can never be satisfied.' },
  { name: 'licenses', short: 'L', arg: 'required', type: 'string', valueHint: '<license>[@<db>][:<count>][,...]',
    description: 'Licenses the job needs before it may start.' },
  { name: 'mail-type', arg: 'required', type: 'mailType', values: MAIL_TYPES, valueHint: '<type>[,...]',
    description: 'Which job events send an email (BEGIN, END, FAIL, ALL, ...).' },
  { name: 'mail-user', arg: 'required', type: 'string', valueHint: '<address>',
    description: 'Who receives the emails chosen with --mail-type (default: the submitting user).' },
  { name: 'mcs-label', arg: 'required', type: 'string', valueHint: '<label>',
    description: 'MCS label to tag the job with, for sites running an MCS plugin.' },
  { name: 'mem', arg: 'required', type: 'memory', valueHint: '<size>[K|M|G|T]', conflicts: ['mem-per-cpu', 'mem-per-gpu'],
    description: 'Memory per node (0 asks for all of it).' },
  { name: 'mem-bind', arg: 'required', type: 'string', valueHint: '[quiet|verbose,]<type>',
    description: 'How tasks are bound to memory (NUMA) domains.' },
  { name: 'mem-per-cpu', arg: 'required', type: 'memory', valueHint: '<size>[K|M|G|T]', conflicts: ['mem', 'mem-per-gpu'],
    description: 'Memory for every allocated CPU.' },
  { name: 'mem-per-gpu', arg: 'required', type: 'memory', valueHint: '<size>[K|M|G|T]', conflicts: ['mem', 'mem-per-cpu'],
    description: 'Memory for every allocated GPU.' },
  { name: 'mem-update', arg: 'required', type: 'string', valueHint: '<margin%>@<delay>', since: '26.05',
    description: 'After a delay, lower the memory limit to current use plus a percentage margin.' },
  { name: 'mincpus', arg: 'required', type: 'count', valueHint: '<n>',
    description: 'Only use nodes with at least this many logical CPUs.' },
  { name: 'network', arg: 'required', type: 'string', valueHint: '<spec>',
    description: 'Network or switch resources for the job (system specific, e.g. Slingshot VNIs).' },
  { name: 'nice', arg: 'optional', type: 'integer', valueHint: '[=<adjustment>]',
    description: 'Lower (or, for privileged users, raise) the job\'s scheduling priority by this much.' },
  { name: 'no-kill', short: 'k', arg: 'optional', type: 'enum', values: ['off', 'no', 'set'], valueHint: '[=off]',
    description: 'Keep the job running when one of its nodes fails (=off restores the default).' },
  { name: 'no-requeue', arg: 'none', type: 'string',
    description: 'Never requeue this job, whatever happens.' },
  { name: 'nodefile', short: 'F', arg: 'required', type: 'path', valueHint: '<file>',
    description: 'Like --nodelist, but the node names are read from a file.' },
  { name: 'nodelist', short: 'w', arg: 'required', type: 'nodelist', valueHint: '<nodes>',
    description: 'Nodes the allocation must include.' },
  { name: 'nodes', short: 'N', arg: 'required', type: 'nodes', valueHint: '<min>[-<max>]',
    description: 'How many nodes, as a count or a min-max range.' },
  { name: 'ntasks', short: 'n', arg: 'required', type: 'count', valueHint: '<count>',
    description: 'How many tasks the job\'s steps will run at most; resources are sized for them.' },
  { name: 'ntasks-per-core', arg: 'required', type: 'count', valueHint: '<count>',
    description: 'At most this many tasks on each core.' },
  { name: 'ntasks-per-gpu', arg: 'required', type: 'count', valueHint: '<count>',
    conflicts: ['gpus-per-socket', 'gpus-per-task', 'ntasks-per-node', 'tres-per-task'],
    description: 'This many tasks for every allocated GPU.' },
  { name: 'ntasks-per-node', arg: 'required', type: 'count', valueHint: '<count>', conflicts: ['ntasks-per-gpu'],
    description: 'This many tasks on each node (a maximum when --ntasks is also given).' },
  { name: 'ntasks-per-socket', arg: 'required', type: 'count', valueHint: '<count>',
    description: 'At most this many tasks on each socket.' },
  { name: 'ntasks-per-tres', arg: 'required', type: 'count', valueHint: '<count>', hidden: true,
    description: 'Undocumented general form of --ntasks-per-gpu.' },
  { name: 'oom-kill-step', arg: 'optional', type: 'enum', values: ['0', '1'], valueHint: '[=0|1]', since: '24.11',
    description: 'Whether an out-of-memory kill in one task ends its whole step (overrides OOMKillStep).' },
  { name: 'open-mode', arg: 'required', type: 'enum', values: ['append', 'truncate'], valueHint: 'append|truncate',
    description: 'Append to or overwrite existing output and error files.' },
  { name: 'output', short: 'o', arg: 'required', type: 'filePattern', valueHint: '<filename pattern>',
    description: 'File that receives the script\'s standard output (and error, unless --error is given).' },
  { name: 'overcommit', short: 'O', arg: 'none', type: 'string',
    description: 'Allow more tasks than CPUs (one CPU per node is enough).' },
  { name: 'oversubscribe', short: 's', arg: 'none', type: 'string', conflicts: ['exclusive'],
    description: 'Let the job share its resources with other running jobs.' },
  { name: 'parsable', arg: 'none', type: 'string',
    description: 'On success print only the job ID (and cluster name, after a semicolon).' },
  { name: 'partition', short: 'p', arg: 'required', type: 'string', valueHint: '<partitions>',
    description: 'Partition(s) to run in; with several, the first that can start it wins.' },
  { name: 'power', arg: 'required', type: 'string', values: ['level'], valueHint: '<flags>', removed: '24.05',
    description: 'Flags for the power-management plugin, e.g. level (equal power caps on all nodes).' },
  { name: 'prefer', arg: 'required', type: 'string', valueHint: '<features>',
    description: 'Node features wanted if available, without being required (a soft --constraint).' },
  { name: 'priority', arg: 'required', type: 'integer', values: ['TOP'], valueHint: '<value>|TOP',
    description: 'Set the job\'s priority outright (operators and administrators only); TOP means highest.' },
  { name: 'profile', arg: 'required', type: 'string', values: ['all', 'none', 'energy', 'task', 'lustre', 'network'],
    valueHint: 'all|none|<type>[,...]',
    description: 'Which detailed time-series data the profiling plugin records for the job.' },
  { name: 'propagate', arg: 'optional', type: 'rlimits', values: RLIMITS, valueHint: '[=<rlimit>[,...]]',
    description: 'Which resource limits (ulimits) of the submitting shell the job inherits (all if no value).' },
  { name: 'qos', short: 'q', arg: 'required', type: 'string', valueHint: '<qos>',
    description: 'Quality of service (or a comma list to choose from) for the job.' },
  { name: 'quiet', short: 'Q', arg: 'none', type: 'string', conflicts: ['verbose'],
    description: 'Print only errors (no "Submitted batch job" line).' },
  { name: 'reboot', arg: 'none', type: 'string',
    description: 'Reboot the allocated nodes before the job starts.' },
  { name: 'requeue', arg: 'optional', type: 'enum', values: ['expedite'], valueHint: '[=expedite]',
    earlierArgs: [{ until: '25.11', arg: 'none' }],
    description: 'Allow the job to be requeued; =expedite (25.11+) asks for an immediate, top-priority restart.' },
  { name: 'reservation', arg: 'required', type: 'string', valueHint: '<reservations>',
    description: 'Reservation(s) the job may run in.' },
  { name: 'resources', arg: 'required', type: 'string', valueHint: '<name>[:<count>][,...]', since: '25.11',
    description: 'Hierarchical resources the job must be allocated.' },
  { name: 'resv-ports', arg: 'optional', type: 'count0', valueHint: '[=<count>]', since: '24.05',
    description: 'Reserve communication ports for the job (needs step management, see --stepmgr).' },
  { name: 'runtime', arg: 'required', type: 'string', valueHint: '<name>|list', since: '26.11',
    description: 'Runtime plugin for the job; "list" prints the available ones.' },
  { name: 'segment', arg: 'required', type: 'count', valueHint: '<nodes>', since: '24.05',
    description: 'Block or ring topology: build the allocation from segments of this many nodes.' },
  { name: 'signal', arg: 'required', type: 'signal', valueHint: '[{R|B}:]<signal>[@<seconds>]',
    description: 'Signal to send this many seconds before the time limit (B: the batch shell too, R: allow requeue).' },
  { name: 'sockets-per-node', arg: 'required', type: 'count', valueHint: '<sockets>',
    description: 'Only use nodes with at least this many sockets.' },
  { name: 'spread-job', arg: 'none', type: 'string',
    description: 'Spread the job over as many nodes as possible.' },
  { name: 'spread-segments', arg: 'none', type: 'string', since: '25.11',
    description: 'topology/block: do not put two segments of the job in the same base block.' },
  { name: 'stepmgr', arg: 'none', type: 'string', since: '24.05',
    description: 'Have one slurmstepd per job manage its steps, if the cluster does not already.' },
  { name: 'switches', arg: 'required', type: 'string', valueHint: '<count>[@<max-wait>]',
    description: 'Tree topology: at most this many leaf switches, waiting up to max-wait for them.' },
  { name: 'tasks-per-node', arg: 'required', type: 'count', valueHint: '<count>', hidden: true,
    description: 'Undocumented spelling of --ntasks-per-node.' },
  { name: 'test-only', arg: 'none', type: 'string',
    description: 'Only check the request and estimate a start time; submit nothing.' },
  { name: 'thread-spec', arg: 'required', type: 'count', valueHint: '<threads>', conflicts: ['core-spec'],
    description: 'Threads per node set aside for system daemons inside the allocation.' },
  { name: 'threads-per-core', arg: 'required', type: 'count', valueHint: '<threads>',
    description: 'Only use nodes with at least this many hardware threads per core.' },
  { name: 'time', short: 't', arg: 'required', type: 'time', valueHint: '<time>',
    description: 'Wall-clock limit; the job is stopped when it runs out.' },
  { name: 'time-min', arg: 'required', type: 'time', valueHint: '<time>',
    description: 'Smallest acceptable time limit, so the scheduler may shorten --time to start sooner.' },
  { name: 'tmp', arg: 'required', type: 'memory', valueHint: '<size>[K|M|G|T]',
    description: 'Minimum temporary disk space per node.' },
  { name: 'tres-bind', arg: 'required', type: 'string', valueHint: '<tres>:[verbose,]<type>[+...]', since: '23.11',
    description: 'How tasks are bound to trackable resources such as gres/gpu.' },
  { name: 'tres-per-task', arg: 'required', type: 'string', valueHint: '<tres>=<count>[,...]', since: '23.02',
    conflicts: ['ntasks-per-gpu'],
    description: 'Trackable resources each task needs, e.g. cpu=4,gres/gpu=1.' },
  { name: 'uid', arg: 'required', type: 'string', valueHint: '<user>', deprecated: UID_GID_DEPRECATED,
    description: 'Root only: submit and run the job as this user.' },
  { name: 'usage', arg: 'none', type: 'string',
    description: 'Print a short usage message and exit.' },
  { name: 'use-min-nodes', arg: 'none', type: 'string',
    description: 'With a node-count range, prefer the smaller count.' },
  { name: 'verbose', short: 'v', arg: 'none', type: 'string', conflicts: ['quiet'],
    description: 'Print more about what sbatch is doing; repeat for more.' },
  { name: 'version', short: 'V', arg: 'none', type: 'string',
    description: 'Print the Slurm version and exit.' },
  { name: 'wait', short: 'W', arg: 'none', type: 'string',
    description: 'Return only when the job has ended, with its exit code.' },
  { name: 'wait-all-nodes', arg: 'required', type: 'enum', values: ['0', '1'], valueHint: '0|1',
    description: 'Whether the script waits for every allocated node to be booted and ready (1) or not (0).' },
  { name: 'wckey', arg: 'required', type: 'string', valueHint: '<wckey>',
    description: 'Workload characterization key to record the job under.' },
  { name: 'wrap', arg: 'required', type: 'string', valueHint: '<command>', conflicts: ['external'],
    description: 'Submit this command line, wrapped in a small sh script, instead of a script file.' },
];

/**
 * Long-only options that share one getopt `val` with another entry, so glibc treats them
 * as the same option when both match an abbreviation. Options with a short letter share
 * their letter as `val`; every other option has its own LONG_OPT_* value.
 */
const SAME_GETOPT_VAL: Readonly<Record<string, string>> = {
  'tasks-per-node': 'ntasks-per-node', // both LONG_OPT_NTASKSPERNODE
};

function getoptVal(o: SbatchOption): string {
  return o.short ?? SAME_GETOPT_VAL[o.name] ?? `--${o.name}`;
}

/**
 * The name under which sbatch stores an option: `tasks-per-node` sets the same field as
 * `ntasks-per-node` (one getopt val), so the two are one option for counting tasks, for
 * "given twice, the later wins" and for what another option requires.
 */
export function sameOptionAs(name: string): string {
  return SAME_GETOPT_VAL[name] ?? name;
}

// ---- lookup maps, built once -------------------------------------------------------------

const BY_LONG = new Map<string, SbatchOption>(SBATCH_OPTIONS.map((o) => [o.name, o]));
const BY_SHORT = new Map<string, SbatchOption>();
for (const o of SBATCH_OPTIONS) if (o.short) BY_SHORT.set(o.short, o);

interface ReleaseView {
  readonly options: readonly SbatchOption[];
  readonly byLong: ReadonlyMap<string, SbatchOption>;
}

function viewOf(options: readonly SbatchOption[]): ReleaseView {
  return { options, byLong: new Map(options.map((o) => [o.name, o])) };
}

const ALL_VIEW = viewOf(SBATCH_OPTIONS);
const RELEASE_VIEWS = new Map<string, ReleaseView>(
  SLURM_RELEASES.map((r) => [r, viewOf(SBATCH_OPTIONS.filter((o) => existsIn(o, r)))]),
);

function releaseKey(version: string): string | undefined {
  const v = releaseNumber(version);
  if (Number.isNaN(v)) return undefined;
  return `${String(Math.floor(v / 100)).padStart(2, '0')}.${String(v % 100).padStart(2, '0')}`;
}

function viewFor(version: string): ReleaseView {
  const key = releaseKey(version);
  const known = key === undefined ? undefined : RELEASE_VIEWS.get(key);
  if (known) return known;
  if (key === undefined) return RELEASE_VIEWS.get(CURRENT_RELEASE)!;
  // A release between the ones in the table (e.g. 24.06): build its view once, not per option.
  const view = viewOf(SBATCH_OPTIONS.filter((o) => existsIn(o, key)));
  RELEASE_VIEWS.set(key, view);
  return view;
}

function stripDashes(name: string, dashes: string): string {
  return name.startsWith(dashes) ? name.slice(dashes.length) : name;
}

// ---- public lookups ----------------------------------------------------------------------

/** The table entry with exactly this long name (leading `--` optional), in any release. */
export function findLongOption(name: string): SbatchOption | undefined {
  return BY_LONG.get(stripDashes(name, '--'));
}

/** The table entry for a short letter (`t` or `-t`). */
export function findShortOption(letter: string): SbatchOption | undefined {
  return BY_SHORT.get(stripDashes(letter, '-'));
}

/**
 * Resolve a long option name as sbatch's getopt_long would (`tim`, `--tim`; no `=value`).
 * With a version, only that release's options take part (abbreviations that are unique in
 * 22.05 may be ambiguous later). Without one, every option of every release takes part, so
 * nothing any release knows is reported unknown; use existsIn() to judge the release.
 */
export function matchLongOption(written: string, version?: string): LongOptionMatch {
  const view = version === undefined ? ALL_VIEW : viewFor(version);
  return matchLong(written, view.options, view.byLong, getoptVal,
    version === undefined ? undefined : (o) => argKindIn(o, version));
}

/** Options sbatch of `version` accepts (default: the current release, CURRENT_RELEASE). */
export function optionsForVersion(version: string = CURRENT_RELEASE): readonly SbatchOption[] {
  return viewFor(version).options;
}

/**
 * Did-you-mean for an unknown long option: up to `max` documented options of `version`
 * (default: the current release) that are a near miss of `written` or contain it.
 */
export function suggestOptions(written: string, max = 3, version?: string): SbatchOption[] {
  return rankSuggestions(written, optionsForVersion(version).filter((o) => !o.hidden), max);
}
