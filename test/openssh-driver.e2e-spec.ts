/**
 * The SSH driver's `linux` profile against a peer nobody here wrote: Debian's OpenSSH sshd on 127.0.0.1, its
 * own host keys and a real system user with a bash login shell. Password and key logins (keys made by
 * ssh-keygen), host key pinning checked against ssh-keygen's fingerprints, and commands interrupted with Ctrl-C
 * in a real pty, the interrupted process gone afterwards.
 */
import { Logger } from '@nestjs/common';
import { execFileSync } from 'node:child_process';
import { hostname } from 'node:os';
import { DeviceSession } from '../src/devices/drivers/device-driver';
import { SshDriver } from '../src/devices/drivers/ssh/ssh.driver';
import { rejectionOf } from './support/fake-device';
import {
  generateKeyPair,
  KeyPair,
  openSshRequirement,
  OpenSshServer,
  SSH_TEST_USER,
  startOpenSshServer,
  testUserProcesses as userProcesses,
  uniqueSleep,
} from './support/openssh-server';
import { describeRequiring } from './support/requirements';
import { waitFor } from './support/test-env';

Logger.overrideLogger(['error', 'warn']);

const OPTS = { readTimeoutMs: 10_000 };

describeRequiring(openSshRequirement, 'SshDriver (linux profile) against OpenSSH sshd', () => {
  const driver = new SshDriver();
  let sshd: OpenSshServer;
  let keys: Record<'ed25519' | 'rsa' | 'rsaPemWithPassphrase' | 'ed25519WithPassphrase' | 'unknown', KeyPair>;

  beforeAll(async () => {
    keys = {
      ed25519: generateKeyPair('ed25519'),
      rsa: generateKeyPair('rsa'),
      rsaPemWithPassphrase: generateKeyPair('rsa', { format: 'PEM', passphrase: 'pem passphrase 1' }),
      ed25519WithPassphrase: generateKeyPair('ed25519', { passphrase: 'openssh passphrase 2' }),
      unknown: generateKeyPair('ed25519'),
    };
    const authorized = Object.values(keys).filter((k) => k !== keys.unknown);
    sshd = await startOpenSshServer({ hostKeys: ['ed25519', 'rsa'], authorizedKeys: authorized.map((k) => k.public) });
  }, 60_000);
  afterAll(() => sshd?.stop());

  describe('logging in', () => {
    test('with the password: the bash prompt, then uname -a and echo answer as they do locally', async () => {
      const session = await driver.connect(sshd.args());
      try {
        const host = hostname().split('.')[0];
        expect(session.info).toEqual({ prompt: `${SSH_TEST_USER}@${host}:~$`, hostname: `${SSH_TEST_USER}@${host}` });
        // the same kernel answers: sshd runs on this machine
        expect(await session.run('uname -a', OPTS)).toBe(execFileSync('uname', ['-a'], { encoding: 'utf8' }).trim());
        expect(await session.run('echo "two  words"; echo second', OPTS)).toBe('two  words\nsecond');
        expect(await session.run('whoami', OPTS)).toBe(SSH_TEST_USER);
      } finally {
        await session.close();
      }
    });

    test('a wrong password is an AuthenticationError that does not show it', async () => {
      const wrong = `${sshd.password}-canary-wrong`;
      const err = await rejectionOf(driver.connect(sshd.args({ password: wrong })));
      expect(err.type).toBe('AuthenticationError');
      expect(err.message).toBe(`Authentication failed for ${SSH_TEST_USER}@127.0.0.1:${sshd.port}`);
      expect(JSON.stringify({ ...err, message: err.message, stack: err.stack })).not.toContain(wrong);
    });

    test.each([
      ['an ed25519 key', 'ed25519'],
      // OpenSSH 9.2 accepts RSA keys only with rsa-sha2-256/512 signatures (ssh-rsa, SHA-1, is off by default)
      ['an RSA key (OpenSSH format, rsa-sha2 signatures)', 'rsa'],
      ['a passphrase-protected RSA key in PEM format', 'rsaPemWithPassphrase'],
      ['a passphrase-protected ed25519 key', 'ed25519WithPassphrase'],
    ] as const)('with %s and no password', async (_what, name) => {
      const key = keys[name];
      const passphrase = name === 'rsaPemWithPassphrase' ? 'pem passphrase 1' : name === 'ed25519WithPassphrase' ? 'openssh passphrase 2' : undefined;
      const session = await driver.connect(sshd.args({ password: undefined, private_key: key.private, passphrase }));
      try {
        expect(await session.run('whoami', OPTS)).toBe(SSH_TEST_USER);
      } finally {
        await session.close();
      }
      // sshd names the key it accepted by its fingerprint
      await waitFor(async () => sshd.log().includes(`Accepted publickey for ${SSH_TEST_USER}`) && sshd.log().includes(key.fingerprint));
    });

    test('a wrong passphrase is an AuthenticationError that does not show it', async () => {
      const args = sshd.args({ password: undefined, private_key: keys.ed25519WithPassphrase.private, passphrase: 'canary-not-the-passphrase' });
      const err = await rejectionOf(driver.connect(args));
      expect(err.type).toBe('AuthenticationError');
      expect(err.message).not.toContain('canary-not-the-passphrase');
    });

    test('a key sshd does not know is an AuthenticationError', async () => {
      const err = await rejectionOf(driver.connect(sshd.args({ password: undefined, private_key: keys.unknown.private })));
      expect(err.type).toBe('AuthenticationError');
    });
  });

  describe('host key pinning', () => {
    test("ssh-keygen's fingerprint of the host key sshd presents connects; another is a HostKeyMismatchError", async () => {
      // ssh2 prefers ssh-ed25519 among the host key types this sshd offers
      const pinned = sshd.hostKeyFingerprints.ed25519!;
      const session = await driver.connect(sshd.args({ host_key_fingerprint: pinned }));
      expect(await session.run('echo pinned', OPTS)).toBe('pinned');
      await session.close();

      const other = sshd.hostKeyFingerprints.rsa!;
      const err = await rejectionOf(driver.connect(sshd.args({ host_key_fingerprint: other })));
      expect(err.type).toBe('HostKeyMismatchError');
      expect(err.message).toBe(
        `Host key mismatch for ${SSH_TEST_USER}@127.0.0.1:${sshd.port}: expected ${other}, the device presented ${pinned}`,
      );
    });

    test('with unknown hosts rejected (SSH_UNKNOWN_HOSTS=reject) only a pinned host connects', async () => {
      const strict = new SshDriver({ rejectUnknownHosts: true });
      const err = await rejectionOf(strict.connect(sshd.args()));
      expect(err.type).toBe('UnknownHostKeyError');
      expect(err.message).toContain(sshd.hostKeyFingerprints.ed25519!);
      const session = await strict.connect(sshd.args({ host_key_fingerprint: sshd.hostKeyFingerprints.ed25519 }));
      expect(session.alive).toBe(true);
      await session.close();
    });
  });

  describe('a session', () => {
    let session: DeviceSession;
    beforeAll(async () => {
      session = await driver.connect(sshd.args());
    });
    afterAll(() => session?.close());

    test('a command bash does not know is a CommandRejectedError', async () => {
      const err = await rejectionOf(session.run('frobnicate-np --now', OPTS));
      expect(err.type).toBe('CommandRejectedError');
      expect(err.message).toContain('frobnicate-np: command not found');
      expect(await session.run('echo still here', OPTS)).toBe('still here');
    });

    test('a long output arrives whole', async () => {
      const out = await session.run('seq 1 20000', OPTS);
      expect(out.split('\n')).toEqual(Array.from({ length: 20000 }, (_, i) => String(i + 1)));
    });

    test('a stopped command gets Ctrl-C: StoppedError with the output so far, the process gone, the shell still usable', async () => {
      const sleep = uniqueSleep();
      const controller = new AbortController();
      const running = rejectionOf(session.run(`echo started; ${sleep}`, { readTimeoutMs: 60_000, signal: controller.signal }));
      await waitFor(async () => userProcesses(sleep).length === 1, 20_000);
      const stoppedAt = Date.now();
      controller.abort();
      const err = await running;
      expect(err.type).toBe('StoppedError');
      expect(err.partialOutput).toBe('started');
      // Ctrl-C itself brought the prompt back: no newline fallback, no wait for a resync timeout
      expect(Date.now() - stoppedAt).toBeLessThan(2000);
      expect(userProcesses(sleep)).toEqual([]);
      expect(session.alive).toBe(true);
      expect(await session.run('echo after', OPTS)).toBe('after');
    });

    test('a command past its read timeout gets Ctrl-C: CommandTimeoutError, the process gone, the shell still usable', async () => {
      const sleep = uniqueSleep();
      const err = await rejectionOf(session.run(sleep, { readTimeoutMs: 1500 }));
      expect(err.type).toBe('CommandTimeoutError');
      expect(userProcesses(sleep)).toEqual([]);
      expect(await session.run('echo after timeout', OPTS)).toBe('after timeout');
    });

    test('a command that ignores Ctrl-C: the session is closed rather than handed on, and the process ends with it', async () => {
      const own = await driver.connect(sshd.args());
      const sleep = uniqueSleep();
      const err = await rejectionOf(own.run(`bash -c 'trap "" INT; exec ${sleep}'`, { readTimeoutMs: 1500 }));
      expect(err.type).toBe('CommandTimeoutError');
      expect(err.message).toContain('session closed: the device did not return to its prompt');
      expect(own.alive).toBe(false);
      // the pty's hangup ends it
      await waitFor(async () => userProcesses(sleep).length === 0, 20_000);
      expect(session.alive).toBe(true);
    });
  });
});
