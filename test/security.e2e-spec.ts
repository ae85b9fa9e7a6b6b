import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestApi, startApi } from './support/api-app';
import { executeBody } from './support/device-job';
import { FakeDevice, startFakeDevice } from './support/fake-device/fake-device';
import { TEST_API_KEY, removeKeys, testEnv, uniquePrefix, waitFor } from './support/test-env';
import { WorkerProcess, startWorkerNode } from './support/worker-process';

/** Keys rotated through a mounted file, per-key rate limits, security headers, idempotent submits. */
describe('security', () => {
  const prefix = uniquePrefix('sec');
  const dir = mkdtempSync(join(tmpdir(), 'netpulse-keys-'));
  const keyFile = join(dir, 'keys');
  const env = testEnv(prefix, { NETPULSE_API_KEYS: '', NETPULSE_API_KEYS_FILE: keyFile, RATE_LIMIT_PER_MINUTE: '40' });
  let api: TestApi;
  let node: WorkerProcess;
  let device: FakeDevice;

  beforeAll(async () => {
    writeFileSync(keyFile, `${TEST_API_KEY}\nold-key-to-rotate\n`);
    device = await startFakeDevice({ flavor: 'cisco_ios', host: '127.0.0.12' });
    node = await startWorkerNode('sec-node', testEnv(prefix));
    api = await startApi(env);
  });

  afterAll(async () => {
    await api?.close();
    await node?.stop();
    await device?.stop();
    await removeKeys(prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends security headers and no stack traces', async () => {
    const res = await api.http.get('/job?limit=1').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBeDefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
    const bad = await api.http.get('/job?limit=0').expect(400);
    expect(JSON.stringify(bad.body)).not.toMatch(/\bat .*\.(js|ts):\d+/);
  });

  it('returns the first job for a retried submit with the same Idempotency-Key, even when retries race', async () => {
    const body = executeBody(device);
    const post = (key: string, apiKey = TEST_API_KEY) =>
      api.anonymous.post('/device/execute').set('X-API-KEY', apiKey).set('Idempotency-Key', key).send(body);
    const first = await post('order-42').expect(201);
    const again = await post('order-42').expect(201);
    expect(again.body.data.id).toBe(first.body.data.id);
    const racing = await Promise.all(Array.from({ length: 8 }, () => post('order-43')));
    expect(new Set(racing.map((r) => r.body.data.id)).size).toBe(1);
    // another caller's key space is its own
    const other = await post('order-42', 'old-key-to-rotate').expect(201);
    expect(other.body.data.id).not.toBe(first.body.data.id);
    await api.anonymous.post('/device/execute').set('X-API-KEY', TEST_API_KEY).set('Idempotency-Key', 'bad key with spaces').send(body).expect(400);
    const listed = await api.http.get(`/job?host=${device.host}&limit=100`).expect(200);
    expect(listed.body.data).toHaveLength(3);
  });

  it('rotates keys from the mounted file without a restart', async () => {
    await api.anonymous.get('/job?limit=1').set('X-API-KEY', 'old-key-to-rotate').expect(200);
    writeFileSync(keyFile, `${TEST_API_KEY}\nnew-key-after-rotation\n`);
    await waitFor(async () => (await api.anonymous.get('/job?limit=1').set('X-API-KEY', 'new-key-after-rotation')).status === 200, 12000, 250);
    await api.anonymous.get('/job?limit=1').set('X-API-KEY', 'old-key-to-rotate').expect(401);
  });

  it('limits each API key: 429 with Retry-After, other keys unaffected, probes never limited', async () => {
    let limited: { status: number; headers: Record<string, string> } | undefined;
    for (let i = 0; i < 60 && !limited; i++) {
      const res = await api.anonymous.get('/job?limit=1').set('X-API-KEY', TEST_API_KEY);
      if (res.status === 429) limited = res;
    }
    expect(limited?.status).toBe(429);
    expect(Number(limited!.headers['retry-after'])).toBeGreaterThan(0);
    await api.anonymous.get('/job?limit=1').set('X-API-KEY', 'new-key-after-rotation').expect(200);
    for (let i = 0; i < 50; i++) await api.anonymous.get('/health/live').expect(200);
  });
});
