/** Turns socket and ssh2 failures into TransportErrors a person can act on. */
import { TransportError } from './transport';

export interface HopName { readonly user: string; readonly host: string; readonly port: number }

export function describeHop(h: HopName): string {
  return `${h.user}@${h.host}:${h.port}`;
}

/** A failure of the TCP connection to the first hop. */
export function socketError(e: NodeJS.ErrnoException, hop: HopName, timeoutS: number): TransportError {
  const where = `${hop.host}:${hop.port}`;
  switch (e.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return new TransportError('dns', `Cannot resolve the host name "${hop.host}" (DNS: ${e.code}).`,
        'Check the spelling, your ~/.ssh/config HostName, or your network/VPN.', { cause: e });
    case 'ECONNREFUSED':
      return new TransportError('unreachable', `Cannot connect to ${where}: connection refused.`,
        'Is an SSH server running there, and is the port right?', { cause: e });
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
      return new TransportError('unreachable', `Cannot reach ${where}: ${e.code === 'ENETUNREACH' ? 'no route to the network' : 'host unreachable'}.`,
        'Are you on the right network or VPN?', { cause: e });
    case 'ETIMEDOUT':
      return new TransportError('timeout', `No answer from ${where} within ${timeoutS} s.`,
        'The host may be down, or a firewall or missing VPN blocks the port.', { cause: e });
    case 'ECONNRESET':
    case 'EPIPE':
      return new TransportError('disconnected', `The connection to ${where} was closed by the other side.`, undefined, { cause: e });
    default:
      return new TransportError('unreachable', `Cannot connect to ${where}: ${e.message}`, undefined, { cause: e });
  }
}

/** An error ssh2 emitted during the handshake or authentication. */
export function handshakeError(e: Error & { level?: string; code?: string }, hop: HopName, tried: readonly string[], timeoutS: number,
  unusable: readonly string[] = []): TransportError {
  if (e instanceof TransportError) return e;
  if (e.level === 'client-authentication') {
    const triedText = tried.length ? tried.join(', ') : unusable.length ? 'nothing' : 'nothing: no key, agent or prompt available';
    return new TransportError('auth',
      `${hop.host}:${hop.port} refused to log in user "${hop.user}" (tried: ${triedText}${unusable.length ? `; keys not usable: ${unusable.join('; ')}` : ''}).`,
      'Check the user name, and that one of your public keys is in ~/.ssh/authorized_keys on the cluster (`ssh -v` shows what the server accepts).',
      { cause: e });
  }
  if (e.level === 'client-timeout' || /timed out/i.test(e.message)) {
    return new TransportError('timeout', `${hop.host}:${hop.port} did not complete the SSH handshake within ${timeoutS} s.`,
      'The host may be overloaded, or the port is not an SSH server.', { cause: e });
  }
  if (e.level === 'client-socket' && e.code) return socketError(e as NodeJS.ErrnoException, hop, timeoutS);
  return new TransportError('protocol', `SSH connection to ${describeHop(hop)} failed: ${e.message}`, undefined, { cause: e });
}
