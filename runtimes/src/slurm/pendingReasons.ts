/**
 * Slurm's reason codes (squeue %r, sacct Reason, scontrol Reason) in plain words, with what the
 * user can do. Every code Slurm 22.05–26.05 defines is covered (test/fixtures/slurm-reasons,
 * taken from job_reason_string / job_state_reason.c); the QOS and association limit families
 * (`QOSMaxCpuPerUserLimit`, `AssocGrpGRESRunMinutes`...) are read by their parts, so a new
 * resource in an old pattern still gets words.
 */

export interface ReasonWords {
  /** Slurm's code, as given. */
  readonly code: string;
  /** What it means, one sentence without a final period ("Waiting behind jobs with a higher priority"). */
  readonly text: string;
  /** A few words for a tree row or a table column ("behind higher-priority jobs"). */
  readonly short: string;
  /** What the user can do about it, when there is something. */
  readonly advice?: string;
  /** `wait`: the queue will get to it; `blocked`: it will not start unless something changes; `held`: on hold; `ended`: why it stopped. */
  readonly kind: 'wait' | 'blocked' | 'held' | 'ended';
}

type Entry = readonly [text: string, kind: ReasonWords['kind'], advice?: string, short?: string];

const CHANGE_REQUEST = 'Ask for less (fewer nodes or CPUs, less memory or time), or pick another partition or QOS';

