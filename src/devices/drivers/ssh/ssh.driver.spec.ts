/**
 * SshDriver.connect against the fake device and plain TCP servers on 127.0.0.1 (random
 * ports): authentication, enable, host key pinning and the connection error types.
 */
import { Logger } from '@nestjs/common';
import {
  argsFor,
  closedPort,
  generateEd25519KeyPair,
  rejectionOf,
  FakeDevice,
  outputs,
  startFakeDevice,
  startSilentTcpServer,
  until,
} from '../../../../test/support/fake-device';
import { SshDriver } from './ssh.driver';

Logger.overrideLogger(['error', 'warn']);

const OPTS = { readTimeoutMs: 5000 };
const CANARY_PASSWORD = 'canary-pw-7Qx9';
const CANARY_SECRET = 'canary-secret-3Kz1';

function expectNoSecrets(err: Error, ...secrets: string[]): void {
  for (const secret of secrets) {
    expect(err.message).not.toContain(secret);
    expect(err.stack ?? '').not.toContain(secret);
    expect(JSON.stringify(err)).not.toContain(secret);
  }
}

describe('SshDriver.connect', () => {
  const driver = new SshDriver();
  let device: FakeDevice;

  beforeAll(async () => {
    device = await startFakeDevice({ flavor: 'cisco_ios', password: CANARY_PASSWORD, secret: CANARY_SECRET });
  });
  afterAll(() => device?.stop());
  beforeEach(() => device.resetRecord());

  test('enters enable mode with the secret', async () => {
    const session = await driver.connect(argsFor(device));
    expect(session.info.prompt).toBe('Router#');
    expect(device.record.commands).toContain('enable');
    expect(await session.run('show running-config', OPTS)).toContain('hostname Router');
    await session.close();
  });

  test('falls back to the password when no secret is given', async () => {
    const other = await startFakeDevice({ password: 'same-for-both', secret: 'same-for-both' });
    try {
      const session = await driver.connect(argsFor(other, { secret: undefined }));
      expect(session.info.prompt).toBe('Router#');
      await session.close();
    } finally {
      await other.stop();
    }
  });

  test('a wrong password rejects with AuthenticationError and never shows the password', async () => {
    const wrong = `${CANARY_PASSWORD}-wrong`;
    const err = await rejectionOf(driver.connect(argsFor(device, { password: wrong })));
    expect(err.type).toBe('AuthenticationError');
    expect(err.message).toBe(`Authentication failed for admin@127.0.0.1:${device.port}`);
    expectNoSecrets(err, wrong, CANARY_PASSWORD, CANARY_SECRET);
    // the failed login leaves no connection behind
    await until(() => device.openConnections === 0);
  });

  test('a wrong enable secret rejects with AuthenticationError and never shows the secret', async () => {
    const wrong = `${CANARY_SECRET}-wrong`;
    const err = await rejectionOf(driver.connect(argsFor(device, { secret: wrong })));
    expect(err.type).toBe('AuthenticationError');
    expect(err.message).toContain('Enable failed');
    expect(err.message).toContain('enable secret');
    expectNoSecrets(err, wrong, CANARY_PASSWORD, CANARY_SECRET);
  });

  test('pins the host key: the right fingerprint connects, a wrong one is HostKeyMismatchError', async () => {
    const session = await driver.connect(argsFor(device, { host_key_fingerprint: device.hostKeyFingerprint }));
    expect(session.alive).toBe(true);
    await session.close();
    const wrong = 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    const err = await rejectionOf(driver.connect(argsFor(device, { host_key_fingerprint: wrong })));
    expect(err.type).toBe('HostKeyMismatchError');
    expect(err.message).toContain(wrong);
    expect(err.message).toContain(device.hostKeyFingerprint);
  });

  test('with unknown hosts rejected, only a pinned host key connects', async () => {
    const strict = new SshDriver({ rejectUnknownHosts: true });
    const err = await rejectionOf(strict.connect(argsFor(device)));
    expect(err.type).toBe('UnknownHostKeyError');
    expect(err.message).toContain(device.hostKeyFingerprint);
    const session = await strict.connect(argsFor(device, { host_key_fingerprint: device.hostKeyFingerprint }));
    expect(session.alive).toBe(true);
    await session.close();
  });

  test('connection refused on a closed port', async () => {
    const port = await closedPort();
    const err = await rejectionOf(driver.connect(argsFor(device, { port })));
    expect(err.type).toBe('ConnectionRefusedError');
    expect(err.message).toBe(`Connection refused by 127.0.0.1:${port}`);
  });

  test('a server that never speaks SSH is a ConnectionTimeoutError', async () => {
    const silent = await startSilentTcpServer();
    try {
      const started = Date.now();
      const err = await rejectionOf(driver.connect(argsFor(device, { port: silent.port, timeout: 0.5 })));
      expect(err.type).toBe('ConnectionTimeoutError');
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await silent.stop();
    }
  });

  test('close() is idempotent and a closed session refuses commands', async () => {
    const session = await driver.connect(argsFor(device));
    await Promise.all([session.close(), session.close()]);
    await session.close();
    expect(session.alive).toBe(false);
    expect((await rejectionOf(session.run('show clock', OPTS))).type).toBe('ConnectionDroppedError');
  });
});

