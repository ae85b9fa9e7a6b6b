/**
 * CliTableIndex on our own ntc-style index (test/fixtures/ntc-index) against Python's clitable: template
 * lookup (completion, regex columns, first match wins, dropped rows), several templates merged by Key or by
 * position, and ntc's parse_output keys.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeWithPython } from '../../../test/support/python-oracle';
import { pythonCliTable, textfsmFixturesDir } from '../../../test/fixtures/textfsm/oracle';
import { CliTableError, CliTableIndex } from './cli-table';

const DIR = join(textfsmFixturesDir(), '..', 'ntc-index');

function output(name: string): string {
  const file = join(DIR, 'outputs', `${name}.txt`);
  return existsSync(file) ? readFileSync(file, 'utf8') : 'nothing to see\n';
}

/** [platform, command, output file] for parse_output. */
const LOOKUPS: [string, string, string][] = [
  ['cisco_ios', 'show version', 'cisco_ios_show_version'],
  ['cisco_ios', 'sh ver', 'cisco_ios_show_version'],
  ['cisco_ios', 'sho versio', 'cisco_ios_show_version'],
  ['cisco_ios', 'show version | include uptime', 'cisco_ios_show_version'],
  ['cisco_xe', 'show ip int brief', 'cisco_ios_show_ip_int_brief'],
  ['cisco_ios', 'sh ip interface br', 'cisco_ios_show_ip_int_brief'],
  ['cisco_ios', 'show interfaces', 'cisco_ios_show_interfaces'],
  ['cisco_ios', 'sh int', 'cisco_ios_show_interfaces'],
  ['cisco_nxos', 'show vlan', 'cisco_nxos_show_vlan'],
  ['cisco_nxos', 'sh vl br', 'cisco_nxos_show_vlan'],
  ['arista_eos', 'show lldp neighbors', 'arista_eos_show_lldp_neighbors'],
  ['juniper_junos', 'show interfaces terse', 'juniper_junos_show_interfaces_terse'],
  ['huawei_vrp', 'display version', 'huawei_display_version'],
  ['huawei_vrp', 'dis ver', 'huawei_display_version'],
  ['linux', 'ip -br addr', 'linux_ip_br_addr'],
  ['linux', 'ip -b a', 'linux_ip_br_addr'],
  ['linux', 'df', 'linux_df'],
  ['linux', 'df -h', 'linux_df'],
  ['linux', 'uptime', 'none'],
  ['cisco_ios', 'show clock', 'none'],
  ['CISCO_IOS', 'show version', 'cisco_ios_show_version'],
];

/** [attributes, output file] for ParseCmd's header and rows. */
const PARSE_CMDS: [Record<string, string>, string][] = [
  [{ Hostname: 'core-1', Platform: 'huawei_ce', Command: 'display version' }, 'huawei_display_version'],
  [{ Hostname: 'edge-1', Platform: 'huawei_ce', Command: 'display version' }, 'huawei_display_version'],
  [{ Hostname: 'edge-1', Platform: 'huawei_vrp', Command: 'display version' }, 'huawei_display_version'],
  [{ Vendor: 'cisco', Platform: 'cisco_ios', Command: 'show interfaces' }, 'cisco_ios_show_interfaces'],
  [{ Platform: 'arista_eos', Command: 'sh lldp nei' }, 'arista_eos_show_lldp_neighbors'],
];

function ours(run: () => unknown): unknown {
  try {
    return run();
  } catch (err) {
    if (err instanceof CliTableError) return { message: err.message };
    throw err;
  }
}

describe('CliTableIndex', () => {
  const index = CliTableIndex.load(DIR);

  test('finds templates by platform and abbreviated command, first row first', () => {
    expect(index.templatesFor({ Platform: 'cisco_ios', Command: 'sh int' })).toEqual([
      'cisco_ios_show_interfaces.textfsm',
      'cisco_ios_show_interfaces_counters.textfsm',
    ]);
    expect(index.templatesFor({ Platform: 'cisco_xe', Command: 'show ip int br' })).toEqual(['cisco_ios_show_ip_int_brief.textfsm']);
    expect(index.templatesFor({ Platform: 'linux', Command: 'uptime' })).toBeNull();
  });

  test('says plainly when the index is missing or has no Template column', () => {
    expect(() => CliTableIndex.load(join(DIR, 'outputs'))).toThrow(CliTableError);
    expect(() => CliTableIndex.load(DIR, 'cisco_ios_show_version.textfsm')).toThrow(/Template/);
  });

  test('compiles each template once', () => {
    expect(index.template('linux_df.textfsm')).toBe(index.template('linux_df.textfsm'));
  });
});

describeWithPython(['textfsm'], ['python3-textfsm'], 'CliTableIndex against Python clitable', () => {
  const index = CliTableIndex.load(DIR);

  test('parse_output gives the same records (or the same error) for every lookup', async () => {
    const python = await pythonCliTable(LOOKUPS.map(([platform, command, file]) => ({ dir: DIR, platform, command, text: output(file) })));
    const mine = LOOKUPS.map(([platform, command, file]) =>
      ours(() => ({ rows: index.parseOutput(platform, command, output(file)) })),
    );
    const theirs = python.map((p) => ('error' in (p as object) ? { message: (p as { message: string }).message } : p));
    const differing = LOOKUPS.filter((_, i) => JSON.stringify(mine[i]) !== JSON.stringify(theirs[i])).map(([p, c]) => `${p} / ${c}`);
    expect(differing).toEqual([]);
    expect(mine).toEqual(theirs);
  });

  test('ParseCmd gives the same header and rows, Hostname and unknown columns as clitable treats them', async () => {
    const python = await pythonCliTable(PARSE_CMDS.map(([attrs, file]) => ({ dir: DIR, attrs, text: output(file), mode: 'parsecmd' as const })));
    const mine = PARSE_CMDS.map(([attrs, file]) => ours(() => index.parse(output(file), attrs)));
    const theirs = python.map((p) => ('error' in (p as object) ? { message: (p as { message: string }).message } : p));
    expect(mine).toEqual(theirs);
  });
});
