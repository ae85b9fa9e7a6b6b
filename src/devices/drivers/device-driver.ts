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
  'cisco_xe',
  'cisco_xr',
  'hp_comware',
  'fortinet',
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

/** netmiko's send_command arguments, for read commands (see ReadShaping in ssh/command-shaping.ts). */
export interface CommandShaping {
  /** a regex: the answer is complete when the output shows it (instead of the prompt) */
  expectString?: string;
  /** keep the trailing prompt line in the output when false (default true) */
  stripPrompt?: boolean;
  /** keep the echoed command line in the output when false (default true) */
  stripCommand?: boolean;
  /** when false, the first prompt after the command ends it, whether or not the device echoed it (default true) */
  cmdVerify?: boolean;
}

export interface RunOptions extends CommandOptions, CommandShaping {}

/** What a config push does besides sending the lines. */
export interface ConfigOptions extends CommandOptions {
  /** run the device type's save command (and answer its dialogue) after the lines are applied */
  save?: boolean;
  /** after the first rejected line, skip the rest and leave config mode discarding what can be discarded (default true) */
  stopOnError?: boolean;
  /** load the lines into a candidate, read the device's diff, discard the candidate (types with a candidate only) */
  dryRun?: boolean;
}

export type ConfigLineStatus = 'applied' | 'rejected' | 'skipped';

/** One config line's fate: what the device answered to it. */
export interface ConfigLineResult {
  line: string;
  status: ConfigLineStatus;
  output: string;
}

/** A config push's account: the screen transcript, each line's fate, the dry run's diff and the save's output. */
export interface ConfigOutcome {
  transcript: string;
  lines: ConfigLineResult[];
  /** dry run: the device's own diff of the candidate against the running config */
  diff?: string;
  /** what the save command answered (with save: true on a type that has one) */
  save?: string;
  /** rejected lines (with stop_on_error false the push goes on after them) */
  rejected: number;
}

export interface DeviceSession {
  /** Runs one command at the device's privileged prompt and returns its output (without echo and prompt, unless asked). */
  run(command: string, opts: RunOptions): Promise<string>;
  /**
   * Enters config mode, sends the lines, leaves config mode (committing, or with dryRun discarding), saves if asked.
   * Rejects with 'CommandRejectedError' on a rejected line when stopOnError holds; every rejection carries the lines' fates.
   */
  configure(lines: string[], opts: ConfigOptions): Promise<ConfigOutcome>;
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
    /** a config push that failed: what happened to each line until then */
    readonly config?: ConfigOutcome,
  ) {
    super(message);
    this.name = type;
  }
}
