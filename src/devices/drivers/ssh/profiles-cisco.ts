/** CLI profiles of the Cisco-shaped device types: IOS, IOS-XE, NX-OS, EOS and IOS-XR (see DeviceProfile). */
import type { ConfigModeProfile, DeviceProfile } from './device-profiles';

export const CTRL_C = '\x03';
/**
 * Ctrl-^ (Ctrl-Shift-6), Cisco IOS's escape sequence ("Type escape sequence to abort."): it stops
 * ping, traceroute and long outputs, where IOS ignores Ctrl-C.
 */
const IOS_ESCAPE = '\x1e';

// IOS, EOS and NX-OS share the "host>", "host#", "host(config-if)#" prompt shape; XR adds its node,
// "RP/0/RP0/CPU0:host#", which the host group takes whole (it names the device as well).
const CISCO_PROMPT = /^(?<host>[A-Za-z0-9][\w.\-/:]*)(?:\([^)]*\))?[>#]\s*$/;
const CISCO_TEMPLATE = '^{host}(?:\\([^)]*\\))?[>#]\\s*$';
const CISCO_CONFIG: ConfigModeProfile = {
  enter: 'configure terminal',
  exit: ['end'],
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
const ENABLE = { command: 'enable', passwordPrompt: /[Pp]assword:\s*$/ };
const IOS_ERRORS = [...CISCO_ERRORS, /^% ?Bad (IP address|mask)/i];

/** What every Cisco-shaped type shares: the prompt shape, paging off, a wide terminal. */
const CISCO_BASE = {
  prompt: CISCO_PROMPT,
  promptTemplate: CISCO_TEMPLATE,
  pagingOff: 'terminal length 0',
  setup: ['terminal width 511'],
};
/** IOS, IOS-XE and EOS also share the user prompt, enable and `configure terminal` ... `end`. */
const IOS_SHAPED = { ...CISCO_BASE, userPrompt: />\s*$/, enable: ENABLE, config: CISCO_CONFIG };

type CiscoType = 'cisco_ios' | 'cisco_xe' | 'arista_eos' | 'cisco_nxos' | 'cisco_xr';

export const CISCO_FAMILY: Record<CiscoType, DeviceProfile> = {
  cisco_ios: {
    type: 'cisco_ios',
    ...IOS_SHAPED,
    save: { command: 'write memory', dialogue: [] },
    errorPatterns: IOS_ERRORS,
    // the escape sequence first: IOS's ping and traceroute do not hear Ctrl-C at all
    interrupt: [IOS_ESCAPE, CTRL_C],
  },
  cisco_xe: {
    // IOS-XE speaks IOS; its save is the copy that asks for the destination (Enter keeps startup-config).
    type: 'cisco_xe',
    ...IOS_SHAPED,
    save: { command: 'copy running-config startup-config', dialogue: [{ question: /Destination filename \[[^\]]*\]\?\s*$/, answer: '' }] },
    errorPatterns: IOS_ERRORS,
    interrupt: [IOS_ESCAPE, CTRL_C],
  },
  arista_eos: {
    type: 'arista_eos',
    ...IOS_SHAPED,
    // a configure session is EOS's candidate: nothing reaches the running config before its commit
    candidate: { enter: 'configure session {session}', diff: 'show session-config diffs', discard: ['abort'] },
    save: { command: 'write memory', dialogue: [] },
    errorPatterns: [...CISCO_ERRORS, /^% ?Unavailable command/i, /^% ?Error/i],
    interrupt: [CTRL_C],
  },
  cisco_nxos: {
    // NX-OS logs users straight into the privileged prompt: no enable.
    type: 'cisco_nxos',
    ...CISCO_BASE,
    config: CISCO_CONFIG,
    save: { command: 'copy running-config startup-config', dialogue: [] },
    errorPatterns: [...CISCO_ERRORS, /^Syntax error while parsing/i, /^ERROR: /],
    interrupt: [CTRL_C],
  },
  cisco_xr: {
    // IOS-XR: lines build the session's target config; `commit` applies it (and it is then persistent: no save),
    // `abort` throws it away and leaves config mode. No enable.
    type: 'cisco_xr',
    ...CISCO_BASE,
    config: { enter: 'configure terminal', exit: ['commit', 'end'], abort: ['abort'], prompt: /\(config[^)]*\)#\s*$/ },
    candidate: { enter: 'configure terminal', diff: 'show commit changes diff', discard: ['abort'] },
    savedByCommit: true,
    errorPatterns: [...CISCO_ERRORS, /^% ?Failed to commit/i, /^% ?Failed/i],
    interrupt: [CTRL_C],
  },
};
