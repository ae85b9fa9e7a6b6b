import { TestApi, startApi } from './support/api-app';
import { executeBody } from './support/device-job';
import { FakeDevice, closedPort, startFakeDevice } from './support/fake-device/fake-device';
import { removeKeys, testEnv, uniquePrefix, waitFor } from './support/test-env';
import { WorkerProcess, startWorkerNode } from './support/worker-process';

type Job = {
  id: string; status: string; queue: string; created_at: string; enqueued_at: string | null; started_at: string | null; run_at: string | null;
  priority: number; attempts: number; retry: object | null; result: { type: string; error: { type: string } | null } | null;
};

/** Issue 17, parts 1, 2 and 4, end to end: a real worker node, the real API, real Redis, fake devices. */
describe('scheduled, prioritised and retried jobs', () => {
  const prefix = uniquePrefix('timing');
  const env = testEnv(prefix, { FIFO_CONCURRENCY: '1' });
  let node: WorkerProcess;
  let api: TestApi;
  let device: FakeDevice;

  const submit = async (body: object): Promise<Job> => (await api.http.post('/device/execute', body).expect(201)).body.data as Job;
  const job = async (id: string): Promise<Job> => (await api.http.get(`/job?id=${id}`).expect(200)).body.data[0] as Job;
  const ended = (id: string, timeoutMs = 15000) => waitFor(async () => {
    const j = await job(id);
    return ['finished', 'failed', 'cancelled'].includes(j.status) ? j : null;
  }, timeoutMs);
  const ms = (iso: string | null) => Date.parse(String(iso));

  beforeAll(async () => {
    device = await startFakeDevice({ flavor: 'cisco_ios', host: '127.0.0.21' });
    node = await startWorkerNode('timing-a', env);
    api = await startApi(env);
  });

  afterAll(async () => {
    await api?.close();
    await node?.stop('SIGKILL');
    await device?.stop();
    await removeKeys(prefix);
  });

  it('keeps a job delayed 2 s scheduled (listed, with run_at), then starts it after 2 s, not before', async () => {
    const submitted = await submit(executeBody(device, { options: { delay: 2 } }));
    expect(submitted).toMatchObject({ status: 'scheduled', enqueued_at: null, attempts: 0, priority: 5 });
    expect(ms(submitted.run_at) - ms(submitted.created_at)).toBeGreaterThan(1900);
    expect(ms(submitted.run_at) - ms(submitted.created_at)).toBeLessThan(2100);
    const listed = (await api.http.get('/job?status=scheduled').expect(200)).body.data as Job[];
    expect(listed.map((j) => j.id)).toContain(submitted.id);
    const done = await ended(submitted.id);
    expect(done).toMatchObject({ status: 'finished', attempts: 1 });
    expect(ms(done.started_at)).toBeGreaterThanOrEqual(ms(submitted.run_at));
    // queued at its run time: its queue time counts from then
    expect(done.enqueued_at).toBe(submitted.run_at);
  });

  it('cancels scheduled jobs like queued ones, by id and by host; refuses a run_at without offset or with delay', async () => {
    const inAnHour = new Date(Date.now() + 3600_000).toISOString().replace('Z', '+00:00');
    const a = await submit(executeBody(device, { options: { run_at: inAnHour } }));
    const b = await submit(executeBody(device, { options: { delay: 600 } }));
    expect([a.status, b.status]).toEqual(['scheduled', 'scheduled']);
    expect(ms(a.run_at)).toBe(ms(inAnHour));
    await api.http.delete(`/job?id=${a.id}`).expect(200);
    const byHost = (await api.http.delete(`/job?host=${device.host}`).expect(200)).body.data as { cancelled_jobs: string[] };
    expect(byHost.cancelled_jobs).toEqual([b.id]);
    expect((await job(a.id)).status).toBe('cancelled');
    expect((await job(b.id)).status).toBe('cancelled');
    for (const options of [{ run_at: '2030-01-01T02:00:00' }, { run_at: inAnHour, delay: 5 }, { delay: -1 }, { priority: 11 }, { retry: { attempts: 11 } }]) {
      const res = await api.http.post('/device/execute', executeBody(device, { options })).expect(400);
      expect(res.body.data?.[0]?.field ?? '').toMatch(/^options/);
    }
  });

  it.each(['pinned', 'fifo'])('reorders a queued %s backlog by priority, equal priorities in submit order', async (strategy) => {
    const options = { queue_strategy: strategy };
    const blocker = await submit(executeBody(device, { command: 'show hang', options }));
    await waitFor(async () => (await job(blocker.id)).status === 'started');
    const backlog: { id: string; priority?: number }[] = [];
    for (const priority of [10, undefined, 1, 5, 1, 10, 3]) {
      const j = await submit(executeBody(device, { options: { ...options, ...(priority ? { priority } : {}) } }));
      backlog.push({ id: j.id, priority });
    }
    await api.http.delete(`/job?id=${blocker.id}&force=true`).expect(200);
    const done = await Promise.all(backlog.map((b) => ended(b.id)));
    expect(done.every((j) => j.status === 'finished')).toBe(true);
    const ran = [...done].sort((x, y) => ms(x.started_at) - ms(y.started_at)).map((j) => j.id);
    const expected = backlog.map((b, i) => ({ ...b, i, p: b.priority ?? 5 })).sort((x, y) => x.p - y.p || x.i - y.i).map((b) => b.id);
    expect(ran).toEqual(expected);
  });

  it('retries a connection refused until the device comes up on the third attempt; scheduled between attempts', async () => {
    const host = '127.0.0.22';
    const port = await closedPort(host);
    const submitted = await submit(executeBody(device, { options: { retry: { attempts: 3, backoff: 'fixed', delay: 1 } } }, { host, port }));
    // after the second refused attempt the job waits for its third: the device comes up meanwhile
    const waiting = await waitFor(async () => {
      const j = await job(submitted.id);
      return j.status === 'scheduled' && j.attempts === 2 ? j : null;
    });
    expect(waiting.started_at).toBeNull();
    const late = await startFakeDevice({ flavor: 'cisco_ios', host, port });
    try {
      const done = await ended(submitted.id);
      expect(done).toMatchObject({ status: 'finished', attempts: 3, result: { type: 'success' } });
    } finally {
      await late.stop();
    }
  });

  it('gives up after the last attempt, and never retries an authentication failure', async () => {
    const host = '127.0.0.24';
    const port = await closedPort(host);
    const refused = await submit(executeBody(device, { options: { queue_strategy: 'fifo', retry: { attempts: 2, backoff: 'exponential', delay: 0.2 } } }, { host, port }));
    const wrong = await submit(executeBody(device, { options: { retry: { attempts: 3, delay: 0.2 } } }, { password: 'not-the-password' }));
    expect(await ended(refused.id)).toMatchObject({ status: 'failed', attempts: 2, result: { error: { type: 'ConnectionRefusedError' } } });
    expect(await ended(wrong.id)).toMatchObject({ status: 'failed', attempts: 1, result: { error: { type: 'AuthenticationError' } } });
  });
});