describe('SshDriver.connect with other login styles', () => {
  const driver = new SshDriver();
  const started: FakeDevice[] = [];
  const start = async (...args: Parameters<typeof startFakeDevice>) => {
    const device = await startFakeDevice(...args);
    started.push(device);
    return device;
  };
  afterAll(() => Promise.all(started.map((d) => d.stop())));

  test('keyboard-interactive with the password when the password method is off', async () => {
    const device = await start({ passwordAuth: false });
    const session = await driver.connect(argsFor(device));
    expect(device.record.authMethods).toContain('keyboard-interactive:ok');
    await session.close();
  });

  test('a private key instead of a password', async () => {
    const keys = generateEd25519KeyPair();
    const device = await start({ authorizedKeys: [keys.public], startPrivileged: true });
    const session = await driver.connect(argsFor(device, { password: undefined, private_key: keys.private }));
    expect(device.record.authMethods).toContain('publickey:ok');
    expect(session.info.prompt).toBe('Router#');
    await session.close();
  });

  test('an unreadable private key is an AuthenticationError without the key text', async () => {
    const device = await start();
    const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nnot-a-key-canary\n-----END OPENSSH PRIVATE KEY-----\n';
    const err = await rejectionOf(driver.connect(argsFor(device, { password: undefined, private_key: key })));
    expect(err.type).toBe('AuthenticationError');
    expectNoSecrets(err, 'not-a-key-canary');
  });

  test('a device that refuses every login is an AuthenticationError', async () => {
    const device = await start({ refuseAuth: true });
    expect((await rejectionOf(driver.connect(argsFor(device)))).type).toBe('AuthenticationError');
  });

  test('a device that accepts the login but never shows a prompt is a ConnectionTimeoutError', async () => {
    const device = await start({ hangAtLogin: true });
    const err = await rejectionOf(driver.connect(argsFor(device, { timeout: 1 })));
    expect(err.type).toBe('ConnectionTimeoutError');
    expect(err.message).toContain('did not show the expected prompt');
  });

  test('aborting the connect signal rejects with StoppedError', async () => {
    const device = await start({ hangAtLogin: true });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    const err = await rejectionOf(driver.connect(argsFor(device), { signal: controller.signal }));
    expect(err.type).toBe('StoppedError');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test('a linux host: shell commands run, config mode is refused', async () => {
    const device = await start({ flavor: 'linux', hostname: 'jump01', username: 'ops' });
    const session = await driver.connect(argsFor(device, { device_type: 'linux' }));
    expect(session.info).toEqual({ prompt: 'ops@jump01:~$', hostname: 'ops@jump01' });
    expect(await session.run('echo hello world', OPTS)).toBe('hello world');
    expect(await session.run('show big 2', OPTS)).toBe(outputs.bigOutput(2).join('\n'));
    const rejected = await rejectionOf(session.run('frobnicate', OPTS));
    expect(rejected.type).toBe('CommandRejectedError');
    expect(rejected.message).toContain('-bash: frobnicate: command not found');
    const config = await rejectionOf(session.configure(['hostname x'], OPTS));
    expect(config.type).toBe('CommandRejectedError');
    expect(config.message).toBe('config mode is not supported for linux');
    await session.close();
  });
});
