import Redis from 'ioredis';
import { request } from 'node:http';
import { freePort, OwnRedis, redisServerRequirement, startOwnRedis } from './support/redis-server';
import { describeRequiring } from './support/requirements';
import { testEnv, uniquePrefix, waitFor } from './support/test-env';
import { WorkerProcess, startWorkerNode } from './support/worker-process';

/** The chart's probes of a worker node (helm/netpulse/values.yaml worker.probes): HTTP GET, 3 s timeout. */
const PROBE_TIMEOUT_MS = 3000;

type Probe = { status: number; body: { status: string; info?: Record<string, unknown>; error?: Record<string, unknown> } } | { failure: string };

/**
 * One probe as the kubelet sends it: HTTP GET on the pod's probe port, its own headers, a connection per probe,
 * timeoutSeconds 3. Any status from 200 to 399 is a success; a refused connection or no answer in time a failure.
 */
function probe(port: number, path: '/health/live' | '/health/ready'): Promise<Probe> {
  return new Promise((resolve) => {
    const req = request({
      host: '127.0.0.1', port, path, method: 'GET', timeout: PROBE_TIMEOUT_MS,
      headers: { 'User-Agent': 'kube-probe/1.33', Accept: '*/*', Connection: 'close' },
    }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('timeout', () => req.destroy(new Error('no answer within the probe timeout')));
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ failure: err.code ?? err.message }));
    req.end();
  });
}

const succeeded = (p: Probe) => 'status' in p && p.status >= 200 && p.status < 400;

/**
 * A worker node's own /health/live and /health/ready, probed as Kubernetes does, on a Redis of the test's own
 * (paused, stopped, restarted empty): ready only once the node is registered and while Redis answers; live unless the
 * process itself is stuck.
 */
describeRequiring(redisServerRequirement, 'worker node probes as the kubelet calls them (own redis-server)', () => {
  const prefix = uniquePrefix('probes');
  let redis: OwnRedis;
  let env: Record<string, string>;
  let node: WorkerProcess;

  beforeAll(async () => {
    redis = await startOwnRedis();
    env = testEnv(prefix, { REDIS_URL: redis.url, FIFO_CONCURRENCY: '1' });
  });

  afterAll(async () => {
    node?.child.kill('SIGCONT');
    await node?.stop('SIGKILL');
    redis?.resume();
    await redis?.stop();
  }, 60000);

  it('is not ready before the node registered, and ready (Redis and heartbeat up) once it has', async () => {
    const port = await freePort();
    const admin = new Redis(redis.url);
    try {
      const starting = startWorkerNode('probe-a', { ...env, WORKER_PROBE_PORT: String(port) });
      let done = false;
      void starting.finally(() => (done = true)).catch(() => undefined);
      const seen: { ok: boolean; registered: boolean }[] = [];
      while (!done) {
        const answer = await probe(port, '/health/ready');
        // Read after the answer: a node registered after a success would show here as not registered.
        seen.push({ ok: succeeded(answer), registered: (await admin.zscore(`${prefix}:nodes`, 'probe-a')) !== null });
        await new Promise((r) => setTimeout(r, 25)); // the next poll; a refused connection answers at once
      }
      node = await starting;
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.filter((s) => s.ok && !s.registered)).toEqual([]);
      const ready = await probe(node.probePort, '/health/ready');
      expect(ready).toMatchObject({ status: 200, body: { status: 'ok', info: { redis: { status: 'up' }, heartbeat: { status: 'up' } } } });
      expect(await admin.zscore(`${prefix}:nodes`, 'probe-a')).not.toBeNull();
      expect(await probe(node.probePort, '/health/live')).toMatchObject({ status: 200, body: { status: 'ok' } });
    } finally {
      admin.disconnect();
    }
  }, 60000);

  it('is not ready while Redis is paused or gone, stays live, and is ready again when Redis is back', async () => {
    for (const [fault, undo] of [
      [() => redis.pause(), async () => redis.resume()],
      [() => void redis.stop(), () => redis.start()],
    ] as const) {
      fault();
      // Each answer comes within the kubelet's timeout: a probe that hung would count as a failure of liveness too.
      const notReady = await waitFor(async () => {
        const p = await probe(node.probePort, '/health/ready');
        return 'status' in p && p.status === 503 ? p : null;
      }, 20000);
      expect(notReady.body).toMatchObject({ status: 'error', error: { redis: { status: 'down' } } });
      expect(await probe(node.probePort, '/health/live')).toMatchObject({ status: 200 });
      await undo();
      await waitFor(async () => succeeded(await probe(node.probePort, '/health/ready')), 20000);
    }
    // after Redis came back empty, the node registered again (it beats, learns it is unknown, and rejoins)
    const admin = new Redis(redis.url);
    try {
      await waitFor(async () => (await admin.zscore(`${prefix}:nodes`, 'probe-a')) !== null, 20000);
    } finally {
      admin.disconnect();
    }
  }, 90000);

  it('fails liveness only when the process itself is stuck (SIGSTOP), and passes again once it runs', async () => {
    node.child.kill('SIGSTOP');
    try {
      expect(await probe(node.probePort, '/health/live')).toEqual({ failure: expect.any(String) });
    } finally {
      node.child.kill('SIGCONT');
    }
    await waitFor(async () => succeeded(await probe(node.probePort, '/health/live')), 20000);
    expect(await probe(node.probePort, '/health/ready')).toMatchObject({ status: 200 });
  }, 60000);
});
