/**
 * Opening the SSH transport: TCP, handshake with optional host key pinning, authentication,
 * then a pty + shell channel. Everything that can fail here fails as a DeviceError.
 */
import { createHash } from 'crypto';
import { Algorithms, Client, ClientChannel, ConnectConfig } from 'ssh2';
import { ConnectionArgs, DeviceError } from '../device-driver';
import { ConnectTarget, mapConnectError } from './ssh-errors';

/** "SHA256:<base64 without padding>", as `ssh-keygen -l` prints it. */
export function sha256Fingerprint(publicKeyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(publicKeyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** Accepts the pinned value with or without the "SHA256:" prefix or base64 padding. */
function sameFingerprint(pinned: string, actual: string): boolean {
  const clean = (f: string) => f.trim().replace(/^SHA256:/i, '').replace(/=+$/, '');
  return clean(pinned) === clean(actual);
}

/**
 * Network gear often runs old SSH stacks: keep ssh2's modern defaults first and append the
 * legacy algorithms those stacks still need, so negotiation only falls back when it must.
 * The set is what paramiko (under netmiko, which NetPulse used) offers beyond ssh2's defaults
 * and ssh2 can do in pure JS: a device NetPulse reached must not be out of reach here.
 * ssh2's defaults already hold ssh-rsa host keys and hmac-sha1. Each entry is proven against
 * an sshd offering only it (test/openssh-legacy.e2e-spec.ts).
 */
const LEGACY_ALGORITHMS: Algorithms = {
  kex: {
    append: ['diffie-hellman-group14-sha1', 'diffie-hellman-group-exchange-sha1', 'diffie-hellman-group1-sha1'],
    prepend: [],
    remove: [],
  },
  cipher: { append: ['aes128-cbc', 'aes192-cbc', 'aes256-cbc', '3des-cbc'], prepend: [], remove: [] },
  hmac: { append: ['hmac-sha1-96', 'hmac-md5', 'hmac-md5-96'], prepend: [], remove: [] },
  // DSA host keys: old IOS, ASA and ProCurve images that never got an RSA key
  serverHostKey: { append: ['ssh-dss'], prepend: [], remove: [] },
};

/** Resolves with an authenticated client; rejects with a mapped DeviceError. */
export function openClient(args: ConnectionArgs, target: ConnectTarget, signal?: AbortSignal, rejectUnknownHosts = false): Promise<Client> {
  return new Promise<Client>((resolve, reject) => {
    const client = new Client();
    let settled = false;
    let hostKeyError: DeviceError | undefined;
    const settle = (err?: DeviceError) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (!err) return resolve(client);
      client.destroy();
      reject(err);
    };
    const onAbort = () => settle(new DeviceError('StoppedError', `Connecting to ${target.label} was stopped`));
    const hostVerifier = (key: Buffer): boolean => {
      const actual = sha256Fingerprint(key);
      if (!args.host_key_fingerprint) {
        if (!rejectUnknownHosts) return true;
        hostKeyError = new DeviceError('UnknownHostKeyError',
          `${target.label} presented host key ${actual}, which is not pinned (connection_args.host_key_fingerprint); unknown hosts are rejected (SSH_UNKNOWN_HOSTS=reject)`);
        return false;
      }
      if (sameFingerprint(args.host_key_fingerprint, actual)) return true;
      hostKeyError = hostKeyMismatch(args, target, actual);
      return false;
    };

    client.once('ready', () => settle());
    // Stays registered for the client's whole life: ssh2 throws on an 'error' nobody listens to.
    client.on('error', (err) => settle(hostKeyError ?? mapConnectError(err, target)));
    client.once('close', () =>
      settle(new DeviceError('ConnectionDroppedError', `Connection to ${target.label} was closed during login`)),
    );
    // Devices that offer only keyboard-interactive ask for the password this way.
    client.on('keyboard-interactive', (_name, _instructions, _lang, prompts, finish) =>
      finish(prompts.map(() => args.password ?? '')),
    );
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      client.connect(connectConfig(args, target, hostVerifier));
      // CLI traffic is many tiny writes: Nagle + delayed ACKs would add ~40 ms to every command.
      client.setNoDelay(true);
    } catch {
      // ssh2 throws synchronously for a key it cannot parse; its text is not passed on.
      settle(new DeviceError('AuthenticationError', `The private key for ${target.label} could not be read (wrong format or passphrase)`));
    }
  });
}

function connectConfig(args: ConnectionArgs, target: ConnectTarget, hostVerifier: (key: Buffer) => boolean): ConnectConfig {
  return {
    host: args.host,
    port: args.port ?? 22,
    username: args.username,
    password: args.password,
    privateKey: args.private_key,
    passphrase: args.passphrase,
    tryKeyboard: args.password !== undefined,
    readyTimeout: target.timeoutMs,
    hostVerifier,
    // Pinned sessions stay open between jobs: keepalives find a dead peer.
    keepaliveInterval: 15_000,
    keepaliveCountMax: 3,
    algorithms: LEGACY_ALGORITHMS,
  };
}

function hostKeyMismatch(args: ConnectionArgs, target: ConnectTarget, actual: string): DeviceError {
  return new DeviceError(
    'HostKeyMismatchError',
    `Host key mismatch for ${target.label}: expected ${args.host_key_fingerprint}, the device presented ${actual}`,
  );
}

/** A wide pty keeps devices from wrapping long lines into the output. */
const PTY = { term: 'vt100', cols: 511, rows: 24, width: 0, height: 0 };

export function openShell(client: Client, target: ConnectTarget): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    client.shell(PTY, (err, channel) => {
      if (err) {
        return reject(new DeviceError('DeviceError', `The device at ${target.label} refused an interactive shell`));
      }
      resolve(channel);
    });
  });
}
