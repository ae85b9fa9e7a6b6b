/**
 * What the SSH driver must know about each vendor's CLI, kept as data so that adding a
 * device type is a table entry, not a subclass. Every regex is matched against one line
 * of normalised output (no \r, no ANSI codes).
 */
import { DeviceType } from '../device-driver';

export interface ConfigModeProfile {
  /** enters config mode */
  enter: string;
  /** leaves config mode after all lines went through (Junos commits here) */
  exit: string;
  /** leaves config mode after a failure, discarding what can be discarded */
  abort: string[];
  /** the current prompt is a config-mode prompt */
  prompt: RegExp;
}

export interface DeviceProfile {
  type: DeviceType;
  /** Any prompt of this device type; group `host` is the part that identifies the device. */
  prompt: RegExp;
  /**
   * The prompt of the detected device in any mode; `{host}` is replaced by the escaped
   * hostname. Anchoring on the hostname keeps a `#` inside output from ending a read.
   */
  promptTemplate: string;
  /** a prompt that still needs `enable` (only where the vendor has an enable mode) */
  userPrompt?: RegExp;
  /** turns paging off for the session, so long outputs never stop at --More-- */
  pagingOff?: string;
  /** other per-session terminal settings sent at login (errors are ignored) */
  setup: string[];
  enable?: { command: string; passwordPrompt: RegExp };
  config?: ConfigModeProfile;
  /** why config() is refused, for types without a config mode */
  configUnsupported?: string;
  /** a line matching one of these means the device rejected the command */
  errorPatterns: RegExp[];
  /**
   * Keys that stop a running command, tried in turn until the prompt is back (then a bare
   * newline): how a timed-out, stopped or flooding command is interrupted on this device type.
   */
  interrupt: string[];
}

const CTRL_C = '\x03';
/**
 * Ctrl-^ (Ctrl-Shift-6), Cisco IOS's escape sequence ("Type escape sequence to abort."): it stops
 * ping, traceroute and long outputs, where IOS ignores Ctrl-C.
 */
const IOS_ESCAPE = '\x1e';

// IOS, EOS and NX-OS share the "host>", "host#", "host(config-if)#" prompt shape.
const CISCO_PROMPT = /^(?<host>[A-Za-z0-9][\w.\-/:]*)(?:\([^)]*\))?[>#]\s*$/;
const CISCO_TEMPLATE = '^{host}(?:\\([^)]*\\))?[>#]\\s*$';
const CISCO_CONFIG: ConfigModeProfile = {
  enter: 'configure terminal',
  exit: 'end',
  abort: ['end'],
  prompt: /\(conf[^)]*\)#\s*$/,
};
const CISCO_ERRORS = [
  /^% ?Invalid input/i,
  /^% ?Incomplete command/i,
  /^% ?Ambiguous command/i,
  /^% ?Unknown command/i,
  /^% ?Unrecognized command/i,
  /^% ?Invalid command/i,
  /^% ?Invalid parameter/i,
];

