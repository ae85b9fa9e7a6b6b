/**
 * ConfigPush on every device type with a config mode, against the fake device speaking that type over SSH: the save
 * dialogue answered, a rejected line in the middle (the rest skipped, config mode left), the dry run's diff with
 * the running config untouched.
 */
import { Logger } from '@nestjs/common';
import { argsFor, FakeDevice, Flavor, startFakeDevice } from '../../../../test/support/fake-device';
import { DeviceSession } from '../device-driver';
import { SshDriver } from './ssh.driver';

Logger.overrideLogger(['error', 'warn']);

const OPTS = { readTimeoutMs: 5000 };

/** Per type: good lines, a bad line, what the prompt is at rest, a command that works only there. */
interface Case {
  flavor: Flavor;
  lines: string[];
  bad: string;
  rest: RegExp;
  exec: string;
  /** what ends up in the running config for `lines` (default: the lines) */
  applied?: string[];
  /** the save's commands (and answers) on the device; undefined: no save command (persistent commit) */
  save?: { commands: string[]; answers: string[] };
}

const CASES: Case[] = [
  { flavor: 'cisco_ios', lines: ['interface GigabitEthernet1/0/1', 'description np'], bad: 'frobnicate x', rest: /^Router#$/, exec: 'show clock', save: { commands: ['write memory'], answers: [] } },
  { flavor: 'cisco_xe', lines: ['interface GigabitEthernet1/0/1', 'description np'], bad: 'frobnicate x', rest: /^Router#$/, exec: 'show clock', save: { commands: ['copy running-config startup-config'], answers: [''] } },
  { flavor: 'cisco_nxos', lines: ['interface Ethernet1', 'description np'], bad: 'frobnicate x', rest: /^Router#$/, exec: 'show clock', save: { commands: ['copy running-config startup-config'], answers: [] } },
  { flavor: 'arista_eos', lines: ['interface Ethernet1', 'description np'], bad: 'frobnicate x', rest: /^Router#$/, exec: 'show clock', save: { commands: ['write memory'], answers: [] } },
  { flavor: 'cisco_xr', lines: ['interface GigabitEthernet0/0/0/1', 'description np'], bad: 'frobnicate x', rest: /^RP\/0\/RP0\/CPU0:Router#$/, exec: 'show clock' },
  { flavor: 'juniper_junos', lines: ['set interfaces ge-0/0/1 description np', 'set system ntp server 10.0.0.1'], bad: 'set interfacez ge-0/0/1 mtu 9000', rest: /^admin@Router>$/, exec: 'show version' },
  { flavor: 'huawei', lines: ['interface GigabitEthernet0/0/1', 'description np'], bad: 'frobnicate x', rest: /^<Router>$/, exec: 'display version', save: { commands: ['save'], answers: ['y'] } },
  { flavor: 'hp_comware', lines: ['interface GigabitEthernet1/0/1', 'description np'], bad: 'frobnicate x', rest: /^<Router>$/, exec: 'display version', save: { commands: ['save'], answers: ['y', '', 'y'] } },
  {
    flavor: 'fortinet',
    lines: ['config system interface', 'edit port1', 'set description np', 'next', 'end'],
    bad: 'set descripton x',
    rest: /^Router #$/,
    exec: 'get system status',
  },
];

describe.each(CASES)('ConfigPush on $flavor', (c) => {
  const driver = new SshDriver();
  let device: FakeDevice;
  let session: DeviceSession;

  beforeAll(async () => {
    device = await startFakeDevice({ flavor: c.flavor });
    session = await driver.connect(argsFor(device));
  });
  afterAll(async () => {
    await session?.close();
    await device?.stop();
  });
  beforeEach(() => device.resetRecord());

  test('applies the lines, saves with the dialogue answered, and is back at rest', async () => {
    const out = await session.configure(c.lines, { ...OPTS, save: true });
    expect(out.lines.map((l) => l.status)).toEqual(c.lines.map(() => 'applied'));
    expect(out.rejected).toBe(0);
    expect(device.record.configLines).toEqual(c.applied ?? c.lines);
    // persistent commits (XR, Junos, FortiOS) need no save; the others' startup config is what was applied
    if (c.save) {
      expect(device.record.startupConfig).toEqual(c.applied ?? c.lines);
      expect(device.record.commands.slice(-c.save.commands.length)).toEqual(c.save.commands);
      expect(device.record.answers).toEqual(c.save.answers);
    }
    expect(await session.run(c.exec, OPTS)).toBeTruthy();
    expect(session.info.prompt).toMatch(c.rest);
  });

  test('a rejected line in the middle: the rest skipped, nothing of the push kept where it can be discarded, back at rest', async () => {
    const lines = [...c.lines.slice(0, 2), c.bad, ...c.lines.slice(2), 'description never-sent'];
    const err = await session.configure(lines, OPTS).then(() => undefined, (e: unknown) => e as { type: string; config?: { lines: { status: string }[] } });
    expect(err?.type).toBe('CommandRejectedError');
    expect(err?.config?.lines.map((l) => l.status)).toEqual([
      'applied', 'applied', 'rejected', ...lines.slice(3).map(() => 'skipped'),
    ]);
    expect(device.record.commands).not.toContain('description never-sent');
    // the next command runs at the exec prompt: config mode was left
    expect(await session.run(c.exec, OPTS)).toBeTruthy();
  });
});

describe.each(CASES.filter((c) => ['juniper_junos', 'arista_eos', 'cisco_xr'].includes(c.flavor)))('dry run on $flavor', (c) => {
  const driver = new SshDriver();
  let device: FakeDevice;
  let session: DeviceSession;

  beforeAll(async () => {
    device = await startFakeDevice({ flavor: c.flavor });
    session = await driver.connect(argsFor(device));
  });
  afterAll(async () => {
    await session?.close();
    await device?.stop();
  });

  test('returns the device\'s diff and leaves the running config unchanged', async () => {
    const out = await session.configure(c.lines, { ...OPTS, dryRun: true });
    expect(out.lines.map((l) => l.status)).toEqual(c.lines.map(() => 'applied'));
    expect(out.diff).toContain('description np');
    expect(device.record.configLines).toEqual([]);
    expect(await session.run(c.exec, OPTS)).toBeTruthy();
  });
});
