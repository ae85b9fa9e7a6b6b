/**
 * A real OpenSSH server for driver tests: Debian's `/usr/sbin/sshd` on 127.0.0.1 and a free port, with host keys,
 * sshd_config and authorized_keys of its own in a temp dir, logging in a dedicated system user (`np-ssh-test`).
 *
 *   const sshd = await startOpenSshServer({ hostKeys: ['ed25519'] });
 *   const session = await new SshDriver().connect(sshd.args());
 *   ...; await sshd.stop();
 *
 * Needs root (sshd binds, checks passwords against /etc/shadow and switches to the user) and the packages
 * openssh-server and openssh-client (ssh-keygen): `openSshRequirement` says whether they are there.
 */
import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectionArgs } from '../../src/devices/drivers/device-driver';
import { freePort } from './redis-server';
import { Requirement } from './requirements';

export const SSHD = '/usr/sbin/sshd';
export const SSH_TEST_USER = 'np-ssh-test';
/** root-only: the user's random password, made once per machine and reused (parallel test files agree on it) */
const STATE_DIR = '/var/lib/netpulse-tests';
const PASSWORD_FILE = join(STATE_DIR, `${SSH_TEST_USER}.password`);

/** sshd and ssh-keygen installed, and root to run them as. */
export const openSshRequirement: Requirement = {
  present:
    process.getuid?.() === 0 &&
    spawnSync(SSHD, ['-V'], { stdio: 'ignore' }).status === 0 &&
    spawnSync('sh', ['-c', 'command -v ssh-keygen'], { stdio: 'ignore' }).status === 0 &&
    existsSync('/usr/sbin/useradd'),
  missing: 'sshd and ssh-keygen, run as root: apt-get install -y openssh-server openssh-client',
};

export type KeyType = 'ed25519' | 'rsa' | 'dsa' | 'ecdsa';

export interface KeyPair {
  type: KeyType;
  private: string;
  public: string;
  /** "SHA256:..." as `ssh-keygen -l` prints it */
  fingerprint: string;
}

export interface KeyOptions {
  passphrase?: string;
  /** 'PEM': the old "BEGIN RSA PRIVATE KEY" format instead of OpenSSH's */
  format?: 'PEM';
}

