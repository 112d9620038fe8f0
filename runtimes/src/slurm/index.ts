/**
 * The Slurm side's public face: what the editor and the CLI may use of clusters, jobs and the
 * SSH transport under them (eslint.config.mjs holds them to it). Our modules have no import-time
 * effects (esbuild.mjs, pureSources), so a bundle that takes one name from here gets only the
 * modules that name needs.
 */
export type { Allocation } from './allocation';
export { ClusterRegistry, closeCluster, slurmClusterFor, type ClusterConfig, type RegistryOptions } from './clusterRegistry';
export { arrayBadge, arrayText, outcomeBadge, outcomeText, summarizeArray, type JobOutcome } from './jobOutcome';
export { expandArrayIndexes, masterId, type JobExit, type JobRecord } from './jobRecord';
export type { JobSnapshot } from './jobTracker';
export { reasonWords, startIsExpected } from './pendingReasons';
export type { PythonJobSpec } from './pythonJob';
export { SlurmCluster } from './slurmCluster';
export { checkJobId } from './slurmCommands';
export { SlurmQueryError } from './slurmErrors';
export type { SlurmJob } from './slurmJob';
export type { SlurmTask } from './slurmTasks';
export { slurmRunner } from './slurmRunner';
export { runStateOf, slurmStateWord } from './slurmState';
export { slurmSummary } from './slurmSummary';
export { describeEstimate, startsIn, type StartEstimate } from './startEstimate';
export { ssh2 } from '../transport/ssh2Module';
export { SshConfig, parseDestination } from '../transport/sshConfig';
export type { HostKeyAnswer, SshPrompts } from '../transport/sshPrompts';
export { SshTransport } from '../transport/sshTransport';
export { TransportError, type CommandExit, type ConnectionState } from '../transport/transport';
