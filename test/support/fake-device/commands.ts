/** The fake device's command tables: what each mode understands. */
import { CommandSpec } from './command-table';

export type ExecId =
  | 'version' | 'clock' | 'ipbrief' | 'running' | 'slow' | 'hang' | 'drop' | 'big' | 'ticks'
  | 'length' | 'silent' | 'write' | 'enable' | 'disable' | 'configure' | 'exit'
  | 'echo' | 'whoami' | 'uname' | 'ping' | 'copy' | 'session';

const TEST_COMMANDS: CommandSpec<ExecId>[] = [
  { words: ['show', 'slow'], id: 'slow' },
  { words: ['show', 'hang'], id: 'hang' },
  { words: ['show', 'drop'], id: 'drop' },
  { words: ['show', 'big', '<n>'], id: 'big' },
  // n lines, one every ms milliseconds, each stamped with the wall clock when it was written (bench:events)
  { words: ['show', 'ticks', '<n>', '<n>'], id: 'ticks' },
  // no packet leaves: the fake only prints what each vendor's ping prints for a target that never answers
  { words: ['ping', '<rest>'], id: 'ping' },
];

export const EXEC_TABLE: CommandSpec<ExecId>[] = [
  { words: ['show', 'version'], id: 'version' },
  { words: ['show', 'clock'], id: 'clock' },
  { words: ['show', 'ip', 'interface', 'brief'], id: 'ipbrief' },
  { words: ['show', 'running-config'], id: 'running', priv: true },
  ...TEST_COMMANDS,
  // terminal settings netmiko and the driver send at login: accepted silently
  { words: ['terminal', 'length', '<n>'], id: 'length' },
  { words: ['terminal', 'width', '<n>'], id: 'silent' },
  { words: ['terminal', 'no', 'monitor'], id: 'silent' },
  { words: ['terminal', 'monitor'], id: 'silent' },
  { words: ['enable'], id: 'enable' },
  { words: ['disable'], id: 'disable', priv: true },
  // EOS accepts a bare `configure`; IOS would ask where from, close enough to accept it too
  { words: ['configure'], id: 'configure', priv: true },
  { words: ['configure', 'terminal'], id: 'configure', priv: true },
  { words: ['write', 'memory'], id: 'write', priv: true },
  { words: ['copy', 'running-config', 'startup-config'], id: 'copy', priv: true },
  { words: ['configure', 'session', '<word>'], id: 'session', priv: true },
  { words: ['exit'], id: 'exit' },
  { words: ['logout'], id: 'exit' },
];

export const LINUX_TABLE: CommandSpec<ExecId>[] = [
  ...TEST_COMMANDS,
  { words: ['echo', '<rest>'], id: 'echo' },
  { words: ['whoami'], id: 'whoami' },
  { words: ['uname', '-a'], id: 'uname' },
  { words: ['exit'], id: 'exit' },
];

export type ConfigId = 'end' | 'exit' | 'do' | 'interface' | 'hostname' | 'accept' | 'commit' | 'abort' | 'show' | `config-${string}`;

/** Global and interface config keywords taking arguments; anything else is invalid input. */
const CONFIG_KEYWORDS = [
  'description', 'ip', 'ipv6', 'no', 'logging', 'ntp', 'snmp-server', 'username', 'service',
  'switchport', 'spanning-tree', 'banner', 'access-list', 'mtu', 'speed', 'duplex', 'channel-group',
  'aaa', 'clock', 'network', 'password', 'transport', 'name', 'enable', 'lldp', 'cdp', 'vrf',
  'standby', 'neighbor', 'exec-timeout', 'login',
];

export const CONFIG_TABLE: CommandSpec<ConfigId>[] = [
  { words: ['end'], id: 'end' },
  { words: ['exit'], id: 'exit' },
  { words: ['do', '<rest>'], id: 'do' },
  { words: ['commit'], id: 'commit' },
  { words: ['abort'], id: 'abort' },
  { words: ['show', 'commit', 'changes', 'diff'], id: 'show' },
  { words: ['show', 'session-config', 'diffs'], id: 'show' },
  { words: ['interface', '<rest>'], id: 'interface' },
  { words: ['hostname', '<word>'], id: 'hostname' },
  { words: ['router', '<rest>'], id: 'config-router' },
  { words: ['line', '<rest>'], id: 'config-line' },
  { words: ['vlan', '<rest>'], id: 'config-vlan' },
  { words: ['shutdown'], id: 'accept' },
  { words: ['login'], id: 'accept' },
  ...CONFIG_KEYWORDS.map((w): CommandSpec<ConfigId> => ({ words: [w, '<rest>'], id: 'accept' })),
];
