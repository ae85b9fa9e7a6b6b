/**
 * A fake network device: an SSH server (ssh2's Server) whose shell channels run the
 * CliEmulator. Listens on 127.0.0.1 and a random port by default, so parallel test files
 * never collide.
 */
import { createHash } from 'crypto';
import { AddressInfo, createServer, Server as NetServer, Socket } from 'net';
import { AuthContext, Connection, ParsedKey, Server, ServerChannel, Session, utils } from 'ssh2';
import { createCli } from './dialects';
import { CliHooks, CliOptions, DeviceRecord } from './types';

export interface FakeDeviceOptions extends Partial<CliOptions> {
  host?: string;
  port?: number;
  password?: string;
  /** offer the "password" method (default true); false leaves keyboard-interactive/publickey */
  passwordAuth?: boolean;
  /** accept keyboard-interactive with the password (default true) */
  keyboardInteractive?: boolean;
  /** OpenSSH public keys accepted for publickey authentication */
  authorizedKeys?: string[];
  /** reject every authentication attempt */
  refuseAuth?: boolean;
}

export interface FakeDevice {
  host: string;
  port: number;
  /** "SHA256:..." as ssh-keygen -l prints it */
  hostKeyFingerprint: string;
  /** the behaviour in force; tests may change it between connections */
  options: CliOptions & { password: string; passwordAuth: boolean; keyboardInteractive: boolean; refuseAuth: boolean };
  record: DeviceRecord;
  readonly connectionsOpened: number;
  readonly openConnections: number;
  /** the most connections open at once since the start (or the last resetRecord) */
  readonly peakConnections: number;
  resetRecord(): void;
  stop(): Promise<void>;
}

const DEFAULTS = {
  flavor: 'cisco_ios' as const,
  hostname: 'Router',
  username: 'admin',
  password: 'admin-password',
  secret: 'enable-secret',
  startPrivileged: false,
  hangAtLogin: false,
  commandDelayMs: 0,
  slowCommandMs: 1500,
  interfaceCount: 48,
  pageLength: 24,
  ignoreTerminalLength: false,
  passwordAuth: true,
  keyboardInteractive: true,
  refuseAuth: false,
};

