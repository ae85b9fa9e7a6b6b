/**
 * What the SSH driver must know about each vendor's CLI, kept as data so that adding a
 * device type is a table entry, not a subclass. Every regex is matched against one line
 * of normalised output (no \r, no ANSI codes). The tables are in profiles-cisco.ts and profiles-others.ts.
 */
import { DeviceType } from '../device-driver';
import { CISCO_FAMILY } from './profiles-cisco';
import { OTHER_VENDORS } from './profiles-others';

export interface ConfigModeProfile {
  /** enters config mode; null where the lines open and close their own config blocks (FortiOS `config ...`/`end`) */
  enter: string | null;
  /** after all lines went through, sent in turn while the prompt is still a config prompt (XR commits, then ends) */
  exit: string[];
  /** after a failure, sent in turn while the prompt is still a config prompt, discarding what can be discarded */
  abort: string[];
  /** the current prompt is a config-mode prompt */
  prompt: RegExp;
}

/** A configuration the device keeps apart until committed: what a dry run loads, diffs and throws away. */
export interface CandidateProfile {
  /** enters config mode on the candidate; `{session}` is replaced by a fresh session name */
  enter: string;
  /** shows the device's own diff of the candidate against the running configuration */
  diff: string;
  /** discards the candidate and leaves config mode (each sent while still in config mode) */
  discard: string[];
}

/** How the running configuration is saved to the startup configuration, questions included. */
export interface SaveProfile {
  command: string;
  /** questions the command may ask (any order, any subset), each with its answer ('' is a bare Enter) */
  dialogue: { question: RegExp; answer: string }[];
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
  /** types with a candidate configuration: what dry runs use */
  candidate?: CandidateProfile;
  /** the save command; absent where a commit already writes the configuration to storage (`savedByCommit`) */
  save?: SaveProfile;
  /** committing (leaving config mode) makes the change persistent: `save: true` has nothing left to do */
  savedByCommit?: boolean;
  /** lines the device prints above its prompt in config mode (Junos "[edit]"): part of the prompt, not of an answer */
  promptBanner?: RegExp;
  /** a line matching one of these means the device rejected the command */
  errorPatterns: RegExp[];
  /**
   * Keys that stop a running command, tried in turn until the prompt is back (then a bare
   * newline): how a timed-out, stopped or flooding command is interrupted on this device type.
   */
  interrupt: string[];
}

const PROFILES: Record<DeviceType, DeviceProfile> = { ...CISCO_FAMILY, ...OTHER_VENDORS };

export function getProfile(type: DeviceType): DeviceProfile {
  const profile = PROFILES[type];
  if (!profile) throw new Error(`no CLI profile for device type "${type}"`);
  return profile;
}

/** Device types that can load a candidate, diff it and discard it (options.dry_run). */
export const DRY_RUN_TYPES: readonly DeviceType[] = (Object.keys(PROFILES) as DeviceType[]).filter((t) => PROFILES[t].candidate);

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
