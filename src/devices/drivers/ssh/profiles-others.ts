/** CLI profiles of Junos, the VRP/Comware family, FortiOS and Linux (see DeviceProfile). */
import type { DeviceProfile } from './device-profiles';
import { CTRL_C } from './profiles-cisco';

type OtherType = 'juniper_junos' | 'huawei' | 'hp_comware' | 'fortinet' | 'linux';

// "<HOST>" user view, "[HOST]" system view, "[HOST-GigabitEthernet0/0/1]" sub-views (VRP and Comware alike).
const VIEW_TEMPLATE = '^[<\\[][~*]?{host}(?:-[^\\]>]*)?[>\\]]\\s*$';
const SYSTEM_VIEW = { enter: 'system-view', exit: ['return'], abort: ['return'], prompt: /^\[.*\]\s*$/ };
const YES_NO = /\[Y\/N\]:?\s*$/i;

export const OTHER_VENDORS: Record<OtherType, DeviceProfile> = {
  juniper_junos: {
    // "user@host>" operational, "user@host#" configuration (after an "[edit]" line).
    type: 'juniper_junos',
    prompt: /^(?:\{[^}]*\}\s*)?(?<host>[\w.-]+@[\w.-]+)[>#%]\s*$/,
    promptTemplate: '^(?:\\{[^}]*\\}\\s*)?{host}[>#%]\\s*$',
    pagingOff: 'set cli screen-length 0',
    setup: [],
    config: {
      enter: 'configure',
      exit: ['commit and-quit'],
      // an uncommitted candidate must not leak into the next session's commit
      abort: ['rollback 0', 'exit configuration-mode'],
      prompt: /#\s*$/,
    },
    // a private candidate: `rollback 0` then discards this job's changes only, never another user's
    candidate: { enter: 'configure private', diff: 'show | compare', discard: ['rollback 0', 'exit configuration-mode'] },
    savedByCommit: true,
    promptBanner: /^\[edit[^\]]*\]$/,
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
    // VRP8 adds "~" or "*" before the hostname while a candidate config is pending.
    type: 'huawei',
    prompt: /^<[~*]?(?<host>[\w.-]+)>\s*$/,
    promptTemplate: VIEW_TEMPLATE,
    pagingOff: 'screen-length 0 temporary',
    setup: [],
    config: SYSTEM_VIEW,
    save: { command: 'save', dialogue: [{ question: YES_NO, answer: 'y' }, { question: /file name.*\]:?\s*$/i, answer: '' }] },
    errorPatterns: [/^\s*Error: ?/i, /(Unrecognized command|Wrong parameter|Incomplete command|Ambiguous command|Too many parameters) found at/i],
    interrupt: [CTRL_C],
  },
  hp_comware: {
    type: 'hp_comware',
    prompt: /^<(?<host>[\w.-]+)>\s*$/,
    promptTemplate: VIEW_TEMPLATE,
    pagingOff: 'screen-length disable',
    setup: [],
    config: SYSTEM_VIEW,
    // `save` asks to confirm, for the file name (Enter keeps it) and to overwrite it
    save: {
      command: 'save',
      dialogue: [
        { question: /press the enter key\):?\s*$/i, answer: '' },
        { question: YES_NO, answer: 'y' },
      ],
    },
    errorPatterns: [/^\s*% ?(Unrecognized command|Incomplete command|Wrong parameter|Too many parameters|Ambiguous command) found at/i, /^\s*% ?(Error|Failed)\b/i],
    interrupt: [CTRL_C],
  },
  fortinet: {
    // "FGT # " at the top, "FGT (interface) # " inside a config block; the lines open their own blocks (`config
    // system interface`) and `end` applies and saves them, `abort` drops them. FortiOS turns paging off only by
    // changing the global console setting (netmiko changes it and restores it): the driver answers --More-- instead.
    type: 'fortinet',
    prompt: /^(?<host>[\w.-]+)(?: \([^)]*\))? [#$]\s*$/,
    promptTemplate: '^{host}(?: \\([^)]*\\))? [#$]\\s*$',
    setup: [],
    config: { enter: null, exit: ['end', 'end', 'end'], abort: ['abort', 'abort', 'abort', 'abort'], prompt: /\) [#$]\s*$/ },
    savedByCommit: true,
    errorPatterns: [/^Command fail\./i, /^command parse error/i, /^Unknown action/i, /^entry not found in datasource/i, /^value parse error/i],
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
