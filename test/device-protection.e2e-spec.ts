import Redis from 'ioredis';
import { TestApi, startApi } from './support/api-app';
import { executeBody } from './support/device-job';
import { FakeDevice, startFakeDevice } from './support/fake-device/fake-device';
import { REDIS_URL, removeKeys, testEnv, uniquePrefix, waitFor } from './support/test-env';
import { WorkerProcess, startWorkerNode } from './support/worker-process';

type Job = { id: string; status: string; host: string; result: { type: string; error: { type: string; message: string } | null } | null };
type Lock = { host: string; locked_until: string; failures: number };

const ENDED = ['finished', 'failed', 'cancelled'];

/**
 * Device protection end to end: a wrong password in a bulk locks the host after AUTH_FAILURE_LIMIT failures instead
 * of hammering the device; the lock shows in /health and /metrics and is cleared by DELETE /device/lockout or by
 * time. Real node processes, the real API module, real Redis, fake SSH devices.
 */
describe('device protection end to end', () => {
  const prefix = uniquePrefix('protect');
  const env = testEnv(prefix, { FIFO_CONCURRENCY: '2' });
  let node: WorkerProcess;
  let api: TestApi;
  let device: FakeDevice;
  let other: FakeDevice;

  const job = async (id: string): Promise<Job> => (await api.http.get(`/job?id=${id}`).expect(200)).body.data[0] as Job;
  const ended = (id: string) => waitFor(async () => {
    const j = await job(id);
    return ENDED.includes(j.status) ? j : null;
  }, 30000);
  const wrong = (extra: Record<string, unknown> = {}) => executeBody(device, extra, { password: 'not-the-password' });
  const locks = async (): Promise<Lock[]> => (await api.http.get('/health').expect(200)).body.data.checks.devices.locked as Lock[];
  /** GET /health is cached for HEALTH_CACHE_MS: the report that shows no lock comes within that. */
  const noLocks = () => waitFor(async () => (await locks()).length === 0, 5000, 100);

  beforeAll(async () => {
    [device, other] = await Promise.all([
      startFakeDevice({ flavor: 'cisco_ios', host: '127.0.0.11', password: 'right-password' }),
      startFakeDevice({ flavor: 'cisco_ios', host: '127.0.0.12' }),
    ]);
    node = await startWorkerNode('protect-a', env);
    api = await startApi(env);
  });

  afterAll(async () => {
    await api?.close();
    await node?.stop();
    await Promise.all([device?.stop(), other?.stop()]);
    await removeKeys(prefix);
  });

  it('a bulk of 12 jobs with a wrong password: 3 logins reach the device, the rest fail DeviceLockedError without trying it', async () => {
    const res = await api.http.post('/device/bulk', { ...wrong(), devices: Array.from({ length: 12 }, () => ({})) }).expect(201);
    const { succeeded } = res.body.data as { succeeded: Job[] };
    expect(succeeded).toHaveLength(12);
    const results = await Promise.all(succeeded.map((j) => ended(j.id)));
    const types = results.map((j) => j.result?.error?.type);
    expect(types.filter((t) => t === 'AuthenticationError')).toHaveLength(3);
    expect(types.filter((t) => t === 'DeviceLockedError')).toHaveLength(9);
    expect(device.connectionsOpened).toBe(3);
    const locked = results.find((j) => j.result?.error?.type === 'DeviceLockedError')!;
    expect(locked.result!.error!.message).toMatch(/locked for another \d+ s after 3 consecutive authentication failures.*DELETE \/device\/lockout\?host=127\.0\.0\.11/);
  });

  it('refuses new jobs for the locked host with 423 saying why and until when, pinned, FIFO, bulk and test-connection alike', async () => {
    const before = Date.now();
    const res = await api.http.post('/device/execute', executeBody(device)).expect(423);
    expect(res.body).toMatchObject({ code: 423, data: null });
    expect(res.body.message).toMatch(/^Host 127\.0\.0\.11 is locked until (\S+): its last 3 jobs failed to authenticate/);
    const until = Date.parse(/locked until (\S+):/.exec(res.body.message)![1]);
    expect(until).toBeGreaterThan(before + 250_000); // AUTH_LOCKOUT default 300 s
    expect(until).toBeLessThan(before + 310_000);
    await api.http.post('/device/execute', executeBody(device, { options: { queue_strategy: 'fifo' } })).expect(423);
    await api.http.post('/device/test-connection', { driver: 'netmiko', connection_args: executeBody(device).connection_args }).expect(423);
    const bulk = await api.http.post('/device/bulk', { ...executeBody(device), devices: [{}, { host: other.host, port: other.port, password: other.options.password }] }).expect(201);
    expect(bulk.body.data.failed).toEqual([{ host: device.host, error: expect.stringMatching(/locked until/) }]);
    expect(bulk.body.data.succeeded.map((j: Job) => j.host)).toEqual([other.host]);
    expect((await ended(bulk.body.data.succeeded[0].id)).status).toBe('finished');
    expect(device.connectionsOpened).toBe(3);
  });

  it('lists the locked host in GET /health (status unchanged) and /metrics', async () => {
    const health = (await api.http.get('/health').expect(200)).body.data;
    expect(health.checks.devices).toEqual({ status: 'up', locked: [{ host: device.host, locked_until: expect.any(String), failures: 3 }] });
    expect(health.status).toBe(health.checks.redis.eviction_risk ? 'degraded' : 'ok'); // a lock degrades nothing
    const metrics = (await api.http.get('/metrics').expect(200)).text;
    expect(metrics).toContain(`netpulse_device_locked{host="${device.host}"} 1`);
  });

  it('DELETE /device/lockout clears the lock and the count: the host takes jobs again', async () => {
    await api.http.delete('/device/lockout').expect(400);
    await api.http.delete('/device/lockout?host=bad%20host').expect(400);
    const res = await api.http.delete(`/device/lockout?host=${device.host}`).expect(200);
    expect(res.body).toEqual({ code: 200, message: 'success', data: { host: device.host, cleared: true } });
    expect((await api.http.delete(`/device/lockout?host=${device.host}`).expect(200)).body.data).toEqual({ host: device.host, cleared: false });
    await noLocks();
    expect((await api.http.get('/metrics').expect(200)).text).not.toContain('netpulse_device_locked{');
    expect((await ended((await api.http.post('/device/execute', executeBody(device)).expect(201)).body.data.id)).status).toBe('finished');
    // the count starts again from zero: two more wrong passwords, a success in between resets it, no lock
    for (const body of [wrong(), wrong(), executeBody(device, { command: 'show clock' }), wrong(), wrong()]) {
      await ended((await api.http.post('/device/execute', body).expect(201)).body.data.id);
    }
    // Proving a negative: a lock set by the last failures would be visible within this time.
    await new Promise((r) => setTimeout(r, 1600));
    expect(await locks()).toEqual([]);
    await api.http.post('/device/execute', executeBody(device)).expect(201);
  });
});

