/** Canned command outputs of the fake device, close enough to the real ones to exercise parsers. */
import { Match, tokenColumn } from './command-table';

export type Flavor =
  | 'cisco_ios' | 'cisco_xe' | 'cisco_nxos' | 'cisco_xr' | 'arista_eos'
  | 'juniper_junos' | 'huawei' | 'hp_comware' | 'fortinet' | 'linux';

export const IOS_VERSION_LINE =
  'Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E4, RELEASE SOFTWARE (fc2)';
export const EOS_VERSION_LINE = 'Software image version: 4.28.3M';

export function showVersion(flavor: Flavor, hostname: string): string[] {
  if (flavor === 'arista_eos') {
    return [
      'Arista DCS-7050SX-64',
      'Hardware version:    01.11',
      'Serial number:       JPE14081234',
      'Hardware MAC address:  001c.7312.3456',
      'System MAC address:  001c.7312.3456',
      '',
      EOS_VERSION_LINE,
      'Architecture:           i686',
      'Internal build version: 4.28.3M-28837868.4283M',
      'Internal build ID:      0c7b5a96-4bdc-4e59-9a3c-3b5b0c2a4f11',
      'Image format version:   1.0',
      '',
      'Uptime:                 2 weeks, 3 days, 4 hours and 5 minutes',
      'Total memory:           3978148 kB',
      'Free memory:            2345678 kB',
    ];
  }
  return [
    IOS_VERSION_LINE,
    'Technical Support: http://www.cisco.com/techsupport',
    'Copyright (c) 1986-2021 by Cisco Systems, Inc.',
    'Compiled Tue 31-Aug-21 02:38 by prod_rel_team',
    '',
    'ROM: Bootstrap program is C2960X boot loader',
    'BOOTLDR: C2960X Boot Loader (C2960X-HBOOT-M) Version 15.2(7r)E, RELEASE SOFTWARE (fc1)',
    '',
    `${hostname} uptime is 3 weeks, 2 days, 4 hours, 12 minutes`,
    'System returned to ROM by power-on',
    'System image file is "flash:c2960x-universalk9-mz.152-7.E4.bin"',
    'Last reload reason: power-on',
    '',
    'cisco WS-C2960X-48FPD-L (APM86XXX) processor (revision B0) with 524288K bytes of memory.',
    'Processor board ID FOC1234X5YZ',
    'Last reset from power-on',
    '1 Virtual Ethernet interface',
    '52 Gigabit Ethernet interfaces',
    '2 Ten Gigabit Ethernet interfaces',
    '',
    '512K bytes of flash-simulated non-volatile configuration memory.',
    'Base ethernet MAC Address       : 00:1A:2B:3C:4D:5E',
    'Model number                    : WS-C2960X-48FPD-L',
    'System serial number            : FOC1234X5YZ',
    '',
    'Configuration register is 0xF',
  ];
}

export function interfaceName(flavor: Flavor, i: number): string {
  if (flavor === 'cisco_xr') return `GigabitEthernet0/0/0/${i}`;
  if (flavor === 'juniper_junos') return `ge-0/0/${i}`;
  if (flavor === 'fortinet') return `port${i + 1}`;
  return flavor === 'arista_eos' || flavor === 'cisco_nxos' ? `Ethernet${i + 1}` : `GigabitEthernet1/0/${i + 1}`;
}

export function showIpInterfaceBrief(flavor: Flavor, count: number): string[] {
  const rows = Array.from({ length: count }, (_, i) => {
    const name = interfaceName(flavor, i).padEnd(23);
    const ip = (i % 3 === 0 ? `10.0.${i}.1` : 'unassigned').padEnd(16);
    const status = i % 5 === 4 ? 'administratively down down    ' : 'up                    up      ';
    return `${name}${ip}YES manual ${status}`;
  });
  return ['Interface              IP-Address      OK? Method Status                Protocol', ...rows];
}

