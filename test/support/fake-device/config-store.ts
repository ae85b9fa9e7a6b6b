/**
 * The fake device's configuration: the running config (record.configLines), a candidate where the vendor keeps one
 * (IOS-XR's target config, an EOS configure session, the Junos candidate) with each vendor's diff of it, and the
 * startup config a save writes (record.startupConfig).
 */
import { DeviceRecord } from './types';

export type CandidateStyle = 'xr' | 'eos-session' | 'junos';

export class ConfigStore {
  pending: string[] = [];
  candidate?: { style: CandidateStyle; name: string };

  constructor(private readonly record: DeviceRecord) {}

  /** a config line: straight into the running config, or into the candidate while one is open */
  add(line: string): void {
    if (this.candidate) this.pending.push(line);
    else this.record.configLines.push(line);
  }

  open(style: CandidateStyle, name = ''): void {
    this.candidate = { style, name };
    this.pending = [];
  }

  commit(): void {
    this.record.configLines.push(...this.pending);
    this.pending = [];
  }

  /** drops the candidate's changes (rollback 0, abort); `close` also ends the candidate */
  discard(close = true): void {
    this.pending = [];
    if (close) this.candidate = undefined;
  }

  save(): void {
    this.record.startupConfig = [...this.record.configLines];
  }

  /** The vendor's diff of the candidate against the running config. */
  diff(): string[] {
    const style = this.candidate?.style;
    if (style === 'eos-session') {
      if (!this.pending.length) return [];
      const n = this.record.configLines.length;
      return [
        '--- system:/running-config',
        `+++ session:/${this.candidate!.name}-session-config`,
        `@@ -${n + 1},0 +${n + 1},${this.pending.length} @@`,
        ...this.pending.map((l) => `+${l}`),
      ];
    }
    if (style === 'junos') return junosCompare(this.pending);
    return ['Building configuration...', '!! IOS XR Configuration 7.9.2', ...this.pending.map((l) => `+ ${l}`), 'end'];
  }
}

/** `show | compare` of set/delete lines: "[edit a b]" then "+   c d;" (the last two words are the statement). */
function junosCompare(lines: string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const [verb, ...words] = line.split(/\s+/);
    const statement = words.slice(-2).join(' ');
    const path = words.slice(0, -2).join(' ');
    out.push(path ? `[edit ${path}]` : '[edit]', `${verb === 'delete' ? '-' : '+'}   ${statement};`);
  }
  return out;
}