describe('device lockout expiry', () => {
  const prefix = uniquePrefix('protect_expiry');
  const env = testEnv(prefix, { AUTH_FAILURE_LIMIT: '2', AUTH_LOCKOUT: '2' });
  let node: WorkerProcess;
  let api: TestApi;
  let device: FakeDevice;

  beforeAll(async () => {
    device = await startFakeDevice({ flavor: 'cisco_ios', host: '127.0.0.13', password: 'right-password' });
    node = await startWorkerNode('protect-b', env);
    api = await startApi(env);
  });

  afterAll(async () => {
    await api?.close();
    await node?.stop();
    await device?.stop();
    await removeKeys(prefix);
  });

  it('locks after AUTH_FAILURE_LIMIT failures and takes jobs again once AUTH_LOCKOUT has passed', async () => {
    for (let i = 0; i < 2; i++) {
      const id = (await api.http.post('/device/execute', executeBody(device, {}, { password: 'nope-nope' })).expect(201)).body.data.id;
      await waitFor(async () => ENDED.includes((await api.http.get(`/job?id=${id}`)).body.data[0].status), 20000);
    }
    const refused = await api.http.post('/device/execute', executeBody(device)).expect(423);
    expect(refused.body.message).toContain('its last 2 jobs failed to authenticate');
    const t0 = Date.now();
    const res = await waitFor(async () => {
      const r = await api.http.post('/device/execute', executeBody(device));
      return r.status === 201 ? r : null;
    }, 10000, 100);
    expect(Date.now() - t0).toBeLessThan(4000);
    const id = res.body.data.id as string;
    await waitFor(async () => (await api.http.get(`/job?id=${id}`)).body.data[0].status === 'finished', 20000);
    expect((await api.http.get('/health').expect(200)).body.data.checks.devices.locked).toEqual([]);
  });
});

