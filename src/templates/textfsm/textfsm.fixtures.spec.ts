/**
 * Hand-written templates for six platforms (test/fixtures/textfsm/<platform>/) and the fake device's own
 * outputs, parsed by our engine and by Python's textfsm: the answers must be identical.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeWithPython } from '../../../test/support/python-oracle';
import { FsmCase, ourTextFsm, pythonTextFsm, textfsmFixturesDir } from '../../../test/fixtures/textfsm/oracle';
import { showClock, showIpInterfaceBrief, showRunningConfig, showVersion } from '../../../test/support/fake-device/outputs';

const PLATFORMS = ['cisco_ios', 'cisco_nxos', 'arista_eos', 'juniper_junos', 'huawei', 'linux'];

interface NamedCase extends FsmCase {
  name: string;
}

function fixtureCases(): NamedCase[] {
  const root = textfsmFixturesDir();
  const cases: NamedCase[] = [];
  for (const platform of PLATFORMS) {
    for (const file of readdirSync(join(root, platform)).filter((f) => f.endsWith('.textfsm')).sort()) {
      const base = join(root, platform, file.replace(/\.textfsm$/, ''));
      const template = readFileSync(`${base}.textfsm`, 'utf8');
      const text = readFileSync(`${base}.txt`, 'utf8');
      cases.push({ name: `${platform}/${file}`, template, text });
      // The same output as a device sends it over SSH, and cut short of its last newline.
      cases.push({ name: `${platform}/${file} (CRLF)`, template, text: text.replace(/\n/g, '\r\n') });
      cases.push({ name: `${platform}/${file} (no final newline)`, template, text: text.replace(/\n+$/, '') });
    }
  }
  return cases;
}

function fakeDeviceCases(): NamedCase[] {
  const root = textfsmFixturesDir();
  const tpl = (p: string) => readFileSync(join(root, p), 'utf8');
  const text = (lines: string[]) => lines.join('\r\n') + '\r\n';
  return [
    { name: 'fake ios show version', template: tpl('cisco_ios/show_version.textfsm'), text: text(showVersion('cisco_ios', 'r1')) },
    { name: 'fake ios ip int brief', template: tpl('cisco_ios/show_ip_interface_brief.textfsm'), text: text(showIpInterfaceBrief('cisco_ios', 12)) },
    {
      name: 'fake ios running-config',
      template: tpl('cisco_ios/show_running_config_interfaces.textfsm'),
      text: text(showRunningConfig('cisco_ios', 'r1', 6, ['ip route 0.0.0.0 0.0.0.0 10.0.0.1'])),
    },
    { name: 'fake ios clock', template: tpl('cisco_ios/show_clock.textfsm'), text: text(showClock()) },
    { name: 'fake eos show version', template: tpl('arista_eos/show_version.textfsm'), text: text(showVersion('arista_eos', 'sw1')) },
    { name: 'fake eos ip int brief', template: tpl('arista_eos/show_ip_interface_brief.textfsm'), text: text(showIpInterfaceBrief('arista_eos', 7)) },
  ];
}

describeWithPython(['textfsm'], ['python3-textfsm'], 'TextFSM against Python textfsm: hand-written templates', () => {
  const cases = [...fixtureCases(), ...fakeDeviceCases()];
  let python: Awaited<ReturnType<typeof pythonTextFsm>>;

  beforeAll(async () => {
    python = await pythonTextFsm(cases);
  });

  test('every fixture gives the same rows as Python', () => {
    const mismatches = cases
      .map((c, i) => ({ name: c.name, ours: ourTextFsm(c), python: python[i] }))
      .filter((r) => JSON.stringify(r.ours) !== JSON.stringify(r.python) && !isDeepStrictEqualLoose(r.ours, r.python));
    expect(mismatches.slice(0, 3)).toEqual([]);
  });

  test('the fixtures are meaningful: each parses to rows in Python', () => {
    const empty = cases.filter((_, i) => !('rows' in python[i]) || (python[i] as { rows: unknown[] }).rows.length === 0).map((c) => c.name);
    expect(empty).toEqual([]);
  });
});

/** Key order differs between a JSON object from Python and ours only if a header repeats case; compare as values. */
function isDeepStrictEqualLoose(a: unknown, b: unknown): boolean {
  try {
    expect(a).toEqual(b);
    return true;
  } catch {
    return false;
  }
}
