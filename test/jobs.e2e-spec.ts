import Redis from 'ioredis';
import { createHash } from 'node:crypto';
import { JobStore } from '../src/jobs/job-store';
import * as lua from '../src/jobs/job-store.scripts';
import { QueueRegistry } from '../src/redis/queue-registry';
import { REDIS } from '../src/redis/redis.constants';
import { TestApi, startApi } from './support/api-app';
import { executeBody } from './support/device-job';
import { FakeDevice, startFakeDevice } from './support/fake-device/fake-device';
import { removeKeys, testEnv, uniquePrefix, waitFor } from './support/test-env';
import { WorkerProcess, startWorkerNode } from './support/worker-process';

/**
 * The job service end to end: the real API module in this process, a real worker node process,
 * real Redis, and a fake Cisco device over real SSH.
 */
const CREATE_SHA = createHash('sha1').update(lua.CREATE).digest('hex');

describe('jobs end to end', () => {
  const prefix = uniquePrefix('jobs');
  const env = testEnv(prefix, { JOB_RESULT_TTL: '120' });
  let api: TestApi;
  let node: WorkerProcess;
  let device: FakeDevice;
  let slowDevice: FakeDevice;

  type Job = { id: string; status: string; result: { type: string; retval: unknown; error: { type: string; message: string } | null } | null; [k: string]: unknown };

  /** The seed's wait_for_job_completion: poll GET /job?id= until the job has ended. */
  const waitForJobCompletion = (id: string, timeoutMs = 15000): Promise<Job> =>
    waitFor(async () => {
      const res = await api.http.get(`/job?id=${id}`).expect(200);
      const job = res.body.data[0] as Job | undefined;
      return job && ['finished', 'failed', 'cancelled'].includes(job.status) ? job : null;
    }, timeoutMs, 50);

  const submit = async (body: object): Promise<Job> => {
    const res = await api.http.post('/device/execute', body).expect(201);
    return res.body.data as Job;
  };

  beforeAll(async () => {
    [device, slowDevice] = await Promise.all([
      startFakeDevice({ flavor: 'cisco_ios', password: 'canary-Pa55word', secret: 'canary-En4ble' }),
      startFakeDevice({ flavor: 'arista_eos', hostname: 'eos1', slowCommandMs: 1500, host: '127.0.0.2' }),
    ]);
    node = await startWorkerNode('e2e-node-1', env);
    api = await startApi(env);
  });

  afterAll(async () => {
    await api?.close();
    await node?.stop();
    await Promise.all([device?.stop(), slowDevice?.stop()]);
    await removeKeys(prefix);
  });

  it('runs show version on a pinned worker: queued -> started -> finished with the device output', async () => {
    const queued = await submit(executeBody(device));
    expect(queued).toMatchObject({ status: 'queued', queue: `pinned_${device.host}`, host: device.host, node: 'e2e-node-1', worker: null, result: null });
    expect(queued.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);

    const job = await waitForJobCompletion(queued.id);
    expect(job.status).toBe('finished');
    expect(job.result).toMatchObject({ type: 'success', error: null });
    expect(job.result!.retval).toEqual(expect.stringContaining('Cisco IOS Software'));
    expect(job.worker).toBe(`pinned-${device.host}@e2e-node-1`);
    expect(job.duration).toBeGreaterThanOrEqual(0);
    expect(job.queue_time).toBeGreaterThanOrEqual(0);
    expect(Date.parse(job.ended_at as string)).toBeGreaterThanOrEqual(Date.parse(job.started_at as string));
    expect(JSON.stringify(job)).not.toMatch(/canary/);
  });

  it('keeps the pinned session open across jobs and runs them in order', async () => {
    const before = device.connectionsOpened;
    const jobs = [];
    for (const cmd of ['show clock', 'show version', 'show ip interface brief']) jobs.push(await submit(executeBody(device, { command: cmd })));
    const done = await Promise.all(jobs.map((j) => waitForJobCompletion(j.id)));
    expect(done.map((j) => j.status)).toEqual(['finished', 'finished', 'finished']);
    const started = done.map((j) => Date.parse(j.started_at as string));
    expect([...started].sort((a, b) => a - b)).toEqual(started);
    expect(device.connectionsOpened).toBe(before);
  });

  it('runs FIFO jobs on a new connection each, and several commands keyed by command', async () => {
    const before = device.connectionsOpened;
    const job = await submit(executeBody(device, { command: ['show version', 'show clock'], options: { queue_strategy: 'fifo' } }));
    expect(job.queue).toBe('FifoQ');
    const done = await waitForJobCompletion(job.id);
    expect(done.status).toBe('finished');
    expect(Object.keys(done.result!.retval as object)).toEqual(['show version', 'show clock']);
    expect(done.worker).toMatch(/^fifo-\d+@e2e-node-1$/);
    expect(device.connectionsOpened).toBe(before + 1);
  });

  it('applies config lines in config mode', async () => {
    const job = await submit(executeBody(device, { command: undefined, config: ['interface Gi0/1', ' description uplink-e2e'] }));
    const done = await waitForJobCompletion(job.id);
    expect(done.status).toBe('finished');
    expect(device.record.configLines).toEqual(expect.arrayContaining(['interface Gi0/1', 'description uplink-e2e']));
  });

  it('fails with typed errors: rejected command, wrong password (never echoed), timeout', async () => {
    const rejected = await waitForJobCompletion((await submit(executeBody(device, { command: 'show nonsense' }))).id);
    expect(rejected).toMatchObject({ status: 'failed', result: { type: 'failed', error: { type: 'CommandRejectedError' } } });

    const wrongPw = await submit(executeBody(device, { options: { queue_strategy: 'fifo' } }, { password: 'canary-WRONG-pw' }));
    const auth = await waitForJobCompletion(wrongPw.id);
    expect(auth).toMatchObject({ status: 'failed', result: { type: 'failed', error: { type: 'AuthenticationError' } } });
    expect(JSON.stringify(auth)).not.toContain('canary');

    const hang = await submit(executeBody(device, { command: 'show hang', options: { ttl: 1, queue_strategy: 'fifo' } }));
    const timedOut = await waitForJobCompletion(hang.id);
    expect(timedOut).toMatchObject({ status: 'failed', result: { type: 'timeout', error: { type: 'TimeoutError' } } });
    expect(node.output()).not.toContain('canary');
  });

  it('filters by id, queue, status, host and node, newest first', async () => {
    const a = await submit(executeBody(slowDevice, { command: 'show version' }));
    const b = await submit(executeBody(slowDevice, { command: 'show version', options: { queue_strategy: 'fifo' } }));
    await Promise.all([waitForJobCompletion(a.id), waitForJobCompletion(b.id)]);
    const ids = async (query: string) => ((await api.http.get(`/job?${query}`).expect(200)).body.data as Job[]).map((j) => j.id);

    expect(await ids(`id=${a.id}&queue=FifoQ`)).toEqual([a.id]);
    expect(await ids('id=does_not_exist')).toEqual([]);
    expect(await ids(`host=${slowDevice.host}&status=finished`)).toEqual(expect.arrayContaining([b.id, a.id]));
    expect(await ids(`queue=pinned_${slowDevice.host}`)).toContain(a.id);
    expect(await ids(`queue=pinned_${slowDevice.host}`)).not.toContain(b.id);
    expect(await ids(`queue=FifoQ&host=${slowDevice.host}`)).toEqual([b.id]);
    const byNode = await ids('node=e2e-node-1&status=finished');
    expect(byNode.indexOf(b.id)).toBeLessThan(byNode.indexOf(a.id));
    expect(await ids('node=no-such-node')).toEqual([]);
  });

  it('fields= gives each job only the fields named, in the view\'s order, on lists and by id; unknown names are a 400', async () => {
    const done = await waitForJobCompletion((await submit(executeBody(device, { command: ['show clock', 'show version'] }))).id);
    const full = (await api.http.get(`/job?id=${done.id}`).expect(200)).body.data[0] as Job;
    const page = async (query: string) => (await api.http.get(`/job?${query}`).expect(200)).body.data as Record<string, unknown>[];

    const states = await page(`host=${device.host}&status=finished&fields=ended_at,status,id`);
    expect(states.length).toBeGreaterThan(0);
    for (const job of states) expect(Object.keys(job)).toEqual(['id', 'status', 'ended_at']);
    expect(states.find((j) => j.id === done.id)).toEqual({ id: done.id, status: 'finished', ended_at: full.ended_at });
    // fields from the job's document (request, result) are the same as in the full view
    const [withDoc] = await page(`id=${done.id}&fields=id,result,command,duration,batch_id`);
    expect(withDoc).toEqual({ id: done.id, result: full.result, command: full.command, duration: full.duration, batch_id: null });
    const listed = (await page(`host=${device.host}&fields=result,command,id`)).find((j) => j.id === done.id);
    expect(listed).toEqual({ id: done.id, result: full.result, command: full.command });

    const bad = await api.http.get('/job?fields=id,password,status').expect(400);
    expect(bad.body).toMatchObject({ code: 400, data: [{ field: 'fields', error: expect.stringContaining('unknown field(s) "password"') }] });
    await api.http.get('/job?fields=').expect(400);
    await api.http.get('/job?fields=id,,status').expect(400);
  });

  it('cancels queued jobs by id, queue and host; they never run', async () => {
    // One slow job keeps the pinned worker busy, so the next ones stay queued.
    const blocker = await submit(executeBody(slowDevice, { command: 'show slow' }));
    const queued = [];
    for (let i = 0; i < 6; i++) queued.push(await submit(executeBody(slowDevice, { command: 'show clock' })));
    const clocksBefore = slowDevice.record.commands.filter((c) => c === 'show clock').length;

    const one = await api.http.delete(`/job?id=${queued[0].id}`).expect(200);
    expect(one.body.data).toEqual({ cancelled_count: 1, cancelled_jobs: [queued[0].id] });
    const byQueue = await api.http.delete(`/job?queue=pinned_${slowDevice.host}`).expect(200);
    expect(byQueue.body.data.cancelled_jobs.sort()).toEqual(queued.slice(1).map((j) => j.id).sort());
    const byHost = await api.http.delete(`/job?host=${slowDevice.host}`).expect(200);
    expect(byHost.body.data).toEqual({ cancelled_count: 0, cancelled_jobs: [] });

    await waitForJobCompletion(blocker.id);
    await new Promise((r) => setTimeout(r, 300));
    for (const j of queued) expect((await waitForJobCompletion(j.id)).status).toBe('cancelled');
    expect(slowDevice.record.commands.filter((c) => c === 'show clock').length).toBe(clocksBefore);
    const listed = await api.http.get(`/job?status=cancelled&host=${slowDevice.host}`).expect(200);
    expect(listed.body.data).toHaveLength(6);
  });

  it('answers 404 for an unknown id, 409 for a started or ended job, 400 without a filter', async () => {
    const res404 = await api.http.delete('/job?id=unknown_job').expect(404);
    expect(res404.body).toMatchObject({ code: 404, data: null });
    const done = await waitForJobCompletion((await submit(executeBody(device))).id);
    const res409 = await api.http.delete(`/job?id=${done.id}`).expect(409);
    expect(res409.body.message).toContain('finished');
    const res400 = await api.http.delete('/job').expect(400);
    expect(res400.body.code).toBe(400);
  });

  it('a cancel racing a FIFO worker either cancels a job or lets it run, never both', async () => {
    const racer = await startFakeDevice({ flavor: 'cisco_ios', hostname: 'racer', host: '127.0.0.3' });
    try {
      const jobs = await Promise.all(Array.from({ length: 30 }, () => submit(executeBody(racer, { options: { queue_strategy: 'fifo' } }))));
      const cancels = await Promise.all(jobs.map((j) => api.http.delete(`/job?id=${j.id}`)));
      const ended = await Promise.all(jobs.map((j) => waitForJobCompletion(j.id)));
      for (const [i, res] of cancels.entries()) {
        expect([200, 409]).toContain(res.status);
        expect(ended[i].status).toBe(res.status === 200 ? 'cancelled' : 'finished');
      }
      const ran = ended.filter((j) => j.status === 'finished').length;
      expect(racer.record.commands.filter((c) => c === 'show version')).toHaveLength(ran);
    } finally {
      await racer.stop();
    }
  });

  it("keeps BullMQ's per-queue event stream short (nothing reads it; a pinned queue per device would pile up)", async () => {
    const queues = api.app.get(QueueRegistry);
    const redis = api.app.get<Redis>(REDIS);
    const name = 'pinned_127.0.0.250';
    for (let i = 0; i < 600; i++) await queues.add(name, `events-check-${i}`);
    // Each add writes two events; trimming is approximate (whole stream nodes of 100 entries).
    expect(await redis.xlen(`${prefix}:bull:${name}:events`)).toBeLessThan(300);
  });

  it('sends the record and the BullMQ add on one connection, the record first (one round trip per submit)', async () => {
    const redis = api.app.get<Redis>(REDIS);
    // Redis runs one connection's commands in order: a worker cannot fetch the job before its record exists.
    // (BullMQ wraps the connection it is given in a proxy: compare the sockets.)
    const socketOf = async (queue: string) => ((await api.app.get(QueueRegistry).get(queue).getBackend().client) as unknown as Redis).stream;
    expect(await socketOf('FifoQ')).toBe(redis.stream);
    expect(await socketOf('pinned_127.0.0.251')).toBe(redis.stream);
    // What goes over the connection during one submit: the record's CREATE must be written first, and BullMQ's
    // add written before CREATE's reply is back (no second round trip). Every job has a priority (options.priority,
    // default 5), so BullMQ's add is its prioritized add.
    const events: string[] = [];
    const original = redis.sendCommand.bind(redis);
    const send = jest.spyOn(redis, 'sendCommand').mockImplementation((command, stream) => {
      const args = command.args.map(String);
      const what = args.includes(CREATE_SHA) || args.includes(lua.CREATE) ? 'create' : args.some((a) => /:bull:FifoQ:(wait|prioritized)$/.test(a)) ? 'add' : null;
      if (what) {
        events.push(`send ${what}`);
        void command.promise.then(() => events.push(`reply ${what}`), () => undefined);
      }
      return original(command, stream);
    });
    let job: Job;
    try {
      job = await submit(executeBody(device, { options: { queue_strategy: 'fifo' } }));
    } finally {
      send.mockRestore();
    }
    expect(events.slice(0, 3)).toEqual(['send create', 'send add', 'reply create']);
    const stored = (await api.http.get(`/job?id=${job.id}`).expect(200)).body.data[0] as Job;
    // created_at is the Redis clock as the record saw it; the id's time part is the submitter's estimate of it.
    expect(stored.created_at).toBe(job.created_at);
    expect(Math.abs(parseInt(job.id.slice(0, 12), 16) - Date.parse(String(job.created_at)))).toBeLessThan(1000);
    await waitForJobCompletion(job.id);
  });

  it('a submit whose BullMQ add fails answers an error and leaves no queued job behind', async () => {
    const queues = api.app.get(QueueRegistry);
    const host = '127.0.0.252';
    const add = jest.spyOn(queues, 'add').mockRejectedValueOnce(new Error('simulated add failure'));
    try {
      const res = await api.http.post('/device/execute', executeBody({ ...device, host } as FakeDevice, { options: { queue_strategy: 'fifo' } }));
      expect(res.status).toBeGreaterThanOrEqual(500);
      expect(res.body.code).toBe(res.status);
      // the id to quote is the request's own, as in its x-request-id header and the log lines
      expect(res.body.message).toContain(res.headers['x-request-id']);
    } finally {
      add.mockRestore();
    }
    // (the record was written, then cancelled with no retention: the sweeper may already have deleted it)
    expect((await api.http.get(`/job?host=${host}&status=queued`).expect(200)).body.data).toEqual([]);
  });

  it('pages through a few thousand jobs with no duplicates and no gaps', async () => {
    const store = api.app.get(JobStore);
    const host = '127.0.0.99';
    const created = new Set<string>();
    const request = { kind: 'execute' as const, driver: 'netmiko', device_type: 'cisco_ios', host, port: 22, username: 'u', queue_strategy: 'fifo' as const, timeout: 30 };
    for (let i = 0; i < 2500; i++) created.add(await store.create({ queue: 'FifoQ', host, request, secrets: {}, queuedTtlMs: 600_000 }, 600_000));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { data: Job[]; page: { limit: number; next_cursor: string | null } }; headers: Record<string, string> } =
        await api.http.get(`/job?host=${host}&limit=333${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
      seen.push(...(res.body.data as Job[]).map((j) => j.id));
      // The page is written as text (stored results spliced in): still the envelope, as JSON, in its key order.
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(Object.keys(res.body)).toEqual(['code', 'message', 'data', 'page']);
      expect(res.body.page.limit).toBe(333);
      cursor = res.body.page.next_cursor;
    } while (cursor);
    expect(seen).toHaveLength(2500);
    expect(new Set(seen)).toEqual(created);
    expect(seen).toEqual([...seen].sort().reverse());
    await api.http.delete(`/job?host=${host}`).expect(200);
  });
});