describe('sessions per host end to end', () => {
  const prefix = uniquePrefix('protect_sessions');
  const env = testEnv(prefix, { FIFO_CONCURRENCY: '4', MAX_SESSIONS_PER_HOST: '2' });
  const nodes: WorkerProcess[] = [];
  let api: TestApi;
  let busy: FakeDevice;
  let quiet: FakeDevice;

  const fifo = (device: FakeDevice, command: string) => executeBody(device, { command, options: { queue_strategy: 'fifo' } });
  const ended = (id: string) => waitFor(async () => {
    const j = (await api.http.get(`/job?id=${id}`).expect(200)).body.data[0] as Job & { ended_at: string | null };
    return ENDED.includes(j.status) ? j : null;
  }, 60000, 50);

  beforeAll(async () => {
    [busy, quiet] = await Promise.all([
      startFakeDevice({ flavor: 'cisco_ios', host: '127.0.0.14', slowCommandMs: 400 }),
      startFakeDevice({ flavor: 'cisco_ios', host: '127.0.0.15' }),
    ]);
    nodes.push(...(await Promise.all(['sess-a', 'sess-b'].map((n) => startWorkerNode(n, env)))));
    api = await startApi(env);
  });

  afterAll(async () => {
    await api?.close();
    await Promise.all(nodes.map((n) => n.stop()));
    await Promise.all([busy?.stop(), quiet?.stop()]);
    await removeKeys(prefix);
  });

  it('a burst of 20 FIFO jobs to one host on 8 FIFO slots: never more than 2 sessions on the device, all finish, other hosts are not held up', async () => {
    const t0 = Date.now();
    const burst = await Promise.all(Array.from({ length: 20 }, async () =>
      (await api.http.post('/device/execute', fifo(busy, 'show slow')).expect(201)).body.data.id as string));
    await waitFor(async () => busy.openConnections >= 2, 15000);
    // while the busy host's jobs wait their turn, the FIFO slots stay free for other hosts
    const others = await Promise.all(Array.from({ length: 4 }, async () =>
      (await api.http.post('/device/execute', fifo(quiet, 'show clock')).expect(201)).body.data.id as string));
    const quietDone = await Promise.all(others.map(ended));
    expect(quietDone.every((j) => j.status === 'finished')).toBe(true);
    const quietAt = Date.now();
    const done = await Promise.all(burst.map(ended));
    const elapsed = Date.now() - t0;
    console.log(`20 FIFO jobs of 0.4 s on one host with MAX_SESSIONS_PER_HOST=2: all ended in ${elapsed} ms `
      + `(10 x 0.4 s = 4 s of device time at best), peak ${busy.peakConnections} sessions; 4 jobs on another host ended after ${quietAt - t0} ms`);
    expect(done.map((j) => j.status)).toEqual(burst.map(() => 'finished'));
    expect(busy.peakConnections).toBe(2);
    expect(busy.connectionsOpened).toBe(20);
    expect(quietAt).toBeLessThan(Date.parse(done.map((j) => j.ended_at!).sort().at(-1)!));
    expect(elapsed).toBeLessThan(30000);
    const redis = new Redis(REDIS_URL);
    try {
      expect(await redis.zcard(`${prefix}:hostrun:${busy.host}`)).toBe(0);
      expect(await redis.zcard(`${prefix}:hostwait:${busy.host}`)).toBe(0);
    } finally {
      redis.disconnect();
    }
  });
});