const NAMED: Readonly<Record<string, Entry>> = {
  None: ['No reason given', 'wait', undefined, 'no reason given'],
  Priority: ['Waiting behind jobs with a higher priority', 'wait', 'It starts when they do; `sprio` shows how priorities compare. A shorter --time can let backfill start it sooner', 'behind higher-priority jobs'],
  Resources: ['Next in line, waiting for the nodes it asked for to become free', 'wait', 'The estimated start is when running jobs are expected to end', 'next, waiting for free nodes'],
  Dependency: ['Waiting for the jobs it depends on (--dependency)', 'wait', undefined, 'waiting for its dependency'],
  DependencyNeverSatisfied: ['A job it depends on ended in a way that will never satisfy --dependency', 'blocked', 'Cancel it and resubmit with a dependency that can be met (e.g. afterany instead of afterok)', 'dependency can never be met'],
  BeginTime: ['Waiting for the start time it was given (--begin)', 'wait', undefined, 'waiting for its --begin time'],
  JobHeldUser: ['Held by its owner', 'held', 'Release it (Release in the Jobs view, or `scontrol release ID`)', 'held by you'],
  JobHeldAdmin: ['Held by an administrator', 'held', 'Only an administrator can release it; ask your site\'s support', 'held by an administrator'],
  JobHoldMaxRequeue: ['Held after being requeued too many times', 'held', 'Find out why it keeps failing to start (its output, `scontrol show job`), then release it'],
  JobArrayTaskLimit: ['The array\'s limit on tasks running at once (%N in --array) is reached', 'wait', 'More tasks start as running ones end; change the limit with `scontrol update JobId=ID ArrayTaskThrottle=N`', 'array\'s running-task limit reached'],
  Reservation: ['Waiting for its reservation to start', 'wait', undefined, 'waiting for its reservation'],
  ReservationDeleted: ['The reservation it asked for was deleted', 'blocked', 'Cancel it and resubmit without --reservation, or with another one'],
  ReservationInvalid: ['The reservation it asked for is not usable', 'blocked', 'Check the name given to --reservation and that you are allowed in it'],
  Licenses: ['Waiting for licenses (--licenses) to become free', 'wait', undefined, 'waiting for licenses'],
  PartitionNodeLimit: ['Asks for more nodes than the partition allows per job', 'blocked', CHANGE_REQUEST, 'over the partition\'s node limit'],
  PartitionTimeLimit: ['Asks for more time than the partition allows', 'blocked', 'Lower --time to the partition\'s MaxTime or pick a partition with a longer limit', 'over the partition\'s time limit'],
  PartitionDown: ['The partition is down', 'blocked', 'It starts if the partition comes back; pick another partition to start sooner', 'partition is down'],
  PartitionInactive: ['The partition is inactive', 'blocked', 'Pick another partition'],
  PartitionConfig: ['The request does not fit the partition\'s configuration', 'blocked', CHANGE_REQUEST, 'does not fit the partition'],
  ReqNodeNotAvail: ['A node it needs is not available (down, drained or reserved, often for maintenance)', 'wait', 'It starts when the node comes back or the reservation ends; a shorter --time may let it run before a maintenance window', 'a node it needs is unavailable'],
  NodeDown: ['A node it needs is down', 'wait'],
  FrontEndDown: ['No front-end node is available', 'wait'],
  BadConstraints: ['No node can satisfy its --constraint', 'blocked', 'Check the features named in --constraint (`sinfo -o "%N %f"`)', 'no node has those features'],
  Constraints: ['Waiting for nodes with the features in --constraint', 'wait', undefined, 'waiting for nodes with its features'],
  InvalidAccount: ['The account is not valid', 'blocked', 'Cancel it and resubmit with an account you belong to (`sacctmgr show assoc user=$USER`)', 'invalid account'],
  InvalidQOS: ['The QOS is not valid', 'blocked', 'Cancel it and resubmit with a QOS you may use', 'invalid QOS'],
  AccountNotAllowed: ['The account may not use this partition', 'blocked', 'Pick another partition or account'],
  QOSNotAllowed: ['The QOS may not be used in this partition', 'blocked', 'Pick another partition or QOS'],
  AccountingPolicy: ['Held back by the site\'s accounting policy (a limit of your account or QOS)', 'wait', 'It starts when your usage falls under the limit; `sshare` and `sacctmgr show qos` show the limits', 'account or QOS limit'],
  AssociationJobLimit: ['Your account\'s limit on jobs is reached', 'wait', 'It starts when some of your jobs end'],
  AssociationResourceLimit: ['Your account\'s limit on resources is reached', 'wait', 'It starts when some of your jobs end'],
  AssociationTimeLimit: ['Your account\'s time limit is reached', 'wait'],
  QOSJobLimit: ['The QOS\'s limit on jobs is reached', 'wait', 'It starts when some jobs in the QOS end'],
  QOSResourceLimit: ['The QOS\'s limit on resources is reached', 'wait', 'It starts when some jobs in the QOS end'],
  QOSTimeLimit: ['The QOS\'s time limit is reached', 'wait'],
  QOSUsageThreshold: ['The QOS\'s usage threshold is reached', 'wait'],
  MaxMemPerLimit: ['Asks for more memory per node or CPU than allowed', 'blocked', CHANGE_REQUEST, 'over the memory limit per node or CPU'],
  MaxPoweredUpNodes: ['The cluster\'s limit on powered-up nodes is reached', 'wait', undefined, 'powered-up node limit reached'],
  PowerNotAvail: ['Not enough power is available for the nodes it needs', 'wait', undefined, 'not enough power'],
  PowerReserved: ['Power is reserved for other jobs', 'wait'],
  BurstBufferResources: ['Waiting for burst buffer space', 'wait'],
  BurstBufferStageIn: ['Staging files in to the burst buffer', 'wait'],
  BurstBufferOperation: ['A burst buffer operation failed', 'blocked', 'Look at the job\'s burst buffer request (`scontrol show job`)'],
  Cleaning: ['Slurm is still cleaning up after an earlier run of this job', 'wait', undefined, 'Slurm is still cleaning up'],
  Prolog: ['The prolog is running on its nodes', 'wait'],
  SchedDefer: ['Scheduling was deferred (the site schedules only in the main loop)', 'wait', undefined, 'scheduling deferred'],
  FedJobLock: ['Waiting for the other clusters of the federation', 'wait', undefined, 'waiting for the federation'],
  MpiPortsBusy: ['All MPI ports are in use', 'wait'],
  NvidiaImexChannels: ['Waiting for NVIDIA IMEX channels', 'wait'],
  DeadLine: ['It could not finish before its --deadline', 'blocked', 'Resubmit with a later --deadline or a shorter --time'],
  BlockFreeAction: ['Waiting for a block to be freed', 'wait'],
  BlockMaxError: ['The block has too many errors', 'blocked'],
  // Why a job ended.
  NonZeroExitCode: ['The job exited with a non-zero code', 'ended', 'Read its output'],
  RaisedSignal: ['A signal ended the job', 'ended', 'Read its output'],
  TimeLimit: ['The job reached its time limit', 'ended', 'Resubmit with a longer --time'],
  OutOfMemory: ['The job ran out of memory', 'ended', 'Resubmit with more memory (--mem or --mem-per-cpu)'],
  InactiveLimit: ['The job was idle past the InactiveLimit', 'ended'],
  JobLaunchFailure: ['Slurm could not start the job on its node', 'ended', 'Resubmit; if it fails again, tell your site\'s support', 'Slurm could not launch it'],
  SystemFailure: ['A node or Slurm daemon failed while the job ran', 'ended', 'Resubmit'],
};

