/**
 * Turning ssh2 and socket errors into DeviceError types a job result can carry. Messages are
 * written for people reading a job result and are built only from the target
 * (user@host:port), never from the library's text, which could echo configuration.
 */
import { ConnectionArgs, DeviceError } from '../device-driver';

export interface ConnectTarget {
  /** "admin@10.0.0.1:22" */
  label: string;
  timeoutMs: number;
}

export function describeTarget(args: ConnectionArgs): ConnectTarget {
  return {
    label: `${args.username}@${args.host}:${args.port ?? 22}`,
    timeoutMs: Math.max(0.1, args.timeout ?? 10) * 1000,
  };
}

const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTDOWN', 'EADDRNOTAVAIL']);
const DROPPED = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

interface Ssh2Error {
  code?: string;
  level?: string;
  message?: string;
}

/** Maps an error emitted by ssh2's Client before 'ready'. */
export function mapConnectError(err: unknown, target: ConnectTarget): DeviceError {
  const e = (err ?? {}) as Ssh2Error;
  const seconds = target.timeoutMs / 1000;
  if (e.code === 'ECONNREFUSED') {
    return new DeviceError('ConnectionRefusedError', `Connection refused by ${hostPart(target)}`);
  }
  if (e.code === 'ETIMEDOUT' || e.level === 'client-timeout') {
    return new DeviceError('ConnectionTimeoutError', `Timed out after ${seconds}s connecting to ${target.label}`);
  }
  if ((e.code && UNREACHABLE.has(e.code)) || e.level === 'client-dns') {
    return new DeviceError('HostUnreachableError', `Host unreachable: ${hostPart(target)} (${e.code ?? 'DNS lookup failed'})`);
  }
  if (e.level === 'client-authentication') {
    return new DeviceError('AuthenticationError', `Authentication failed for ${target.label}`);
  }
  if (e.code && DROPPED.has(e.code)) {
    return new DeviceError('ConnectionDroppedError', `Connection to ${target.label} was closed by the device during login (${e.code})`);
  }
  if (e.level === 'handshake' || e.level === 'protocol') {
    return new DeviceError('DeviceError', `SSH handshake with ${hostPart(target)} failed (no common algorithm or protocol error)`);
  }
  return new DeviceError('DeviceError', `Could not connect to ${target.label}${e.code ? ` (${e.code})` : ''}`);
}

function hostPart(target: ConnectTarget): string {
  return target.label.slice(target.label.lastIndexOf('@') + 1);
}

/**
 * Replaces the connection's secrets wherever they could surface in an error (a config line
 * that sets a password, a device that echoes what it was sent). Very short secrets are left
 * alone: replacing "a" everywhere would only garble the message.
 */
export function secretRedactor(args: ConnectionArgs): (text: string) => string {
  const secrets = [args.password, args.secret, args.passphrase]
    .filter((s): s is string => typeof s === 'string' && s.length >= 3)
    .sort((a, b) => b.length - a.length);
  return (text) => secrets.reduce((t, s) => t.split(s).join('********'), text);
}