export async function startFakeDevice(opts: FakeDeviceOptions = {}): Promise<FakeDevice> {
  const { host = '127.0.0.1', port = 0, authorizedKeys = [], ...rest } = opts;
  const options: FakeDevice['options'] = { ...DEFAULTS, ...rest };
  const record: DeviceRecord = { commands: [], configLines: [], startupConfig: null, answers: [], ctrlC: 0, escapes: 0, typeahead: 0, authMethods: [] };
  const keys = generateEd25519KeyPair();
  const allowedKeys = authorizedKeys.map((k) => utils.parseKey(k) as ParsedKey);
  const clients = new Set<Connection>();
  let opened = 0;
  let peak = 0;

  // FortiOS speaks the older Diffie-Hellman groups too, and netmiko's fortinet driver insists on them
  const kex = options.flavor === 'fortinet' ? { kex: { append: ['diffie-hellman-group14-sha1', 'diffie-hellman-group-exchange-sha1', 'diffie-hellman-group1-sha1'] } } : {};
  const server = new Server({ hostKeys: [keys.private], algorithms: kex as never }, (client) => {
    opened++;
    clients.add(client);
    peak = Math.max(peak, clients.size);
    // echo is one tiny write per key: without this, Nagle adds ~40 ms to every command
    socketOf(client)?.setNoDelay(true);
    client.on('close', () => clients.delete(client));
    client.on('error', () => undefined); // resets from clients that just vanish are expected
    client.on('authentication', (ctx) => authenticate(ctx, options, allowedKeys, record));
    client.on('ready', () => client.on('session', (accept) => serveSession(accept(), client, options, record)));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });

  return {
    host,
    port: (server.address() as AddressInfo).port,
    hostKeyFingerprint: fingerprint(keys.public),
    options,
    record,
    get connectionsOpened() {
      return opened;
    },
    get openConnections() {
      return clients.size;
    },
    get peakConnections() {
      return peak;
    },
    resetRecord() {
      peak = clients.size;
      record.commands.length = record.configLines.length = record.authMethods.length = record.answers.length = 0;
      record.startupConfig = null;
      record.ctrlC = record.escapes = record.typeahead = 0;
    },
    async stop() {
      for (const client of clients) destroy(client);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * ssh2's generator drops a leading zero byte of the public key about once in 300 keys, and
 * then cannot parse its own output: retry until the key parses.
 */
export function generateEd25519KeyPair(): { private: string; public: string } {
  for (let attempt = 0; ; attempt++) {
    const keys = utils.generateKeyPairSync('ed25519');
    if (!(utils.parseKey(keys.private) instanceof Error) || attempt > 20) return keys;
  }
}

function fingerprint(publicKey: string): string {
  const blob = (utils.parseKey(publicKey) as ParsedKey).getPublicSSH();
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** ssh2 keeps the server-side socket private. */
function socketOf(client: Connection): Socket | undefined {
  return (client as unknown as { _sock?: Socket })._sock;
}

/** Ends a connection at once. */
function destroy(client: Connection): void {
  socketOf(client)?.destroy();
}

function authenticate(ctx: AuthContext, options: FakeDevice['options'], keys: ParsedKey[], record: DeviceRecord): void {
  const methods: AuthContext['method'][] = options.passwordAuth ? ['password', 'publickey'] : ['publickey'];
  if (options.keyboardInteractive) methods.push('keyboard-interactive');
  const verdict = (ok: boolean) => {
    record.authMethods.push(`${ctx.method}:${ok ? 'ok' : 'fail'}`);
    return ok ? ctx.accept() : ctx.reject(methods);
  };
  if (options.refuseAuth || ctx.username !== options.username) return verdict(false);
  switch (ctx.method) {
    case 'password':
      return verdict(options.passwordAuth && ctx.password === options.password);
    case 'keyboard-interactive':
      if (!options.keyboardInteractive) return verdict(false);
      return ctx.prompt([{ prompt: 'Password: ', echo: false }], (answers) => verdict(answers[0] === options.password));
    case 'publickey': {
      const key = keys.find((k) => k.getPublicSSH().equals(ctx.key.data));
      if (!key) return verdict(false);
      // Without a signature the client only asks whether this key would do.
      if (!ctx.signature) return ctx.accept();
      return verdict(key.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) === true);
    }
    default:
      return ctx.reject(methods);
  }
}

function serveSession(session: Session, client: Connection, options: CliOptions, record: DeviceRecord): void {
  session.on('pty', (accept) => accept?.());
  session.on('window-change', (accept) => accept?.());
  session.on('env', (accept) => accept?.());
  session.on('shell', (accept) => {
    const stream = accept();
    const cli = createCli(options, hooks(stream, client, record));
    stream.on('data', (data: Buffer) => cli.input(data.toString('utf8')));
    stream.on('close', () => cli.close());
    client.on('close', () => cli.close());
    cli.start();
  });
  session.on('exec', (accept, _reject, info) => {
    const stream = accept();
    const cli = createCli(options, hooks(stream, client, record), true);
    stream.on('close', () => cli.close());
    client.on('close', () => cli.close());
    cli.runExec(info.command);
  });
}

function hooks(stream: ServerChannel, client: Connection, record: DeviceRecord): CliHooks {
  let ended = false;
  return {
    record,
    write: (text) => {
      if (!ended) stream.write(text);
    },
    drop: () => {
      ended = true;
      client.end();
    },
    logout: (code) => {
      if (ended) return;
      ended = true;
      stream.exit(code);
      stream.end();
    },
  };
}

/** A TCP server that accepts connections and never says anything (for connect timeouts). */
export async function startSilentTcpServer(host = '127.0.0.1'): Promise<{ host: string; port: number; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: NetServer = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, host, () => resolve()));
  return {
    host,
    port: (server.address() as AddressInfo).port,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on (for connection refused). */
export async function closedPort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, host, () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
