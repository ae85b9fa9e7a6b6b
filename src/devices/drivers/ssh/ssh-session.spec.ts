/**
 * SshDriver sessions against the fake device over real SSH on 127.0.0.1 (random ports):
 * outputs, paging, rejected commands, and recovery from slow, hung, aborted, flooding and
 * dropped commands.
 */
import { Logger } from '@nestjs/common';
import { argsFor, FakeDevice, outputs, rejectionOf, startFakeDevice } from '../../../../test/support/fake-device';
import { DeviceSession } from '../device-driver';
import { SshDriver } from './ssh.driver';

Logger.overrideLogger(['error', 'warn']);

const OPTS = { readTimeoutMs: 5000 };

describe('SshDriver session on a cisco_ios device', () => {
  const driver = new SshDriver();
  let device: FakeDevice;
  let session: DeviceSession;
  let loginCommands: string[];

  beforeAll(async () => {
    device = await startFakeDevice({ flavor: 'cisco_ios', slowCommandMs: 600 });
    session = await driver.connect(argsFor(device));
    loginCommands = [...device.record.commands];
  });
  afterAll(async () => {
    await session?.close();
    await device?.stop();
  });
  beforeEach(() => device.resetRecord());

  test('logs in, turns paging off and enters enable mode', () => {
    expect(loginCommands).toEqual(['terminal length 0', 'terminal width 511', 'enable']);
    expect(session.info).toEqual({ prompt: 'Router#', hostname: 'Router' });
    expect(session.alive).toBe(true);
  });

  test('show version returns exactly the output, without echo or prompt', async () => {
    const out = await session.run('show version', OPTS);
    expect(out).toBe(outputs.showVersion('cisco_ios', 'Router').join('\n'));
    expect(out).not.toContain('\r');
  });

  test('a long output arrives whole: paging is off', async () => {
    const out = await session.run('show running-config', OPTS);
    expect(out).not.toContain('--More--');
    expect(out.split('\n')).toEqual(outputs.showRunningConfig('cisco_ios', 'Router', 48, []));
  });

  test('runs sequential commands on one kept-open session', async () => {
    expect(await session.run('show clock', OPTS)).toBe(outputs.showClock()[0]);
    const brief = await session.run('show ip interface brief', OPTS);
    expect(brief.split('\n')).toEqual(outputs.showIpInterfaceBrief('cisco_ios', 48));
    expect(device.record.commands).toEqual(['show clock', 'show ip interface brief']);
  });

  test('an invalid command rejects with CommandRejectedError naming the command', async () => {
    const err = await rejectionOf(session.run('show bogus', OPTS));
    expect(err.type).toBe('CommandRejectedError');
    expect(err.message).toContain('"show bogus"');
    expect(err.message).toContain("% Invalid input detected at '^' marker.");
    expect(err.partialOutput).toMatch(/^ +\^\n% Invalid input/);
    expect(await session.run('show clock', OPTS)).toBe(outputs.showClock()[0]);
  });

  test('an incomplete command is rejected too', async () => {
    const err = await rejectionOf(session.run('show', OPTS));
    expect(err.type).toBe('CommandRejectedError');
    expect(err.message).toContain('% Incomplete command.');
  });

  test('a slow command completes', async () => {
    expect(await session.run('show slow', OPTS)).toBe(outputs.SLOW_LINES.join('\n'));
  });

  test('a per-command delay on the device delays the answer, not the session', async () => {
    device.options.commandDelayMs = { 'show clock': 250 };
    try {
      const started = Date.now();
      expect(await session.run('show clock', OPTS)).toBe(outputs.showClock()[0]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(240);
      const err = await rejectionOf(session.run('show clock', { readTimeoutMs: 100 }));
      expect(err.type).toBe('CommandTimeoutError');
      expect(err.partialOutput).toBe('');
    } finally {
      device.options.commandDelayMs = 0;
    }
    expect(await session.run('show version', OPTS)).toContain(outputs.IOS_VERSION_LINE);
  });

  test("a hung command times out, is interrupted with IOS's escape sequence, and the session goes on", async () => {
    const started = Date.now();
    const err = await rejectionOf(session.run('show hang', { readTimeoutMs: 300 }));
    expect(err.type).toBe('CommandTimeoutError');
    expect(err.message).toContain('"show hang" did not finish within 300 ms');
    expect(err.partialOutput).toBe(outputs.HANG_START);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(device.record).toMatchObject({ escapes: 1, ctrlC: 0 });
    expect(session.alive).toBe(true);
    expect(await session.run('show clock', OPTS)).toBe(outputs.showClock()[0]);
  });

  test('aborting mid-command rejects with StoppedError and partial output', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const err = await rejectionOf(session.run('show slow', { readTimeoutMs: 5000, signal: controller.signal }));
    expect(err.type).toBe('StoppedError');
    expect(err.partialOutput).toContain(outputs.SLOW_LINES[0]);
    expect(err.partialOutput).not.toContain(outputs.SLOW_LINES[4]);
    expect(device.record).toMatchObject({ escapes: 1, ctrlC: 0 });
    expect(await session.run('show clock', OPTS)).toBe(outputs.showClock()[0]);
  });

  test('an already aborted signal sends nothing', async () => {
    const err = await rejectionOf(session.run('show version', { readTimeoutMs: 5000, signal: AbortSignal.abort() }));
    expect(err.type).toBe('StoppedError');
    expect(device.record.commands).toEqual([]);
  });

  test('output over maxOutputBytes rejects with OutputTooLargeError; the session stays usable', async () => {
    const err = await rejectionOf(session.run('show big 3000', { readTimeoutMs: 5000, maxOutputBytes: 10_000 }));
    expect(err.type).toBe('OutputTooLargeError');
    expect(err.message).toContain('exceeded 10000 bytes');
    expect(err.partialOutput!.length).toBeGreaterThan(5000);
    expect(err.partialOutput!.length).toBeLessThan(20_000);
    expect(await session.run('show clock', OPTS)).toBe(outputs.showClock()[0]);
    expect(await session.run('show big 3', { ...OPTS, maxOutputBytes: 10_000 })).toBe(outputs.bigOutput(3).join('\n'));
  });

  test('concurrent run() calls are serialised', async () => {
    const [slow, version, clock] = await Promise.all([
      session.run('show slow', OPTS),
      session.run('show version', OPTS),
      session.run('show clock', OPTS),
    ]);
    expect(slow).toBe(outputs.SLOW_LINES.join('\n'));
    expect(version.split('\n')[0]).toBe(outputs.IOS_VERSION_LINE);
    expect(clock).toBe(outputs.showClock()[0]);
    expect(device.record.commands).toEqual(['show slow', 'show version', 'show clock']);
    // nothing was typed while the device was still busy with the previous command
    expect(device.record.typeahead).toBe(0);
  });

  test('a failing call does not block the calls queued behind it', async () => {
    const results = await Promise.allSettled([
      session.run('show hang', { readTimeoutMs: 200 }),
      session.run('show clock', OPTS),
    ]);
    expect(results[0].status).toBe('rejected');
    expect(results[1]).toEqual({ status: 'fulfilled', value: outputs.showClock()[0] });
  });

  test('a dropped connection rejects with ConnectionDroppedError and partial output', async () => {
    const doomed = await driver.connect(argsFor(device));
    const err = await rejectionOf(doomed.run('show drop', OPTS));
    expect(err.type).toBe('ConnectionDroppedError');
    expect(err.partialOutput).toBe(outputs.dropOutput().slice(0, 10).join('\n'));
    expect(doomed.alive).toBe(false);
    const again = await rejectionOf(doomed.run('show clock', OPTS));
    expect(again.type).toBe('ConnectionDroppedError');
    await doomed.close();
    expect(session.alive).toBe(true);
  });
});

