/**
 * The fake device on its own, through a bare ssh2 client: it must page long outputs until
 * `terminal length 0`, answer exec requests, and keep its record, or the driver tests built
 * on it prove nothing.
 */
import { Client, ClientChannel } from 'ssh2';
import { FakeDevice, outputs, startFakeDevice } from './index';
import { MORE } from './terminal';

interface RawShell {
  channel: ClientChannel;
  /** resolves with everything received once `pattern` matches it */
  until(pattern: RegExp): Promise<string>;
}

function connect(device: FakeDevice): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.once('ready', () => resolve(client)).once('error', reject);
    client.connect({ host: device.host, port: device.port, username: 'admin', password: device.options.password });
  });
}

function openShell(client: Client): Promise<RawShell> {
  return new Promise((resolve, reject) => {
    client.shell({ term: 'vt100', cols: 200, rows: 24 }, (err, channel) => {
      if (err) return reject(err);
      let buffer = '';
      let waiter: { pattern: RegExp; resolve: (text: string) => void } | undefined;
      const check = () => {
        if (waiter && waiter.pattern.test(buffer)) {
          const text = buffer;
          buffer = '';
          const w = waiter;
          waiter = undefined;
          w.resolve(text);
        }
      };
      channel.on('data', (d: Buffer) => {
        buffer += d.toString();
        check();
      });
      resolve({
        channel,
        until: (pattern) =>
          new Promise((res) => {
            waiter = { pattern, resolve: res };
            check();
          }),
      });
    });
  });
}

function exec(client: Client, command: string): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, channel) => {
      if (err) return reject(err);
      let stdout = '';
      let code = -1;
      channel.on('data', (d: Buffer) => (stdout += d.toString()));
      channel.on('exit', (c: number) => (code = c));
      channel.on('close', () => resolve({ code, stdout }));
    });
  });
}

describe('fake device', () => {
  let device: FakeDevice;
  let client: Client;

  beforeAll(async () => {
    device = await startFakeDevice({ flavor: 'cisco_ios', pageLength: 10 });
    client = await connect(device);
  });
  afterAll(async () => {
    client?.end();
    await device?.stop();
  });

  test('pages long outputs with --More-- until terminal length 0', async () => {
    const shell = await openShell(client);
    await shell.until(/Router>$/);
    shell.channel.write('show ip interface brief\r');
    const firstPage = await shell.until(/--More-- $/);
    expect(firstPage.endsWith(MORE)).toBe(true);
    expect(firstPage.split('\r\n')).toHaveLength(1 + 9 + 1); // echo, 9 lines, --More--
    shell.channel.write(' ');
    await shell.until(/--More-- $/);
    shell.channel.write('q');
    await shell.until(/Router>$/);
    shell.channel.write('terminal length 0\r');
    await shell.until(/Router>$/);
    shell.channel.write('show ip interface brief\r');
    const whole = await shell.until(/Router>$/);
    expect(whole).not.toContain('--More--');
    expect(whole).toContain(outputs.showIpInterfaceBrief('cisco_ios', 48).at(-1));
    shell.channel.end();
  });

  test('answers exec requests without echo or prompt', async () => {
    const result = await exec(client, 'show version');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(outputs.showVersion('cisco_ios', 'Router').join('\r\n') + '\r\n');
    const bad = await exec(client, 'show nonsense');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('% Invalid input detected');
  });

  test('records commands, never the enable secret, and Ctrl-C', async () => {
    device.resetRecord();
    const shell = await openShell(client);
    await shell.until(/Router>$/);
    shell.channel.write(`enable\r${device.options.secret}\r`);
    await shell.until(/Router#$/);
    shell.channel.write('show hang\r');
    await shell.until(/please wait\.\.\.\r\n$/);
    shell.channel.write('\x03');
    const after = await shell.until(/Router#$/);
    expect(after).toBe('^C\r\nRouter#');
    expect(device.record.commands).toEqual(['enable', 'show hang']);
    expect(device.record.ctrlC).toBe(1);
    expect(JSON.stringify(device.record)).not.toContain(device.options.secret);
    shell.channel.end();
  });

  test("IOS's ping hears only the escape sequence: Ctrl-C is dropped, Ctrl-^ ends it with the success rate", async () => {
    device.resetRecord();
    const shell = await openShell(client);
    await shell.until(/Router>$/);
    shell.channel.write('ping 192.0.2.1 repeat 100000\r');
    await shell.until(/timeout is 2 seconds:\r\n\.+$/);
    shell.channel.write('\x03');
    // still pinging: more lost packets after the Ctrl-C, and no prompt
    const afterCtrlC = await shell.until(/\.{3}$|Router>$/);
    expect(afterCtrlC).not.toContain('Router>');
    shell.channel.write('\x1e');
    const end = await shell.until(/Router>$/);
    expect(end).toMatch(/^\.*\r\nSuccess rate is 0 percent \(0\/\d+\)\r\nRouter>$/);
    expect(device.record).toMatchObject({ ctrlC: 1, escapes: 1, commands: ['ping 192.0.2.1 repeat 100000'] });
    shell.channel.end();
  });

  test('prints the Cisco caret under the first bad word', async () => {
    const shell = await openShell(client);
    await shell.until(/Router>$/);
    shell.channel.write('show ip bogus\r');
    const text = await shell.until(/Router>$/);
    const lines = text.split('\r\n');
    expect(lines[1]).toBe(`${' '.repeat('Router>show ip '.length)}^`);
    expect(lines[2]).toBe("% Invalid input detected at '^' marker.");
    shell.channel.end();
  });
});
