/**
 * The legacy algorithms the SSH driver offers for old devices (LEGACY_ALGORITHMS in ssh-connect.ts), each proven
 * against Debian's OpenSSH sshd configured to offer only that one in its category: the driver negotiates it (sshd's
 * log names what was agreed), and ssh2 with its own defaults, the client without the legacy list, does not get in.
 */
import { Logger } from '@nestjs/common';
import { Client } from 'ssh2';
import { SshDriver } from '../src/devices/drivers/ssh/ssh.driver';
import { KeyType, openSshRequirement, OpenSshServer, startOpenSshServer } from './support/openssh-server';
import { describeRequiring } from './support/requirements';

Logger.overrideLogger(['error', 'warn']);

interface LegacyPeer {
  /** what the row proves */
  name: string;
  hostKeys: KeyType[];
  /** sshd_config lines that leave only the legacy algorithm in its category */
  config: string[];
  /** what sshd's debug log says it agreed on */
  negotiated: RegExp;
  /** whether ssh2 gets in with its defaults alone (then the row guards against the driver removing it) */
  ssh2Default: boolean;
}

// a cipher with a MAC of its own: with an AEAD cipher (aes-gcm, chacha20) no MAC is negotiated at all
const MAC_ROW = ['Ciphers aes128-ctr'];

const PEERS: LegacyPeer[] = [
  ...['diffie-hellman-group1-sha1', 'diffie-hellman-group14-sha1', 'diffie-hellman-group-exchange-sha1'].map((kex) => ({
    name: `key exchange ${kex}`,
    hostKeys: ['rsa' as const],
    config: [`KexAlgorithms ${kex}`],
    negotiated: new RegExp(`kex: algorithm: ${kex}\\b`),
    ssh2Default: false,
  })),
  ...['aes128-cbc', 'aes192-cbc', 'aes256-cbc', '3des-cbc'].map((cipher) => ({
    name: `cipher ${cipher}`,
    hostKeys: ['rsa' as const],
    config: [`Ciphers ${cipher}`],
    negotiated: new RegExp(`kex: client->server cipher: ${cipher} `),
    ssh2Default: false,
  })),
  ...['hmac-sha1-96', 'hmac-md5', 'hmac-md5-96'].map((mac) => ({
    name: `MAC ${mac}`,
    hostKeys: ['rsa' as const],
    config: [...MAC_ROW, `MACs ${mac}`],
    negotiated: new RegExp(`kex: client->server cipher: aes128-ctr MAC: ${mac} `),
    ssh2Default: false,
  })),
  {
    name: 'MAC hmac-sha1 (in ssh2 defaults)',
    hostKeys: ['rsa'],
    config: [...MAC_ROW, 'MACs hmac-sha1'],
    negotiated: /kex: client->server cipher: aes128-ctr MAC: hmac-sha1 /,
    ssh2Default: true,
  },
  {
    name: 'host key ssh-dss (DSA)',
    hostKeys: ['dsa'],
    config: ['HostKeyAlgorithms ssh-dss'],
    negotiated: /kex: host key algorithm: ssh-dss\b/,
    ssh2Default: false,
  },
  {
    name: 'host key ssh-rsa with SHA-1 signatures (in ssh2 defaults)',
    hostKeys: ['rsa'],
    config: ['HostKeyAlgorithms ssh-rsa'],
    negotiated: /kex: host key algorithm: ssh-rsa\b/,
    ssh2Default: true,
  },
  {
    name: 'an IOS 12-era peer: group1-sha1, 3des-cbc, hmac-md5 and a DSA host key at once',
    hostKeys: ['dsa'],
    config: ['KexAlgorithms diffie-hellman-group1-sha1', 'Ciphers 3des-cbc', 'MACs hmac-md5', 'HostKeyAlgorithms ssh-dss'],
    negotiated: /kex: client->server cipher: 3des-cbc MAC: hmac-md5 /,
    ssh2Default: false,
  },
];

/** Connects with ssh2's defaults (no `algorithms`): resolves with the error level, or 'connected'. */
function plainSsh2(peer: OpenSshServer): Promise<string> {
  return new Promise((resolve) => {
    const client = new Client();
    client.once('ready', () => {
      client.end();
      resolve('connected');
    });
    // only the first error counts: the reset that follows a failed handshake says nothing more
    client.once('error', (err: Error & { level?: string }) => {
      client.on('error', () => undefined);
      client.destroy();
      resolve(`${err.level}: ${err.message}`);
    });
    client.connect({ host: peer.host, port: peer.port, username: peer.username, password: peer.password, readyTimeout: 20_000 });
  });
}

describeRequiring(openSshRequirement, 'SSH driver against sshd offering only legacy algorithms', () => {
  const driver = new SshDriver();

  test.each(PEERS)('$name', async (row) => {
    const sshd = await startOpenSshServer({ hostKeys: row.hostKeys, config: ['LogLevel DEBUG1', ...row.config] });
    try {
      const session = await driver.connect(sshd.args());
      try {
        expect(await session.run('echo legacy ok', { readTimeoutMs: 10_000 })).toBe('legacy ok');
      } finally {
        await session.close();
      }
      expect(sshd.log()).toMatch(row.negotiated);

      const plain = await plainSsh2(sshd);
      if (row.ssh2Default) expect(plain).toBe('connected');
      else expect(plain).toMatch(/^handshake: Handshake failed: no matching /);
    } finally {
      await sshd.stop();
    }
  }, 60_000);
});
