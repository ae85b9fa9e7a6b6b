/**
 * The contract between the job runner and the code that talks to devices.
 * A driver opens sessions; a session runs read commands and config lines.
 * Pinned workers keep one session open across jobs; FIFO workers open one per job.
 */

/** Device types with a CLI profile (prompt, paging-off, enable, config mode, error patterns). */
export const DEVICE_TYPES = [
  'cisco_ios',
  'cisco_nxos',
  'arista_eos',
  'juniper_junos',
  'huawei',
  'linux',
] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];

/** What a driver needs to reach a device. Secrets (password, secret, private_key) never leave the worker. */
export interface ConnectionArgs {
  device_type: DeviceType;
  host: string;
  port?: number;
  username: string;
  password?: string;
  /** enable secret */
  secret?: string;
  /** PEM private key, as an alternative to password */
  private_key?: string;
  passphrase?: string;
  /** connect (TCP + SSH handshake + auth) timeout, seconds */
  timeout?: number;
  /** pinned host key, "SHA256:<base64>" as printed by ssh-keygen -l */
  host_key_fingerprint?: string;
}

export interface CommandOptions {
  /** how long to wait for the prompt after sending a command, milliseconds */
  readTimeoutMs: number;
  /** aborting it interrupts the command (the profile's interrupt keys / leaving config mode) and rejects with DeviceError 'StoppedError' */
  signal?: AbortSignal;
  /** output larger than this rejects with 'OutputTooLargeError' (bytes) */
  maxOutputBytes?: number;
  /**
   * Output as it arrives: for a command, pieces whose concatenation is exactly the output run() returns; for
   * config, each line's piece of the transcript configure() returns, once the device answered it.
   */
  onOutput?: (command: string, chunk: string) => void;
}

export interface DeviceSession {
  /** Runs one command at the device's privileged prompt and returns its output (without echo and prompt). */
  run(command: string, opts: CommandOptions): Promise<string>;
  /** Enters config mode, sends the lines, leaves config mode; rejects with 'CommandRejectedError' on a device error. */
  configure(lines: string[], opts: CommandOptions): Promise<string>;
  /** True while the underlying connection is usable. */
  readonly alive: boolean;
  /** Facts read at login (prompt, hostname), safe to return to clients. */
  readonly info: { prompt: string; hostname: string };
  close(): Promise<void>;
}

export interface ConnectOptions {
  signal?: AbortSignal;
}

export interface DeviceDriver {
  connect(args: ConnectionArgs, opts?: ConnectOptions): Promise<DeviceSession>;
}

/** Error types a job's result.error.type can carry. */
export type DeviceErrorType =
  | 'AuthenticationError'
  | 'ConnectionRefusedError'
  | 'ConnectionTimeoutError'
  | 'HostUnreachableError'
  | 'ConnectionDroppedError'
  | 'HostKeyMismatchError'
  | 'UnknownHostKeyError'
  | 'CommandTimeoutError'
  | 'CommandRejectedError'
  | 'OutputTooLargeError'
  | 'StoppedError'
  /** the job names a credential set the worker node's CREDENTIALS_FILE does not have */
  | 'CredentialError'
  | 'DeviceError';

/**
 * Every failure a driver reports. `message` must never contain a password, secret or key.
 * `partialOutput` keeps what the device sent before the failure (a stopped or timed-out command).
 */
export class DeviceError extends Error {
  constructor(
    readonly type: DeviceErrorType,
    message: string,
    readonly partialOutput?: string,
  ) {
    super(message);
    this.name = type;
  }
}