describe('SshDriver session on an arista_eos device', () => {
  const driver = new SshDriver();
  let device: FakeDevice;
  let session: DeviceSession;

  beforeAll(async () => {
    device = await startFakeDevice({ flavor: 'arista_eos', hostname: 'leaf-01', secret: 'arista-secret' });
    session = await driver.connect(argsFor(device, { device_type: 'arista_eos' }));
  });
  afterAll(async () => {
    await session?.close();
    await device?.stop();
  });

  test('enters enable mode and returns show version without echo or prompt', async () => {
    expect(session.info).toEqual({ prompt: 'leaf-01#', hostname: 'leaf-01' });
    const out = await session.run('show version', OPTS);
    expect(out).toBe(outputs.showVersion('arista_eos', 'leaf-01').join('\n'));
    expect(out).toContain(outputs.EOS_VERSION_LINE);
  });

  test('an invalid command rejects in the EOS wording', async () => {
    const err = await rejectionOf(session.run('show bogus', OPTS));
    expect(err.type).toBe('CommandRejectedError');
    expect(err.message).toContain("% Invalid input (at token 1: 'bogus')");
  });

  test('config lines enter an interface sub-mode and come back', async () => {
    const out = await session.configure(['interface Ethernet1', 'description to-spine'], OPTS);
    expect(out.transcript).toContain('leaf-01(config-if-Et1)#description to-spine');
    expect(device.record.configLines).toEqual(['interface Ethernet1', 'description to-spine']);
    expect(await session.run('show clock', OPTS)).toBe(outputs.showClock()[0]);
  });
});

describe('SshDriver session on a device that keeps paging', () => {
  const driver = new SshDriver();
  let device: FakeDevice;
  let session: DeviceSession;

  beforeAll(async () => {
    device = await startFakeDevice({ flavor: 'cisco_ios', pageLength: 10, ignoreTerminalLength: true });
    session = await driver.connect(argsFor(device));
  });
  afterAll(async () => {
    await session?.close();
    await device?.stop();
  });

  test('answers --More-- with a space and returns the whole output', async () => {
    const out = await session.run('show ip interface brief', OPTS);
    expect(out.split('\n')).toEqual(outputs.showIpInterfaceBrief('cisco_ios', 48));
    expect(device.record.typeahead).toBe(0);
    expect(await session.run('show clock', OPTS)).toBe(outputs.showClock()[0]);
  });

  test('refuses a multi-line command instead of sending it', async () => {
    device.resetRecord();
    const err = await rejectionOf(session.run('show clock\nshow version', OPTS));
    expect(err.type).toBe('CommandRejectedError');
    expect(device.record.commands).toEqual([]);
  });
});
