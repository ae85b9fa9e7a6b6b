/**
 * Cross-check of the fake device against netmiko, the Python library field engineers use:
 * if netmiko can log in, enable, configure and read `show version` from it, the fake CLI
 * is faithful enough that the driver's tests against it mean something.
 * Skipped (with a warning) where python3-netmiko is not installed; under CI=true that fails instead.
 */
import { spawn, spawnSync } from 'child_process';
import { testRequiring } from '../requirements';
import { FakeDevice, outputs, startFakeDevice } from './index';

/** The first interpreter that can import netmiko (a pyenv python3 may shadow Debian's). */
function findNetmikoPython(): string | undefined {
  for (const python of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(python, ['-c', 'import netmiko'], { stdio: 'ignore', timeout: 20_000 });
    if (probe.status === 0) return python;
  }
  return undefined;
}

const python = findNetmikoPython();
const netmiko = { present: python !== undefined, missing: 'netmiko: apt-get install -y python3-netmiko' };

const SCRIPT = `
import json, os
from netmiko import ConnectHandler
conn = ConnectHandler(device_type='cisco_ios', host='127.0.0.1', port=int(os.environ['FD_PORT']),
                      username=os.environ['FD_USER'], password=os.environ['FD_PASSWORD'],
                      secret=os.environ['FD_SECRET'], timeout=20)
conn.enable()
enabled_prompt = conn.find_prompt()
config = conn.send_config_set(['interface GigabitEthernet1/0/3', 'description set by netmiko'])
in_config_after = conn.check_config_mode()
version = conn.send_command('show version')
conn.disconnect()
print(json.dumps({'prompt': enabled_prompt, 'config': config, 'in_config_after': in_config_after, 'version': version}))
`;

function runPython(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(python!, ['-c', SCRIPT], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('fake device vs netmiko (cisco_ios)', () => {
  let device: FakeDevice;

  beforeAll(async () => {
    device = await startFakeDevice({ flavor: 'cisco_ios' });
  });
  afterAll(() => device?.stop());

  testRequiring(
    netmiko,
    'netmiko logs in, enables, configures and reads show version',
    async () => {
      const result = await runPython({
        FD_PORT: String(device.port),
        FD_USER: device.options.username,
        FD_PASSWORD: device.options.password,
        FD_SECRET: device.options.secret,
      });
      expect({ code: result.code, stderr: result.stderr.slice(-2000) }).toEqual({ code: 0, stderr: expect.any(String) });
      const report = JSON.parse(result.stdout.trim().split('\n').pop()!);
      expect(report.prompt).toBe('Router#');
      expect(report.version).toContain(outputs.IOS_VERSION_LINE);
      expect(report.version).not.toContain('--More--');
      expect(report.in_config_after).toBe(false);
      expect(report.config).toContain('Router(config-if)#');
      expect(device.record.configLines).toEqual(['interface GigabitEthernet1/0/3', 'description set by netmiko']);
      // netmiko abbreviates "configure terminal": the fake device's prefix matching must cope
      expect(device.record.commands).toEqual([
        'terminal length 0',
        'terminal width 511',
        'enable',
        'config term',
        'interface GigabitEthernet1/0/3',
        'description set by netmiko',
        'end',
        'show version',
        'exit',
      ]);
    },
    90_000,
  );
});
