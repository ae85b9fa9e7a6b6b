/**
 * SshDriver config mode against the fake cisco_ios device on 127.0.0.1: lines applied,
 * rejected lines, stops and timeouts all end back at the privileged prompt.
 */
import { Logger } from '@nestjs/common';
import { argsFor, FakeDevice, outputs, rejectionOf, startFakeDevice } from '../../../../test/support/fake-device';
import { DeviceSession } from '../device-driver';
import { SshDriver } from './ssh.driver';

Logger.overrideLogger(['error', 'warn']);

const OPTS = { readTimeoutMs: 5000 };

describe('SshDriver configure() on a cisco_ios device', () => {
  const driver = new SshDriver();
  let device: FakeDevice;
  let session: DeviceSession;

  /** `show clock` is an exec command: it only works once the session is out of config mode. */
  const expectPrivilegedPrompt = async () => {
    expect(await session.run('show clock', OPTS)).toBe(outputs.showClock()[0]);
  };

  beforeAll(async () => {
    device = await startFakeDevice({ flavor: 'cisco_ios' });
    session = await driver.connect(argsFor(device));
  });
  afterAll(async () => {
    await session?.close();
    await device?.stop();
  });
  beforeEach(() => device.resetRecord());

  test('applies the lines and returns to the privileged prompt', async () => {
    const lines = ['interface GigabitEthernet1/0/1', 'description uplink to core', 'no shutdown'];
    const out = await session.configure(lines, OPTS);
    expect(device.record.configLines).toEqual(lines);
    expect(device.record.commands).toEqual(['configure terminal', ...lines, 'end']);
    expect(out.transcript.split('\n')).toEqual([
      'Router#configure terminal',
      'Enter configuration commands, one per line.  End with CNTL/Z.',
      'Router(config)#interface GigabitEthernet1/0/1',
      'Router(config-if)#description uplink to core',
      'Router(config-if)#no shutdown',
      'Router(config-if)#end',
    ]);
    await expectPrivilegedPrompt();
    expect(await session.run('show running-config', OPTS)).toContain('description uplink to core');
  });

  test('a rejected line leaves config mode with `end` and names the line', async () => {
    const err = await rejectionOf(session.configure(['interface Vlan10', 'frobnicate the widget', 'no shutdown'], OPTS));
    expect(err.type).toBe('CommandRejectedError');
    expect(err.message).toContain('"frobnicate the widget"');
    expect(err.message).toContain("% Invalid input detected at '^' marker.");
    expect(device.record.commands).toEqual(['configure terminal', 'interface Vlan10', 'frobnicate the widget', 'end']);
    expect(device.record.configLines).toEqual(['interface Vlan10']);
    await expectPrivilegedPrompt();
  });

  test('an incomplete line is rejected too', async () => {
    const err = await rejectionOf(session.configure(['interface'], OPTS));
    expect(err.type).toBe('CommandRejectedError');
    expect(err.message).toContain('% Incomplete command.');
    expect(device.record.commands.at(-1)).toBe('end');
  });

  test('a secret inside a rejected line does not reach the error', async () => {
    const err = await rejectionOf(session.configure([`frobnicate ${device.options.password}`], OPTS));
    expect(err.message).not.toContain(device.options.password);
    expect(err.partialOutput).not.toContain(device.options.password);
    expect(err.message).toContain('frobnicate ********');
  });

  test('aborting mid-line interrupts, leaves config mode, then rejects with StoppedError', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const err = await rejectionOf(
      session.configure(['interface GigabitEthernet1/0/2', 'do show hang', 'shutdown'], { ...OPTS, signal: controller.signal }),
    );
    expect(err.type).toBe('StoppedError');
    expect(err.partialOutput).toBe(outputs.HANG_START);
    expect(device.record).toMatchObject({ escapes: 1, ctrlC: 0 });
    expect(device.record.commands).toEqual(['configure terminal', 'interface GigabitEthernet1/0/2', 'do show hang', 'end']);
    await expectPrivilegedPrompt();
  });

  test('a line that times out interrupts and leaves config mode', async () => {
    const err = await rejectionOf(session.configure(['do show hang'], { readTimeoutMs: 300 }));
    expect(err.type).toBe('CommandTimeoutError');
    expect(device.record.commands).toEqual(['configure terminal', 'do show hang', 'end']);
    await expectPrivilegedPrompt();
  });

  test('no lines still enters and leaves config mode cleanly', async () => {
    await session.configure([], OPTS);
    expect(device.record.commands).toEqual(['configure terminal', 'end']);
    await expectPrivilegedPrompt();
  });
});