/** Resource word in a limit's name → [what is asked for, its minutes, countable]. */
const RESOURCES: Readonly<Record<string, readonly [string, string, boolean]>> = {
  Cpu: ['CPUs', 'CPU-minutes', true], CPU: ['CPUs', 'CPU-minutes', true],
  Mem: ['memory', 'memory-minutes', false], Memory: ['memory', 'memory-minutes', false],
  Node: ['nodes', 'node-minutes', true], GRES: ['GPUs or other GRES', 'GRES-minutes', true],
  BB: ['burst buffer space', 'burst-buffer-minutes', false], Billing: ['billing units', 'billing-minutes', true],
  Energy: ['energy', 'energy-minutes', false], License: ['licenses', 'license-minutes', true],
  Unknown: ['resources', 'resource-minutes', true], Jobs: ['running jobs', 'job-minutes', true],
  SubmitJobs: ['queued jobs', 'job-minutes', true], SubmitJob: ['queued jobs', 'job-minutes', true],
  Wall: ['wall time', 'wall-minutes', false], WallDuration: ['wall time', 'wall-minutes', false],
};

/**
 * `QOSMaxCpuPerUserLimit`, `AssocGrpMemRunMinutes`, `MaxGRESPerAccount`, `QOSMinGRES`: whose
 * limit (the QOS's, or the account's; none named is the QOS's per-user/per-account limit), the
 * scope (group, per job, node, user, account), the resource, and whether it counts minutes.
 */
function limitWords(code: string): ReasonWords | undefined {
  const m = /^(QOS|Assoc)?(Grp|Max|Min)?(Cpu|CPU|Mem|Memory|Node|GRES|BB|Billing|Energy|License|Unknown|Jobs|SubmitJobs|SubmitJob|Wall|WallDuration)(RunMinutes|RunMins|Minutes)?(Per(?:Job|Node|User|Account))?(Limit|NotSatisfied)?$/.exec(code);
  if (!m) return undefined;
  const [, owner, scope, resource, minutes, per] = m;
  if (!owner && !per) return undefined;
  const whose = owner === 'Assoc' ? 'your account\'s' : 'the QOS\'s';
  const [what, whatMinutes, countable] = RESOURCES[resource!]!;
  const amount = minutes === 'Minutes' ? whatMinutes : minutes ? `${whatMinutes} of running jobs` : what;
  if (scope === 'Min') {
    return { code, kind: 'blocked', text: `Asks for ${countable ? 'fewer' : 'less'} ${what} than the QOS requires`, short: `under the QOS's minimum ${what}`, advice: 'Ask for more, or use another QOS' };
  }
  const perWhat = per ? ` per ${per.slice(3).toLowerCase()}` : scope === 'Grp' ? ' for the whole group' : '';
  const shortAmount = minutes === 'Minutes' ? whatMinutes : minutes ? `running ${whatMinutes}` : what;
  const short = `${owner === 'Assoc' ? 'account' : 'QOS'} limit: ${shortAmount}${perWhat.replace(' for the whole group', ' (group)')}`;
  // A per-job or per-node limit is never reached by waiting: only a smaller request starts.
  return per === 'PerJob' || per === 'PerNode'
    ? { code, kind: 'blocked', text: `Asks for more ${amount} than ${whose} limit${perWhat} allows`, short: `over ${short}`, advice: CHANGE_REQUEST }
    : { code, kind: 'wait', text: `${capitalise(whose)} limit on ${amount}${perWhat} is reached`, short, advice: 'It starts when running jobs under that limit end' };
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Words for a reason code; a code Slurm adds later comes back as itself, marked as such. */
export function reasonWords(code: string): ReasonWords {
  const named = NAMED[code];
  if (named) return { code, text: named[0], short: named[3] ?? lowerFirst(named[0]), kind: named[1], ...(named[2] ? { advice: named[2] } : {}) };
  return limitWords(code) ?? { code, text: `Slurm says "${code}"`, short: code, kind: 'wait' };
}

/**
 * Whether Slurm's expected start means anything: a held job, or one the queue will never start
 * as it stands, keeps the estimate it had before (`--begin`, an earlier backfill pass).
 */
export function startIsExpected(reason: string | undefined): boolean {
  return reason === undefined || reasonWords(reason).kind === 'wait';
}

/** True when this build has words of its own for the code. */
export function knowsReason(code: string): boolean {
  return code in NAMED || limitWords(code) !== undefined;
}
