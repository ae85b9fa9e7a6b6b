/**
 * Interrupting a running command the way each device type needs it, against every flavor of the fake device:
 * a ping to a target that never answers, stopped (the job's forced stop) and timed out. Cisco IOS's ping hears
 * only the escape sequence Ctrl-^ (the fake IOS, like the real one, drops Ctrl-C there); EOS and Linux stop on
 * Ctrl-C. The real shell's Ctrl-C is tested against OpenSSH in test/openssh-driver.e2e-spec.ts.
 */
import { Logger } from '@nestjs/common';
import { argsFor, FakeDevice, Flavor, outputs, rejectionOf, startFakeDevice, until } from '../../../../test/support/fake-device';
import { DeviceSession } from '../device-driver';
import { SshDriver } from './ssh.driver';

Logger.overrideLogger(['error', 'warn']);

const TARGET = '192.0.2.1';

interface Case {
  flavor: Flavor;
  ping: string;
  /** the record counter of the key this device type must get, and of the one it must not need */
  key: 'escapes' | 'ctrlC';
  notKey: 'escapes' | 'ctrlC';
  /** a quick command to show the session still answers */
  next: [string, string];
}

const CASES: Case[] = [
  { flavor: 'cisco_ios', ping: `ping ${TARGET} repeat 100000`, key: 'escapes', notKey: 'ctrlC', next: ['show clock', outputs.showClock()[0]] },
  { flavor: 'arista_eos', ping: `ping ${TARGET} repeat 100000`, key: 'ctrlC', notKey: 'escapes', next: ['show clock', outputs.showClock()[0]] },
  { flavor: 'linux', ping: `ping ${TARGET}`, key: 'ctrlC', notKey: 'escapes', next: ['echo after', 'after'] },
];

/** Resync gives each interrupt key 2 s: stopping faster than this means the first key did it. */
const FIRST_KEY_MS = 1500;

describe.each(CASES)('interrupting a ping on $flavor', ({ flavor, ping, key, notKey, next }) => {
  const driver = new SshDriver();
  let device: FakeDevice;
  let session: DeviceSession;

  beforeAll(async () => {
    device = await startFakeDevice({ flavor, hostname: flavor === 'linux' ? 'jump01' : 'Router' });
    session = await driver.connect(argsFor(device));
  });
  afterAll(async () => {
    await session?.close();
    await device?.stop();
  });
  beforeEach(() => device.resetRecord());

  test('a forced stop ends it with the first interrupt key; the session goes on', async () => {
    const controller = new AbortController();
    const running = rejectionOf(session.run(ping, { readTimeoutMs: 60_000, signal: controller.signal }));
    await until(() => device.record.commands.includes(ping), 10_000);
    const stoppedAt = Date.now();
    controller.abort();
    const err = await running;
    expect(err.type).toBe('StoppedError');
    expect(Date.now() - stoppedAt).toBeLessThan(FIRST_KEY_MS);
    expect(device.record[key]).toBe(1);
    expect(device.record[notKey]).toBe(0);
    expect(session.alive).toBe(true);
    expect(await session.run(next[0], { readTimeoutMs: 5000 })).toBe(next[1]);
  });

  test('a timed-out ping keeps its output so far and the session goes on', async () => {
    const err = await rejectionOf(session.run(ping, { readTimeoutMs: 500 }));
    expect(err.type).toBe('CommandTimeoutError');
    expect(err.message).not.toContain('session closed');
    expect(err.partialOutput!.startsWith(outputs.pingStart(flavor, TARGET, 100000).join('\n'))).toBe(true);
    expect(device.record[key]).toBe(1);
    expect(device.record[notKey]).toBe(0);
    expect(session.alive).toBe(true);
    expect(await session.run(next[0], { readTimeoutMs: 5000 })).toBe(next[1]);
  });

  test('a ping that ends by itself needs no interrupt', async () => {
    const out = await session.run(`ping ${TARGET} repeat 3`, { readTimeoutMs: 5000 });
    expect(out).toContain(outputs.pingSummary(flavor, TARGET, 3)[1]);
    expect(device.record).toMatchObject({ ctrlC: 0, escapes: 0 });
  });
});
