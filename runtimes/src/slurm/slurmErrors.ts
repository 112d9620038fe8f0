/** Failures of Slurm commands, with the one everybody meets spelled out: the controller is down. */

export class SlurmQueryError extends Error {
  readonly failureKind = 'slurm';
  constructor(message: string, readonly detail?: string, readonly hint?: string) {
    super(message);
    this.name = 'SlurmQueryError';
  }
}

const CONTROLLER_DOWN = /Unable to contact slurm controller|Failed while looking for jobs|Socket timed out on send\/recv|Zero Bytes were transmitted or received|Connection refused/i;

/** Whether a Slurm command's message means "no controller answered". */
export function isControllerDown(message: string): boolean {
  return CONTROLLER_DOWN.test(message);
}

/** The error for a Slurm command that failed: names the dead controller when that is the cause. */
export function slurmCommandError(command: string, stderr: string, code: number | null, cluster: string): SlurmQueryError {
  const msg = stderr.trim().split('\n').filter(Boolean).slice(-3).join(' ') || `exit ${code}`;
  if (isControllerDown(msg)) {
    return new SlurmQueryError(`The Slurm controller of cluster "${cluster}" does not answer (${command}: ${msg}).`, stderr,
      'slurmctld may be down or restarting; jobs keep running. The view updates when it answers again.');
  }
  if (code === 127 || /command not found/.test(msg)) {
    return new SlurmQueryError(`${command} was not found on cluster "${cluster}".`, stderr,
      'Is this a Slurm login node? Non-login SSH sessions may have a shorter PATH (module load slurm?).');
  }
  return new SlurmQueryError(`${command} failed on cluster "${cluster}": ${msg}`, stderr);
}
