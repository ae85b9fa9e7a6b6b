/**
 * The fake device's newer flavors against netmiko (Debian's python3-netmiko) as a client, the way netmiko-crosscheck
 * checks IOS and EOS: netmiko logs in, turns paging off its own way, pushes config (committing where the vendor
 * commits), saves where netmiko can, and reads a long output whole. Skipped (with a warning) where python3-netmiko is
 * missing; under CI=true that fails instead.
 */
import { spawn } from 'child_process';
import { SYSTEM_PYTHON, pythonRequirement } from '../python-oracle';
import { testRequiring } from '../requirements';
import { FakeDevice, Flavor, startFakeDevice } from './index';

const netmiko = pythonRequirement(['netmiko'], ['python3-netmiko']);

const SCRIPT = `
import json, os, sys
from netmiko import ConnectHandler
env = os.environ
kind = env['FD_TYPE']
conn = ConnectHandler(device_type=kind, host='127.0.0.1', port=int(env['FD_PORT']), username='admin',
                      password=env['FD_PASSWORD'], secret=env['FD_SECRET'], timeout=20)
if kind == 'cisco_xe':
    conn.enable()
report = {'prompt': conn.find_prompt()}
lines = json.loads(env['FD_CONFIG'])
if kind in ('cisco_xr', 'juniper_junos'):
    report['config'] = conn.send_config_set(lines, exit_config_mode=False)
    report['commit'] = conn.commit()
    conn.exit_config_mode()
else:
    report['config'] = conn.send_config_set(lines)
if kind == 'huawei':
    report['save'] = conn.save_config(confirm=True, confirm_response='y')
elif kind in ('cisco_xe', 'cisco_nxos', 'hp_comware'):
    report['save'] = conn.save_config()
report['show'] = conn.send_command(env['FD_SHOW'])
conn.disconnect()
print(json.dumps(report))
`;

interface Report {
  prompt: string;
  config: string;
  commit?: string;
  save?: string;
  show: string;
}

function netmikoAgainst(device: FakeDevice, show: string, config: string[]): Promise<Report> {
  return new Promise((resolve, reject) => {
    const env = { FD_TYPE: device.options.flavor, FD_PORT: String(device.port), FD_PASSWORD: device.options.password, FD_SECRET: device.options.secret, FD_CONFIG: JSON.stringify(config), FD_SHOW: show };
    const child = spawn(SYSTEM_PYTHON, ['-c', SCRIPT], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`netmiko exited with ${code}:\n${stderr.slice(-2000)}`));
      resolve(JSON.parse(stdout.trim().split('\n').pop()!) as Report);
    });
  });
}

interface Case {
  flavor: Flavor;
  prompt: string;
  config: string[];
  /** a command whose output is longer than a page, showing the applied config */
  show: string;
  saved: boolean;
  /** what netmiko types to turn paging off, in order */
  paging: string[];
}

const CASES: Case[] = [
  { flavor: 'cisco_xe', prompt: 'Router#', config: ['interface GigabitEthernet1/0/3', 'description by-netmiko'], show: 'show running-config', saved: true, paging: ['terminal length 0'] },
  { flavor: 'cisco_nxos', prompt: 'Router#', config: ['interface Ethernet3', 'description by-netmiko'], show: 'show running-config', saved: true, paging: ['terminal length 0'] },
  { flavor: 'cisco_xr', prompt: 'RP/0/RP0/CPU0:Router#', config: ['interface GigabitEthernet0/0/0/3', 'description by-netmiko'], show: 'show running-config', saved: false, paging: ['terminal length 0'] },
  { flavor: 'juniper_junos', prompt: 'admin@Router>', config: ['set interfaces ge-0/0/3 description by-netmiko'], show: 'show configuration | display set', saved: false, paging: ['set cli screen-length 0'] },
  { flavor: 'huawei', prompt: '<Router>', config: ['interface GigabitEthernet0/0/3', 'description by-netmiko'], show: 'display current-configuration', saved: true, paging: ['screen-length 0 temporary'] },
  { flavor: 'hp_comware', prompt: '<Router>', config: ['interface GigabitEthernet1/0/3', 'description by-netmiko'], show: 'display current-configuration', saved: true, paging: ['screen-length disable'] },
  {
    flavor: 'fortinet',
    prompt: 'Router #',
    config: ['config system interface', 'edit port3', 'set description by-netmiko', 'next', 'end'],
    show: 'show full-configuration',
    saved: true,
    paging: ['get system status | grep Virtual', 'get system console', 'config system console', 'set output standard', 'end'],
  },
];

describe.each(CASES)('fake device vs netmiko ($flavor)', (c) => {
  let device: FakeDevice;

  beforeAll(async () => {
    device = await startFakeDevice({ flavor: c.flavor });
  });
  afterAll(() => device?.stop());

  testRequiring(
    netmiko,
    'netmiko logs in, turns paging off, configures (commits), saves, and reads a long output whole',
    async () => {
      const report = await netmikoAgainst(device, c.show, c.config);
      expect(report.prompt).toBe(c.prompt);
      expect(device.record.configLines).toEqual(c.config);
      if (c.saved) expect(device.record.startupConfig).toEqual(c.config);
      expect(report.show).not.toContain('--More--');
      expect(report.show).toContain('by-netmiko');
      // longer than a page: paging was off, or netmiko would have stopped at the first --More--
      expect(report.show.split('\n').length).toBeGreaterThan(device.options.pageLength * 2);
      // paging off first, before anything else
      expect(device.record.commands.slice(0, c.paging.length)).toEqual(c.paging);
      // FortiOS: netmiko restored the global console setting it changed
      if (c.flavor === 'fortinet') expect(device.options.consoleOutput).toBe('more');
    },
    90_000,
  );
});