const PROFILES: Record<DeviceType, DeviceProfile> = {
  cisco_ios: {
    type: 'cisco_ios',
    prompt: CISCO_PROMPT,
    promptTemplate: CISCO_TEMPLATE,
    userPrompt: />\s*$/,
    pagingOff: 'terminal length 0',
    setup: ['terminal width 511'],
    enable: { command: 'enable', passwordPrompt: /[Pp]assword:\s*$/ },
    config: CISCO_CONFIG,
    errorPatterns: [...CISCO_ERRORS, /^% ?Bad (IP address|mask)/i],
    // the escape sequence first: IOS's ping and traceroute do not hear Ctrl-C at all
    interrupt: [IOS_ESCAPE, CTRL_C],
  },
  arista_eos: {
    type: 'arista_eos',
    prompt: CISCO_PROMPT,
    promptTemplate: CISCO_TEMPLATE,
    userPrompt: />\s*$/,
    pagingOff: 'terminal length 0',
    setup: ['terminal width 511'],
    enable: { command: 'enable', passwordPrompt: /[Pp]assword:\s*$/ },
    config: CISCO_CONFIG,
    errorPatterns: [...CISCO_ERRORS, /^% ?Unavailable command/i, /^% ?Error/i],
    interrupt: [CTRL_C],
  },
  cisco_nxos: {
    // NX-OS logs users straight into the privileged prompt: no enable.
    type: 'cisco_nxos',
    prompt: CISCO_PROMPT,
    promptTemplate: CISCO_TEMPLATE,
    pagingOff: 'terminal length 0',
    setup: ['terminal width 511'],
    config: CISCO_CONFIG,
    errorPatterns: [...CISCO_ERRORS, /^Syntax error while parsing/i, /^ERROR: /],
    interrupt: [CTRL_C],
  },
  juniper_junos: {
    // "user@host>" operational, "user@host#" configuration (after an "[edit]" line).
    type: 'juniper_junos',
    prompt: /^(?:\{[^}]*\}\s*)?(?<host>[\w.-]+@[\w.-]+)[>#%]\s*$/,
    promptTemplate: '^(?:\\{[^}]*\\}\\s*)?{host}[>#%]\\s*$',
    pagingOff: 'set cli screen-length 0',
    setup: [],
    config: {
      enter: 'configure',
      exit: 'commit and-quit',
      // an uncommitted candidate must not leak into the next session's commit
      abort: ['rollback 0', 'exit configuration-mode'],
      prompt: /#\s*$/,
    },
    errorPatterns: [
      /^\s*syntax error/i,
      /^\s*unknown command/i,
      /^\s*missing argument/i,
      /^\s*invalid (value|interface|command)/i,
      /^\s*error: /i,
    ],
    interrupt: [CTRL_C],
  },
  huawei: {
    // "<HOST>" user view, "[HOST]" system view, "[HOST-GigabitEthernet0/0/1]" sub-views;
    // VRP8 adds "~" or "*" before the hostname while a candidate config is pending.
    type: 'huawei',
    prompt: /^<[~*]?(?<host>[\w.-]+)>\s*$/,
    promptTemplate: '^[<\\[][~*]?{host}(?:-[^\\]>]*)?[>\\]]\\s*$',
    pagingOff: 'screen-length 0 temporary',
    setup: [],
    config: { enter: 'system-view', exit: 'return', abort: ['return'], prompt: /^\[.*\]\s*$/ },
    errorPatterns: [/^\s*Error: ?/i, /(Unrecognized command|Wrong parameter|Incomplete command|Ambiguous command|Too many parameters) found at/i],
    interrupt: [CTRL_C],
  },
  linux: {
    type: 'linux',
    // "user@host:~$ " or "root@host:/etc# "; the cwd part changes, the user@host part does not.
    prompt: /^(?<host>[\w.-]+@[\w.-]+)(?::[^\n]*)?[$#]\s*$/,
    promptTemplate: '^{host}(?::[^\\n]*)?[$#]\\s*$',
    setup: [],
    configUnsupported: 'config mode is not supported for linux',
    errorPatterns: [/: command not found$/, /^(?:-?\w*sh): .*: not found$/],
    interrupt: [CTRL_C],
  },
};

export function getProfile(type: DeviceType): DeviceProfile {
  const profile = PROFILES[type];
  if (!profile) throw new Error(`no CLI profile for device type "${type}"`);
  return profile;
}

/** The regex that recognises the detected device's prompt in any of its modes. */
export function anchoredPrompt(profile: DeviceProfile, host: string): RegExp {
  const escaped = host.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return new RegExp(profile.promptTemplate.replace('{host}', escaped));
}

/** The first output line that reports a rejected command, or undefined. */
export function findRejection(profile: DeviceProfile, output: string): string | undefined {
  for (const line of output.split('\n')) {
    if (profile.errorPatterns.some((re) => re.test(line))) return line.trim();
  }
  return undefined;
}
