import Redis from 'ioredis';
import { RedisConnections } from '../src/redis/redis-connections';
import { FleetStore } from '../src/workers/fleet-store';
import { ApiProcess, startApiProcess } from './support/api-process';
import { executeBody } from './support/device-job';
import { FakeDevice, startFakeDevice } from './support/fake-device/fake-device';
import { OwnRedis, redisServerRequirement, startOwnRedis } from './support/redis-server';
import { describeRequiring } from './support/requirements';
import { TEST_API_KEY, testEnv, uniquePrefix, waitFor } from './support/test-env';
import { WorkerProcess, startWorkerNode } from './support/worker-process';


/**
 * Operations with real processes on a Redis of the test's own (so it can be stopped and reconfigured):
 * health states, metrics moving with jobs, logs without secrets, graceful shutdown of nodes and the API.
 */
describeRequiring(redisServerRequirement, 'operations (real processes, own redis-server)', () => {
  const prefix = uniquePrefix('ops');
  let redis: OwnRedis;
  let env: Record<string, string>;
  let api: ApiProcess;
  let node: WorkerProcess;
  let device: FakeDevice;
  const CANARY_PW = 'canary-0ps-Pa55';
  const CANARY_SECRET = 'canary-0ps-En4ble';

  const call = async (path: string, init: RequestInit & { accept?: string } = {}) => {
    const res = await fetch(`${api.base}${path}`, {
      ...init,
      headers: { 'X-API-KEY': TEST_API_KEY, 'content-type': 'application/json', accept: init.accept ?? 'application/json', ...(init.headers ?? {}) },
    });
    const text = await res.text();
    return { status: res.status, text, body: text.startsWith('{') ? JSON.parse(text) : null };
  };
  const submit = async (body: object) => {
    const res = await call('/device/execute', { method: 'POST', body: JSON.stringify(body) });
    // Name the answer when a submit is refused: a bare "cannot read id of null" hides why.
    if (res.status !== 201) throw new Error(`submit answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body.data as { id: string };
  };
  const ended = (id: string) => waitFor(async () => {
    const job = (await call(`/job?id=${id}`)).body.data[0];
    return job && ['finished', 'failed', 'cancelled'].includes(job.status) ? job : null;
  }, 20000);
  const metric = (text: string, line: string) => Number(new RegExp(`^${line.replace(/[{}"]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? 'NaN');

  beforeAll(async () => {
    redis = await startOwnRedis();
    env = testEnv(prefix, { REDIS_URL: redis.url, HEALTH_CACHE_MS: '0', LOG_LEVEL: 'info', SHUTDOWN_GRACE: '10' });
    device = await startFakeDevice({ flavor: 'cisco_ios', host: '127.0.0.7', password: CANARY_PW, secret: CANARY_SECRET, slowCommandMs: 2000 });
    node = await startWorkerNode('ops-node', env);
    api = await startApiProcess(env);
  });

  afterAll(async () => {
    await api?.stop('SIGKILL');
    await node?.stop('SIGKILL');
    await device?.stop();
    await redis?.stop();
  });

  it('metrics move as jobs run, and /health answers Prometheus text when asked', async () => {
    const before = (await call('/metrics', { accept: 'text/plain' })).text;
    const done = await ended((await submit(executeBody(device))).id);
    expect(done.status).toBe('finished');
    // Job figures are tallied by each process and added to Redis every second: they may lag the job by that much.
    const finished = 'netpulse_jobs_finished_total{queue_type="pinned"}';
    const after = await waitFor(async () => {
      const text = (await call('/health', { accept: 'text/plain' })).text;
      return metric(text, finished) === (metric(before, finished) || 0) + 1 ? text : null;
    }, 5000, 100);
    expect(metric(after, 'netpulse_job_run_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(after).toMatch(/^netpulse_http_request_duration_seconds_bucket\{.*route="\/device\/execute".*\} \d+/m);
    expect(after).toMatch(/^netpulse_workers\{status="idle"\} \d+/m);
    expect((await fetch(`${api.base}/metrics`)).status).toBe(401); // METRICS_PUBLIC is false by default
  });

  it('keeps credentials out of every log line, with request ids and no probe noise at info', async () => {
    const res = await fetch(`${api.base}/job`, { headers: { 'X-API-KEY': TEST_API_KEY, 'X-Request-Id': 'req-ops-123' } });
    expect(res.headers.get('x-request-id')).toBe('req-ops-123');
    await fetch(`${api.base}/health/live`);
    const failed = await ended((await submit(executeBody(device, { options: { queue_strategy: 'fifo' } }, { password: `${CANARY_PW}-wrong` }))).id);
    expect(failed.result.error.type).toBe('AuthenticationError');
    await ended((await submit(executeBody(device, { command: undefined, config: ['interface Gi0/2', ` description ${'x'}`] }))).id);
    const logs = api.output() + node.output();
    expect(logs).toContain('"id":"req-ops-123"');
    expect(logs).not.toContain('canary');
    expect(logs).not.toContain(TEST_API_KEY);
    expect(logs).not.toMatch(/"url":"\/health\/live"/);
  });

  it('reports degraded when the eviction policy can drop jobs, and down (503) while Redis is gone', async () => {
    expect((await call('/health')).body.data.status).toBe('ok');
    const admin = new Redis(redis.url);
    await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
    const degraded = await call('/health');
    expect(degraded.status).toBe(200);
    expect(degraded.body.data).toMatchObject({ status: 'degraded', checks: { redis: { maxmemory_policy: 'allkeys-lru', eviction_risk: true } } });
    await admin.config('SET', 'maxmemory-policy', 'noeviction');
    admin.disconnect();

    await redis.stop();
    const down = await call('/health');
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ code: 503, data: { status: 'down' } });
    expect((await fetch(`${api.base}/health/ready`)).status).toBe(503);
    expect((await fetch(`${api.base}/health/live`)).status).toBe(200);
    await redis.start();
    await waitFor(async () => (await call('/health')).body?.data?.status === 'ok', 15000, 200).catch((e) => { console.log(node.output().slice(-4000)); throw e; });
    expect((await fetch(`${api.base}/health/ready`)).status).toBe(200);
    // jobs work again without a restart (Redis kept nothing: the node registers again on its next heartbeat)
    await waitFor(async () => (await call('/worker')).body.data.length > 0, 15000, 200);
    expect((await ended((await submit(executeBody(device))).id)).status).toBe('finished');
  });

  it('Redis paused (SIGSTOP) for 10 s: requests fail fast with 503, then everything works; records and indexes agree', async () => {
    const admin = new Redis(redis.url);
    const fifo = JSON.stringify(executeBody(device, { options: { queue_strategy: 'fifo' } }));
    // A FIFO submit just before the pause: the API's view of the live nodes is fresh, so the submit during the pause
    // goes straight to the record and the BullMQ add (the writes a late Redis must not make).
    await submit(JSON.parse(fifo) as object);
    const recordsBefore = await admin.zcard(`${prefix}:ix:all`);
    redis.pause();
    try {
      const t0 = Date.now();
      // Failing fast means answering while Redis is still paused: it stays paused until all three answered (each is
      // REDIS_COMMAND_TIMEOUT_MS, 2 s, per round trip; a submit makes at most two). The cap only turns a hang into a
      // clear failure, far above that on a loaded machine.
      const answers = Promise.all([
        call('/job?limit=5'),
        call('/device/execute', { method: 'POST', body: JSON.stringify(executeBody(device)) }),
        call('/device/execute', { method: 'POST', body: fifo }),
      ]);
      const cap = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer within 30 s while Redis was paused')), 30_000).unref());
      const [list, submitted, fifoSubmitted] = await Promise.race([answers, cap]);
      console.log(`Redis paused: three requests answered 503 in ${Date.now() - t0} ms`);
      expect(list.status).toBe(503);
      expect(list.body).toMatchObject({ code: 503, message: expect.stringContaining('Redis') });
      expect([submitted.status, fifoSubmitted.status]).toEqual([503, 503]);
      // The fault lasts 10 s in all (more than WORKER_TTL, 4 s): its length is the scenario, not a wait for a state.
      await new Promise((r) => setTimeout(r, Math.max(0, 10_000 - (Date.now() - t0))));
    } finally {
      redis.resume();
    }
    await waitFor(async () => (await call('/job?limit=1')).status === 200, 10000, 200);
    // The submits answered 503 wrote nothing, though Redis ran their commands once it resumed.
    expect(await admin.zcard(`${prefix}:ix:all`)).toBe(recordsBefore);
    await waitFor(async () => (await call('/worker')).body.data.some((w: { status: string }) => w.status === 'idle'), 15000, 200);
    expect((await ended((await submit(executeBody(device))).id)).status).toBe('finished');
    const indexed = await admin.zrange(`${prefix}:ix:all`, '0', '-1');
    const present = await Promise.all(indexed.map((id) => admin.exists(`${prefix}:job:${id}`)));
    expect(present.every((n) => n === 1)).toBe(true);
    admin.disconnect();
  }, 60000);

  it('SIGTERM on a node lets the running job finish, then deregisters; on the API it finishes in-flight requests', async () => {
    const running = await submit(executeBody(device, { command: 'show slow' }));
    await waitFor(async () => (await call(`/job?id=${running.id}`)).body.data[0].status === 'started');
    const nodeExit = node.stop('SIGTERM');
    expect(await nodeExit).toBe(0);
    expect((await ended(running.id)).status).toBe('finished');
    const workers = (await call('/worker?node=ops-node')).body.data as { status: string }[];
    expect(workers.every((w) => w.status === 'dead')).toBe(true);

    // a node with a short grace interrupts what is left, clearly
    node = await startWorkerNode('ops-node-2', { ...env, SHUTDOWN_GRACE: '1' });
    const hanging = await submit(executeBody(device, { command: 'show hang', options: { queue_strategy: 'fifo' } }));
    await waitFor(async () => (await call(`/job?id=${hanging.id}`)).body.data[0].status === 'started');
    expect(await node.stop('SIGTERM')).toBe(0);
    expect(await ended(hanging.id)).toMatchObject({ status: 'failed', result: { type: 'stopped', error: { message: expect.stringContaining('shut down') } } });

    // the API: a request in flight when SIGTERM arrives still gets its answer. A FIFO job that stays queued (the only
    // FIFO node is a heartbeat written here, no process) is followed with wait=30; the API subscribed to its channel
    // once the request is in.
    const admin = new Redis(redis.url);
    try {
      await new FleetStore(admin, { keyPrefix: prefix } as RedisConnections)
        .heartbeat('ghost-node', { life: 'ghost', hostname: 'h', pid: 1, capacity: 0, fifo_concurrency: 1, pinned_count: 0, started_at: 0 }, []);
      // the API's view of the fleet is up to 1 s old: until it sees the ghost, a FIFO submit is refused (nothing stored)
      const body = JSON.stringify(executeBody(device, { options: { queue_strategy: 'fifo' } }));
      const queued = await waitFor(async () => {
        const res = await call('/device/execute', { method: 'POST', body });
        return res.status === 201 ? (res.body.data as { id: string }) : null;
      });
      const inFlight = call(`/job?id=${queued.id}&wait=30`);
      await waitFor(async () => ((await admin.pubsub('NUMSUB', `${prefix}:jobev:${queued.id}`)) as [string, number])[1] > 0);
      const apiExit = api.stop('SIGTERM');
      const answer = await inFlight;
      expect(answer).toMatchObject({ status: 200, body: { code: 200, data: [{ id: queued.id, status: 'queued' }] } });
      // 0: it finished within its bound, the connection of the answered request closed (not kept alive past the drain)
      expect(await apiExit).toBe(0);
    } finally {
      admin.disconnect();
    }
  }, 90000);
});
