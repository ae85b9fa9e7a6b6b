/**
 * Cross-check of the fake device against netmiko, the Python library field engineers use (Debian's
 * python3-netmiko): if netmiko can log in to every fake flavor it has a driver for, turn paging off, enable and
 * configure where the vendor has those, and read a show command and a long output whole, the fake CLI is
 * faithful enough that the driver's tests against it mean something.
 * Skipped (with a warning) where python3-netmiko is not installed; under CI=true that fails instead.
 */
import { spawn } from 'child_process';
import { SYSTEM_PYTHON, pythonRequirement } from '../python-oracle';
import { testRequiring } from '../requirements';
import { FakeDevice, Flavor, outputs, startFakeDevice } from './index';

const PYTHON = SYSTEM_PYTHON;
const netmiko = pythonRequirement(['netmiko'], ['python3-netmiko']);

/** Every step netmiko offers for the device type; enable and config only where FD_PRIVILEGED is set. */
const SCRIPT = `
import json, os
from netmiko import ConnectHandler
env = os.environ
conn = ConnectHandler(device_type=env['FD_TYPE'], host='127.0.0.1', port=int(env['FD_PORT']),
                      username=env['FD_USER'], password=env['FD_PASSWORD'], secret=env['FD_SECRET'], timeout=20)
report = {'login_prompt': conn.find_prompt()}
if env['FD_PRIVILEGED'] == '1':
    conn.enable()
    report['enabled_prompt'] = conn.find_prompt()
    report['config'] = conn.send_config_set(env['FD_CONFIG'].split('|'))
    report['in_config_after'] = conn.check_config_mode()
report['show'] = conn.send_command(env['FD_SHOW'])
report['big'] = conn.send_command('show big 200')
conn.disconnect()
print(json.dumps(report))
`;

interface Report {
  login_prompt: string;
  enabled_prompt?: string;
  config?: string;
  in_config_after?: boolean;
  show: string;
  big: string;
}

function runNetmiko(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, ['-c', SCRIPT], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function netmikoAgainst(device: FakeDevice, show: string, config: string[] = []): Promise<Report> {
  const result = await runNetmiko({
    FD_TYPE: device.options.flavor,
    FD_PORT: String(device.port),
    FD_USER: device.options.username,
    FD_PASSWORD: device.options.password,
    FD_SECRET: device.options.secret,
    FD_PRIVILEGED: config.length ? '1' : '0',
    FD_CONFIG: config.join('|'),
    FD_SHOW: show,
  });
  if (result.code !== 0) throw new Error(`netmiko exited with ${result.code}:\n${result.stderr.slice(-2000)}`);
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as Report;
}

/** What netmiko's long output must be: every line, no pager left in it. */
function expectWhole(big: string): void {
  expect(big).not.toContain('--More--');
  expect(big.split('\n').map((l) => l.trim())).toEqual(outputs.bigOutput(200));
}

describe.each(['cisco_ios', 'arista_eos'] as Flavor[])('fake device vs netmiko (%s)', (flavor) => {
  let device: FakeDevice;
  const iface = flavor === 'arista_eos' ? 'Ethernet3' : 'GigabitEthernet1/0/3';
  const versionLine = flavor === 'arista_eos' ? outputs.EOS_VERSION_LINE : outputs.IOS_VERSION_LINE;

  beforeAll(async () => {
    device = await startFakeDevice({ flavor });
  });
  afterAll(() => device?.stop());

  testRequiring(
    netmiko,
    'netmiko logs in, turns paging off, enables, configures, and reads show version and a long output whole',
    async () => {
      const report = await netmikoAgainst(device, 'show version', [`interface ${iface}`, 'description set by netmiko']);
      expect(report.login_prompt).toBe('Router>');
      expect(report.enabled_prompt).toBe('Router#');
      expect(report.show).toContain(versionLine);
      expect(report.show).not.toContain('--More--');
      expectWhole(report.big);
      expect(report.in_config_after).toBe(false);
      expect(report.config).toContain(flavor === 'arista_eos' ? 'Router(config-if-Et3)#' : 'Router(config-if)#');
      expect(device.record.configLines).toEqual([`interface ${iface}`, 'description set by netmiko']);
      // paging off first; netmiko abbreviates "configure terminal": the fake device's prefix matching must cope
      expect(device.record.commands).toEqual([
        'terminal length 0',
        'terminal width 511',
        'enable',
        'config term',
        `interface ${iface}`,
        'description set by netmiko',
        'end',
        'show version',
        'show big 200',
        'exit',
      ]);
    },
    90_000,
  );
});

describe('fake device vs netmiko (linux)', () => {
  let device: FakeDevice;

  beforeAll(async () => {
    device = await startFakeDevice({ flavor: 'linux', hostname: 'jump01', username: 'ops' });
  });
  afterAll(() => device?.stop());

  // netmiko's linux driver has no paging to turn off, and its enable/config mode is `sudo su`: a shell login, a
  // command and a long output are what it does with a Linux host
  testRequiring(
    netmiko,
    'netmiko logs in at the shell prompt and reads uname -a and a long output whole',
    async () => {
      const report = await netmikoAgainst(device, 'uname -a');
      expect(report.login_prompt).toBe('ops@jump01:~$');
      expect(report.show).toBe('Linux jump01 6.1.0-18-amd64 #1 SMP Debian 6.1.76-1 x86_64 GNU/Linux');
      expectWhole(report.big);
      expect(device.record.commands).toEqual(['uname -a', 'show big 200', 'exit']);
    },
    90_000,
  );
});
