import Redis from 'ioredis';
import { TestApi, startApi } from './support/api-app';
import { executeBody } from './support/device-job';
import { FakeDevice, startFakeDevice } from './support/fake-device/fake-device';
import { OwnRedis, redisServerRequirement, startOwnRedis } from './support/redis-server';
import { describeRequiring } from './support/requirements';
import { testEnv, uniquePrefix, waitFor } from './support/test-env';
import { WorkerProcess, startWorkerNode } from './support/worker-process';

type Job = { id: string; status: string; node: string; result: { type: string; error: { type: string; message: string } | null } | null };

/**
 * Redis loses its data under a running fleet (a restart without persistence, a failover to an empty replica,
 * FLUSHALL by mistake): on a Redis of the test's own (the shared one holds every other test's keys), the real API
 * module and a real node. Submits made right after the loss either run to the end or are refused with a clear 503;
 * none is accepted and then lost, stopped or left waiting.
 */
describeRequiring(redisServerRequirement, 'submits right after Redis lost its data (own redis-server)', () => {
  const prefix = uniquePrefix('dataloss');
  let redis: OwnRedis;
  let admin: Redis;
  let api: TestApi;
  let node: WorkerProcess;
  let device: FakeDevice;

  const ended = (id: string) => waitFor(async () => {
    const j = (await api.http.get(`/job?id=${id}`).expect(200)).body.data[0] as Job | undefined;
    return j && ['finished', 'failed', 'cancelled'].includes(j.status) ? j : null;
  }, 60000); // a pinned worker runs the ~30 jobs of a test one after the other, 0.6 s each

  beforeAll(async () => {
    redis = await startOwnRedis();
    admin = new Redis(redis.url);
    const env = testEnv(prefix, { REDIS_URL: redis.url, FIFO_CONCURRENCY: '2' });
    device = await startFakeDevice({ flavor: 'cisco_ios', host: '127.0.0.9', slowCommandMs: 600 });
    node = await startWorkerNode('loss-a', env);
    api = await startApi(env);
  });

  afterAll(async () => {
    await api?.close();
    await node?.stop('SIGKILL');
    await device?.stop();
    admin?.disconnect();
    await redis?.stop();
  });

  it.each([['fifo'], ['pinned']])('%s: every submit in the seconds after FLUSHALL runs to the end or is refused with 503', async (strategy) => {
    const body = executeBody(device, { command: 'show slow', options: { queue_strategy: strategy } });
    expect((await ended((await api.http.post('/device/execute', body).expect(201)).body.data.id)).status).toBe('finished');

    await admin.flushall();
    // A submit every 100 ms for 3 s from the moment of the loss: through the window where the API's view of the fleet,
    // the node's registration and its BullMQ consumers still date from before it (the node rejoins at its next heartbeat,
    // restarting its workers: `show slow` keeps jobs running across that moment).
    const accepted: string[] = [];
    const refused: { status: number; message: string }[] = [];
    for (const until = Date.now() + 3000; Date.now() < until;) {
      const res = await api.http.post('/device/execute', body);
      if (res.status === 201) accepted.push(res.body.data.id as string);
      else refused.push({ status: res.status, message: res.body.message as string });
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const r of refused) expect(r).toEqual({ status: 503, message: expect.stringMatching(/No live FIFO worker|No worker node has free capacity/) });
    const results = await Promise.all(accepted.map(ended));
    expect(results.filter((j) => j.status !== 'finished')).toEqual([]);
    // and after the window every submit is taken and runs
    const after = await ended((await api.http.post('/device/execute', body).expect(201)).body.data.id);
    expect(after).toMatchObject({ status: 'finished', node: 'loss-a' });
    console.log(`${strategy} after FLUSHALL: ${accepted.length} submits accepted and finished, ${refused.length} refused (503)`);
  }, 90000);
});
