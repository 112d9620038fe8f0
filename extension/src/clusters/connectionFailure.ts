/**
 * Why a cluster could not be reached, worded for the dialog that follows a failed connection
 * test: the transport's message (it names the address, the known_hosts line, the keys tried),
 * led by what kind of failure it is, and its hint as the detail. No `vscode`: unit-tested.
 */
import type { SlurmQueryError, TransportError } from '../../../runtimes/src/slurm/index';

export interface FailureText {
  /** One paragraph: what failed, where. */
  readonly message: string;
  /** What to do about it, when known. */
  readonly detail?: string;
}

const LEAD: Record<TransportError['kind'], string> = {
  dns: 'Unknown host',
  unreachable: 'Unreachable',
  timeout: 'No answer',
  auth: 'Login refused',
  hostKeyUnknown: 'Host key not accepted',
  hostKeyChanged: 'Host key CHANGED — refused',
  hostKeyRevoked: 'Host key revoked — refused',
  disconnected: 'Connection dropped',
  closed: 'Connection closed',
  protocol: 'SSH failed',
  file: 'File error',
};

/** By name: the errors come from out/slurm.js, whose classes are not this bundle's (see lazy/lazySlurm.ts). */
function isNamed<E extends Error>(err: unknown, name: string): err is E {
  return err instanceof Error && err.name === name;
}

export function describeConnectionFailure(cluster: string, where: string, err: unknown): FailureText {
  if (isNamed<TransportError>(err, 'TransportError')) {
    return { message: `Cannot connect to "${cluster}" (${where}). ${LEAD[err.kind]}: ${err.message}`, ...(err.hint ? { detail: err.hint } : {}) };
  }
  if (isNamed<SlurmQueryError>(err, 'SlurmQueryError')) {
    return { message: `Reached "${cluster}" (${where}), but Slurm did not answer: ${err.message}`, ...(err.hint ? { detail: err.hint } : {}) };
  }
  const text = err instanceof Error ? err.message : String(err);
  return { message: `Cannot connect to "${cluster}" (${where}): ${text}` };
}