/** A key pair made by ssh-keygen (not by the library under test). */
export function generateKeyPair(type: KeyType, opts: KeyOptions = {}): KeyPair {
  const dir = mkdtempSync(join(tmpdir(), 'np-key-'));
  try {
    const file = join(dir, 'key');
    const args = ['-q', '-t', type, '-N', opts.passphrase ?? '', '-C', `np-test-${type}`, '-f', file];
    if (type === 'rsa') args.push('-b', '2048');
    if (opts.format) args.push('-m', opts.format);
    execFileSync('ssh-keygen', args, { stdio: 'pipe' });
    return { type, private: readFileSync(file, 'utf8'), public: readFileSync(`${file}.pub`, 'utf8').trim(), fingerprint: fingerprintOf(`${file}.pub`) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function fingerprintOf(publicKeyFile: string): string {
  const line = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', publicKeyFile], { encoding: 'utf8' });
  const match = /SHA256:[A-Za-z0-9+/]+/.exec(line);
  if (!match) throw new Error(`ssh-keygen -l printed no SHA256 fingerprint: ${line}`);
  return match[0];
}

let user: { username: string; password: string } | undefined;

/**
 * Creates the test user (bash, a home from /etc/skel) and its random password once per machine; every call sets
 * the stored password again. Under flock, so test files starting at once neither race useradd nor disagree on it.
 */
export function ensureTestUser(): { username: string; password: string } {
  if (user) return user;
  const script = `
    set -e
    id -u "$U" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$U"
    [ -s "$F" ] || (umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$F")
    printf '%s:%s\\n' "$U" "$(cat "$F")" | chpasswd
    cat "$F"`;
  mkdirSync(STATE_DIR, { recursive: true, mode: 0o700 });
  const password = execFileSync('flock', [join(STATE_DIR, 'user.lock'), 'sh', '-c', script], {
    encoding: 'utf8',
    env: { ...process.env, U: SSH_TEST_USER, F: PASSWORD_FILE },
  }).trim();
  user = { username: SSH_TEST_USER, password };
  return user;
}

/** The test user's processes whose command line is exactly `args` (e.g. "sleep 3141"). */
export function testUserProcesses(args: string): string[] {
  // ps exits 1 when the user has no process at all
  const ps = spawnSync('ps', ['-u', SSH_TEST_USER, '-o', 'args='], { encoding: 'utf8' });
  return ps.stdout.split('\n').filter((line) => line.trim() === args);
}

/** A sleep that never ends by itself in a test, unique so parallel tests do not see each other's. */
export function uniqueSleep(): string {
  return `sleep ${3000 + Math.floor(Math.random() * 6000)}`;
}

export interface OpenSshOptions {
  /** host keys to make, in this order (default ed25519 and rsa) */
  hostKeys?: KeyType[];
  /** public keys (OpenSSH one-line form) the test user may log in with */
  authorizedKeys?: string[];
  /** more sshd_config lines, e.g. "KexAlgorithms diffie-hellman-group14-sha1" */
  config?: string[];
}

export interface OpenSshServer {
  host: string;
  port: number;
  username: string;
  password: string;
  /** "SHA256:..." of each host key, from ssh-keygen */
  hostKeyFingerprints: Partial<Record<KeyType, string>>;
  /** ConnectionArgs for the linux profile with the test user's password */
  args(overrides?: Partial<ConnectionArgs>): ConnectionArgs;
  /** what sshd logged (-e: to stderr) */
  log(): string;
  stop(): Promise<void>;
}

/** Starts sshd; a port taken between freePort and sshd's bind is retried with another. */
export async function startOpenSshServer(opts: OpenSshOptions = {}): Promise<OpenSshServer> {
  const { username, password } = ensureTestUser();
  // sshd's privilege separation directory: Debian's init script makes it, and no init script ran here
  execFileSync('mkdir', ['-p', '-m', '0755', '/run/sshd']);
  const dir = mkdtempSync(join(tmpdir(), 'np-sshd-'));
  try {
    // sshd reads authorized_keys as the user: the dir must let it in (the host keys stay root's, 0600)
    chmodSync(dir, 0o755);
    const hostKeyFingerprints: OpenSshServer['hostKeyFingerprints'] = {};
    for (const type of opts.hostKeys ?? ['ed25519', 'rsa']) {
      const file = join(dir, `ssh_host_${type}_key`);
      execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', file, ...(type === 'rsa' ? ['-b', '2048'] : [])], { stdio: 'pipe' });
      hostKeyFingerprints[type] = fingerprintOf(`${file}.pub`);
    }
    writeFileSync(join(dir, 'authorized_keys'), (opts.authorizedKeys ?? []).map((k) => `${k}\n`).join(''), { mode: 0o644 });
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      writeFileSync(join(dir, 'sshd_config'), sshdConfig(dir, port, Object.keys(hostKeyFingerprints) as KeyType[], opts.config ?? []));
      try {
        const sshd = await launch(dir);
        return server(sshd, dir, port, username, password, hostKeyFingerprints);
      } catch (err) {
        if (attempt >= 3 || !/Address already in use|Cannot bind any address/.test((err as Error).message)) throw err;
      }
    }
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

function sshdConfig(dir: string, port: number, hostKeys: KeyType[], extra: string[]): string {
  return [
    'ListenAddress 127.0.0.1',
    `Port ${port}`,
    ...hostKeys.map((type) => `HostKey ${join(dir, `ssh_host_${type}_key`)}`),
    `PidFile ${join(dir, 'sshd.pid')}`,
    // passwords straight from /etc/shadow: no PAM stack of the machine's
    'UsePAM no',
    // the temp dir is world-readable and not the user's: sshd would refuse its authorized_keys otherwise
    'StrictModes no',
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'PasswordAuthentication yes',
    'PubkeyAuthentication yes',
    `AllowUsers ${SSH_TEST_USER}`,
    'PermitRootLogin no',
    ...extra,
    '',
  ].join('\n');
}

interface Launched {
  child: ChildProcess;
  log(): string;
}

function launch(dir: string): Promise<Launched> {
  return new Promise((resolve, reject) => {
    const child = spawn(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let listening = false;
    const timer = setTimeout(() => fail(new Error(`sshd did not start within 15 s:\n${out}`)), 15_000);
    const fail = (err: Error) => {
      if (listening) return;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    };
    const onData = (d: Buffer) => {
      out += d.toString();
      if (!listening && /Server listening on 127\.0\.0\.1 port \d+/.test(out)) {
        listening = true;
        clearTimeout(timer);
        resolve({ child, log: () => out });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`sshd exited with ${code} before listening:\n${out}`)));
  });
}

function server(
  { child, log }: Launched,
  dir: string,
  port: number,
  username: string,
  password: string,
  hostKeyFingerprints: OpenSshServer['hostKeyFingerprints'],
): OpenSshServer {
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    child.once('exit', () => resolve());
  });
  let stopping: Promise<void> | undefined;
  return {
    host: '127.0.0.1',
    port,
    username,
    password,
    hostKeyFingerprints,
    args: (overrides = {}) => ({ device_type: 'linux', host: '127.0.0.1', port, username, password, timeout: 20, ...overrides }),
    log,
    stop: () =>
      (stopping ??= (async () => {
        // each connection has a process of its own that outlives the listener: end those first
        for (const pid of childrenOf(child.pid!)) killQuietly(pid);
        child.kill('SIGTERM');
        await exited;
        rmSync(dir, { recursive: true, force: true });
      })()),
  };
}

/** The processes whose parent is `pid` (sshd's per-connection processes). */
function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ")"
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) found.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // already gone
  }
}