export function showRunningConfig(flavor: Flavor, hostname: string, count: number, applied: string[]): string[] {
  const interfaces = Array.from({ length: count }, (_, i) => [
    '!',
    `interface ${interfaceName(flavor, i)}`,
    i % 5 === 4 ? ' shutdown' : ' no shutdown',
  ]).flat();
  return [
    'Building configuration...',
    '',
    'Current configuration : 4242 bytes',
    '!',
    'version 15.2',
    'service timestamps debug datetime msec',
    'service timestamps log datetime msec',
    'no service password-encryption',
    '!',
    `hostname ${hostname}`,
    '!',
    'enable secret 9 $9$REDACTEDREDACTED',
    ...interfaces,
    '!',
    ...applied,
    '!',
    'line vty 0 4',
    ' login local',
    ' transport input ssh',
    '!',
    'end',
  ];
}

export function showClock(): string[] {
  return ['*10:42:17.123 UTC Mon Mar 4 2024'];
}

/** `show big N`: numbered lines of a known size (64 bytes with \r\n) for output limits. */
export function bigOutput(lines: number): string[] {
  return Array.from({ length: lines }, (_, i) => `line ${String(i + 1).padStart(6, '0')} ${'x'.repeat(50)}`);
}

/** The output `show drop` sends before the connection goes away; the first half arrives. */
export function dropOutput(): string[] {
  return Array.from({ length: 20 }, (_, i) => `drop line ${i + 1}`);
}

export const SLOW_LINES = ['Collecting statistics...', 'stage 1 done', 'stage 2 done', 'stage 3 done', 'slow command complete'];
export const HANG_START = 'Collecting diagnostics, please wait...';

/** The vendor's wording for a command it does not understand (`promptLength` places the IOS caret). */
export function rejection(flavor: Flavor, line: string, match: Exclude<Match<unknown>, { ok: true }>, promptLength: number): string[] {
  const tokens = line.trim().split(/\s+/);
  const arista = flavor === 'arista_eos';
  if (flavor === 'linux') return [`-bash: ${tokens[0]}: command not found`];
  if (match.error === 'ambiguous') return [`% Ambiguous command:  "${line.trim()}"`];
  if (flavor === 'cisco_nxos' && match.error === 'invalid') return [' '.repeat(promptLength + tokenColumn(line, match.at)) + '^', "% Invalid command at '^' marker.", ''];
  if (match.error === 'incomplete') return arista ? ['% Incomplete command'] : ['% Incomplete command.', ''];
  const at = 'at' in match ? match.at : 0;
  if (arista) return [`% Invalid input (at token ${at}: '${tokens[at]}')`];
  const caret = ' '.repeat(promptLength + tokenColumn(line, at)) + '^';
  return [caret, "% Invalid input detected at '^' marker.", ''];
}

/** How a vendor's ping to a silent target starts: IOS prints a dot per lost packet, Linux (and EOS, whose ping is Linux's) nothing. */
export function pingStart(flavor: Flavor, target: string, repeat: number): string[] {
  if (flavor === 'cisco_ios') {
    return ['Type escape sequence to abort.', `Sending ${repeat}, 100-byte ICMP Echos to ${target}, timeout is 2 seconds:`];
  }
  return [`PING ${target} (${target}) ${flavor === 'arista_eos' ? '72(100)' : '56(84)'} bytes of data.`];
}

/** The summary after `sent` lost packets, when the ping ends or is interrupted. */
export function pingSummary(flavor: Flavor, target: string, sent: number): string[] {
  if (flavor === 'cisco_ios') return ['', `Success rate is 0 percent (0/${sent})`];
  return ['', `--- ${target} ping statistics ---`, `${sent} packets transmitted, 0 received, 100% packet loss, time ${sent * 1000}ms`, ''];
}

/** What a save answers on the Cisco-shaped flavors (IOS and XE build, NX-OS copies with a progress bar, EOS copies). */
export function saveDone(flavor: Flavor): string[] {
  if (flavor === 'cisco_nxos') return ['[########################################] 100%', 'Copy complete.'];
  if (flavor === 'arista_eos') return ['Copy completed successfully.'];
  return ['Building configuration...', '[OK]'];
}
