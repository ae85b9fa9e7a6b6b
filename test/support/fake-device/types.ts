/** Options, hooks and records shared by the fake device's server and its CLI emulator. */
import { Flavor } from './outputs';

export interface CliOptions {
  flavor: Flavor;
  hostname: string;
  username: string;
  /** enable secret; empty means `enable` needs no password */
  secret: string;
  startPrivileged: boolean;
  /** log in, then never show a prompt and ignore everything */
  hangAtLogin: boolean;
  /** delay before every command, or per exact command line */
  commandDelayMs: number | Record<string, number>;
  /** how long `show slow` takes in total */
  slowCommandMs: number;
  interfaceCount: number;
  /** lines per page before `terminal length 0` */
  pageLength: number;
  /** keep paging even after `terminal length 0` (a device whose paging-off failed) */
  ignoreTerminalLength: boolean;
  banner?: string;
  /** false: typed characters are not echoed (the newline still is), like a device that does not echo */
  echo?: boolean;
  /** FortiOS `config system console` / `set output`: global, so it outlives the session that set it (as netmiko expects) */
  consoleOutput?: 'more' | 'standard';
}

/** What the device saw, for tests to assert on. */
export interface DeviceRecord {
  /** every non-empty line typed at a prompt (never what was typed at Password:) */
  commands: string[];
  /** lines accepted in config mode (show running-config lists them too) */
  configLines: string[];
  /** what the last save wrote to the startup configuration (null: never saved) */
  startupConfig: string[] | null;
  /** answers typed at the device's questions (save dialogues, uncommitted-changes questions), '' for a bare Enter */
  answers: string[];
  /** Ctrl-C keys received */
  ctrlC: number;
  /** Ctrl-^ keys received (Cisco IOS's escape sequence) */
  escapes: number;
  /** characters that arrived while a command was still running (a client that did not wait) */
  typeahead: number;
  /** authentication methods tried, e.g. "password:ok", "keyboard-interactive:fail" */
  authMethods: string[];
}

export interface CliHooks {
  write(text: string): void;
  /** drops the whole SSH connection */
  drop(): void;
  /** ends the channel (exit/logout, or the end of an exec request) */
  logout(exitCode: number): void;
  record: DeviceRecord;
}
