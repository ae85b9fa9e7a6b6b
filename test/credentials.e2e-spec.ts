import { randomBytes } from 'node:crypto';
import { ApiProcess, startApiProcess } from './support/api-process';
import { CredentialsFile } from './support/credentials-file';
import { FakeDevice, startFakeDevice } from './support/fake-device/fake-device';
import { keysContaining } from './support/redis-inspect';
import { TEST_API_KEY, removeKeys, testEnv, uniquePrefix, waitFor } from './support/test-env';
import { WorkerProcess, startWorkerNode } from './support/worker-process';

type Job = { id: string; status: string; credential: string | null; result: { type: string; retval: unknown; error: { type: string } | null } | null };

/**
 * Issue 17, part 5: connection_args.credential, end to end with real API and worker node processes (their logs are
 * searched for the secret), real Redis (every key searched after the jobs), a fake device whose password is random.
 */
describe('credentials by reference', () => {
  const prefix = uniquePrefix('creds');
  const password = `pw-${randomBytes(9).toString('hex')}`;
  const secret = `en-${randomBytes(9).toString('hex')}`;
  const file = new CredentialsFile();
  const env = testEnv(prefix, { CREDENTIALS_FILE: file.path, AUTH_FAILURE_LIMIT: '0' });
  const bodies: string[] = [];
  let node: WorkerProcess;
  let api: ApiProcess;
  let device: FakeDevice;

  const call = async (method: string, path: string, body?: object): Promise<{ status: number; body: { data: unknown; message: string } }> => {
    const res = await fetch(`${api.base}${path}`, { method, headers: { 'X-API-KEY': TEST_API_KEY, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
    const text = await res.text();
    bodies.push(text);
    return { status: res.status, body: JSON.parse(text) as { data: unknown; message: string } };
  };
  const job = async (id: string) => ((await call('GET', `/job?id=${id}`)).body.data as Job[])[0];
  const run = async (args: Record<string, unknown>): Promise<Job> => {
    const res = await call('POST', '/device/execute', {
      driver: 'netmiko', connection_args: { device_type: 'cisco_ios', host: device.host, port: device.port, timeout: 5, ...args }, command: 'show version',
      options: { queue_strategy: 'fifo' },
    });
    expect(res.status).toBe(201);
    const id = (res.body.data as Job).id;
    return waitFor(async () => {
      const j = await job(id);
      return ['finished', 'failed'].includes(j.status) ? j : null;
    }, 15000);
  };

  beforeAll(async () => {
    device = await startFakeDevice({ flavor: 'cisco_ios', host: '127.0.0.31', password, secret });
    file.write({ lab: { username: 'admin', password, secret }, other: { username: 'nobody' } });
    node = await startWorkerNode('creds-a', env);
    api = await startApiProcess(env);
  });

  afterAll(async () => {
    await api?.stop('SIGKILL');
    await node?.stop('SIGKILL');
    await device?.stop();
    await removeKeys(prefix);
    file.remove();
  });

  it('logs in with a named set, stores the name only; inline fields win; an unknown name is 400', async () => {
    const ok = await run({ credential: 'lab' });
    expect(ok).toMatchObject({ status: 'finished', credential: 'lab', result: { type: 'success' } });
    const inlineWins = await run({ credential: 'lab', password: 'not-the-password' });
    expect(inlineWins.result?.error?.type).toBe('AuthenticationError');
    const unknown = await call('POST', '/device/execute', { driver: 'netmiko', connection_args: { device_type: 'cisco_ios', host: device.host, credential: 'nope' }, command: 'show version' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/nope/);
    const noUser = await call('POST', '/device/execute', { driver: 'netmiko', connection_args: { device_type: 'cisco_ios', host: device.host }, command: 'show version' });
    expect(noUser.status).toBe(400);
  });

  it('takes a rotated file on the next jobs, without a restart', async () => {
    file.write({ lab: { username: 'admin', password: 'rotated-wrong', secret } });
    // each node re-reads the file within a second: jobs until one sees the rotation
    await waitFor(async () => (await run({ credential: 'lab' })).result?.error?.type === 'AuthenticationError', 15000, 200);
    file.write({ lab: { username: 'admin', password, secret } });
    await waitFor(async () => (await run({ credential: 'lab' })).result?.type === 'success', 15000, 200);
    // a name removed from the file is refused at submit once the API has read it again
    file.write({ other: { username: 'nobody' } });
    await waitFor(async () => (await call('POST', '/device/execute', { driver: 'netmiko', connection_args: { device_type: 'cisco_ios', host: device.host, credential: 'lab' }, command: 'show version' })).status === 400);
    file.write({ lab: { username: 'admin', password, secret } });
  });

  it('leaves the secret in no response, log or Redis key after the jobs', async () => {
    expect(await keysContaining(prefix, password, secret)).toEqual([]);
    for (const text of bodies) expect(text).not.toContain(password);
    expect(api.output()).not.toContain(password);
    expect(node.output()).not.toContain(password);
    expect(node.output()).not.toContain(secret);
  });

  it('refuses to start with a world-readable file, naming it and its mode', async () => {
    const open = new CredentialsFile();
    open.write({ lab: { username: 'admin', password } }, 0o644);
    try {
      await expect(startWorkerNode('creds-open', { ...env, CREDENTIALS_FILE: open.path })).rejects.toThrow(/credentials\.yaml has mode 0644/);
    } finally {
      open.remove();
    }
  });
});
