/**
 * The entry of out/slurm.js (see lazySlurm.ts): the runtimes' Slurm side, cluster connections
 * (SSH or this machine), job tracking, and submission with the checks sbatch would make.
 */
export { ClusterRegistry, slurmClusterFor } from '../../../runtimes/src/slurm/index';
export { SlurmCluster } from '../../../runtimes/src/slurm/index';
export { SshTransport } from '../../../runtimes/src/slurm/index';
