import { createHmac } from 'node:crypto';
import { verifyWebhookSignature } from '../src/common/webhook-signature';
import { TestApi, startApi } from './support/api-app';
import { executeBody } from './support/device-job';
import { FakeDevice, closedPort, startFakeDevice } from './support/fake-device/fake-device';
import { keysContaining, stateKeys } from './support/redis-inspect';
import { removeKeys, testEnv, uniquePrefix, waitFor } from './support/test-env';
import { WebhookReceiver, startWebhookReceiver } from './support/webhook-receiver';
import { WorkerProcess, startWorkerNode } from './support/worker-process';

type Job = { id: string; status: string; queue: string; host: string; result: { type: string; retval: unknown; error: { type: string; message: string } | null } | null; [k: string]: unknown };

const ENDED = ['finished', 'failed', 'cancelled'];

async function waitForEnd(api: TestApi, id: string, timeoutMs = 15000): Promise<Job> {
  return waitFor(async () => {
    const job = (await api.http.get(`/job?id=${id}`).expect(200)).body.data[0] as Job | undefined;
    return job && ENDED.includes(job.status) ? job : null;
  }, timeoutMs, 50);
}

/**
 * /device/* end to end: the real API module in this process, a real worker node process, real Redis,
 * fake devices over real SSH, and a local webhook receiver.
 */
describe('devices end to end', () => {
  const prefix = uniquePrefix('devices');
  const signingSecret = 'canary-signing-secret-0123';
  const env = testEnv(prefix, { JOB_RESULT_TTL: '120', WEBHOOK_SIGNING_SECRET: signingSecret });
  let api: TestApi;
  let node: WorkerProcess;
  let router: FakeDevice;
  let sw: FakeDevice;

  beforeAll(async () => {
    [router, sw] = await Promise.all([
      startFakeDevice({ flavor: 'cisco_ios', password: 'canary-Dev-Pa55', secret: 'canary-Dev-En4ble' }),
      startFakeDevice({ flavor: 'cisco_ios', hostname: 'sw2', host: '127.0.0.2', password: 'canary-Dev-Pa55', secret: 'canary-Dev-En4ble' }),
    ]);
    node = await startWorkerNode('dev-node-1', env);
    api = await startApi(env);
  });

  afterAll(async () => {
    await api?.close();
    await node?.stop();
    await Promise.all([router?.stop(), sw?.stop()]);
    await removeKeys(prefix);
  });

  describe('POST /device/bulk', () => {
    it('queues one job per valid device (entries merged over connection_args) and reports the invalid one by field', async () => {
      const jobsBefore = (await api.http.get('/job?limit=1000').expect(200)).body.data.length as number;
      const commonArgs = { ...(executeBody(router).connection_args as Record<string, unknown>) };
      delete commonArgs.host;
      delete commonArgs.port;
      const res = await api.http
        .post('/device/bulk', {
          driver: 'netmiko',
          connection_args: commonArgs,
          command: 'show version',
          devices: [
            { host: router.host, port: router.port },
            { host: sw.host, port: sw.port },
            { host: 'bad host!', port: router.port },
          ],
        })
        .expect(201);
      expect(res.body).toMatchObject({ code: 201, message: 'success' });
      const { succeeded, failed } = res.body.data as { succeeded: Job[]; failed: { host: string; error: string }[] };
      expect(succeeded).toHaveLength(2);
      expect(succeeded.map((j) => j.status)).toEqual(['queued', 'queued']);
      expect(succeeded.map((j) => j.host).sort()).toEqual([router.host, sw.host].sort());
      expect(failed).toEqual([{ host: 'bad host!', error: expect.stringMatching(/^host: must be a host name/) }]);
      expect(JSON.stringify(res.body)).not.toContain('canary');

      const ended = await Promise.all(succeeded.map((j) => waitForEnd(api, j.id)));
      for (const job of ended) {
        expect(job.status).toBe('finished');
        expect(job.result!.retval).toEqual(expect.stringContaining('Cisco IOS Software'));
      }
      expect(router.record.commands).toContain('show version');
      expect(sw.record.commands).toContain('show version');
      // the rejected device stored nothing: two jobs more, no third
      expect((await api.http.get('/job?limit=1000').expect(200)).body.data).toHaveLength(jobsBefore + 2);
    });
  });

  describe('POST /device/test-connection', () => {
    const body = (args: Record<string, unknown> = {}) => {
      const { connection_args } = executeBody(router, {}, args);
      return { driver: 'netmiko', connection_args };
    };

    it('logs in and reports the time and the prompt', async () => {
      const res = await api.http.post('/device/test-connection', body()).expect(200);
      expect(res.body).toMatchObject({ code: 200, message: 'success' });
      const data = res.body.data;
      expect(data).toMatchObject({ success: true, error_message: null, device_info: { prompt: 'Router#', hostname: 'Router' } });
      expect(typeof data.connection_time).toBe('number');
      expect(data.connection_time).toBeGreaterThanOrEqual(0);
      expect(data.connection_time).toBeLessThan(10);
      expect(JSON.stringify(res.body)).not.toContain('canary');
    });

    it('reports a wrong password as AuthenticationError without echoing it', async () => {
      const res = await api.http.post('/device/test-connection', body({ password: 'canary-WRONG-test-pw' })).expect(200);
      expect(res.body.data).toMatchObject({ success: false, device_info: null });
      expect(res.body.data.error_message).toContain('AuthenticationError');
      expect(JSON.stringify(res.body)).not.toContain('canary-WRONG-test-pw');
      expect(node.output()).not.toContain('canary-WRONG-test-pw');
    });

    it('reports a closed port as ConnectionRefusedError', async () => {
      const res = await api.http.post('/device/test-connection', body({ port: await closedPort() })).expect(200);
      expect(res.body.data).toMatchObject({ success: false, device_info: null });
      expect(res.body.data.error_message).toContain('ConnectionRefusedError');
    });
  });

  describe('webhook', () => {
    let receiver: WebhookReceiver;
    beforeAll(async () => {
      receiver = await startWebhookReceiver([500]);
    });
    afterAll(async () => {
      await receiver?.close();
    });

    it('delivers the ended job with its headers, retries after a failure, and never shows the credentials', async () => {
      const token = 'Bearer canary-hook-token';
      const url = `${receiver.origin}/hooks/netpulse?src=e2e`;
      const submitted = await api.http
        .post('/device/execute', executeBody(router, { options: { queue_strategy: 'fifo', webhook: { url, headers: { Authorization: token } } } }))
        .expect(201);
      const queued = submitted.body.data as Job;
      expect(JSON.stringify(submitted.body)).not.toContain('canary');

      await waitFor(async () => receiver.deliveries.length >= 2, 15000, 50);
      const [first, second] = receiver.deliveries;
      expect(first.answered).toBe(500);
      expect(second.answered).toBe(200);
      // exponential backoff starting at 1 s
      expect(second.at - first.at).toBeGreaterThanOrEqual(900);
      for (const d of [first, second]) {
        expect(d.method).toBe('POST');
        expect(d.path).toBe('/hooks/netpulse?src=e2e');
        expect(d.headers.authorization).toBe(token);
        expect(d.headers['content-type']).toContain('application/json');
        const delivered = JSON.parse(d.body) as Job;
        expect(delivered).toMatchObject({ id: queued.id, status: 'finished', result: { type: 'success', error: null } });
        expect(delivered.result!.retval).toEqual(expect.stringContaining('Cisco IOS Software'));
        expect(d.body).not.toContain('canary');
      }

      const job = (await api.http.get(`/job?id=${queued.id}`).expect(200)).body.data[0] as Job;
      expect(job.status).toBe('finished');
      const shown = JSON.stringify(job);
      expect(shown).not.toContain('canary-hook-token');
      expect(shown).not.toMatch(/authorization/i);
      // the view names the webhook (url, method) but never its headers
      expect(job.webhook).toEqual({ url, method: 'POST' });

      // no more deliveries after the 200, and the token is gone from Redis once delivered
      await new Promise((r) => setTimeout(r, 1500));
      expect(receiver.deliveries).toHaveLength(2);
      expect(await waitFor(async () => (await keysContaining(prefix, 'canary-hook-token')).length === 0 || null, 5000, 100)).toBe(true);
      expect(node.output()).not.toContain('canary-hook-token');
    });

    it('signs every call so a receiver can verify it, sends basic auth and the event type, and retries only max_retries times', async () => {
      const once = await startWebhookReceiver([500]);
      try {
        const closed = await closedPort();
        const body = (port: number, extra: object) => executeBody(router, { options: { queue_strategy: 'fifo', webhook: { url: `${once.origin}/h`, ...extra } } }, { port });
        const ok = (await api.http.post('/device/execute', body(router.port, { auth: { username: 'hook', password: 'canary-hook-pass' }, max_retries: 0 })).expect(201)).body.data as Job;
        expect(JSON.stringify(ok)).not.toContain('canary-hook-pass');
        await waitFor(async () => once.deliveries.length >= 1, 15000, 50);
        // max_retries 0: the 500 is not retried (the first retry would come after 1 s)
        await new Promise((r) => setTimeout(r, 2500));
        expect(once.deliveries).toHaveLength(1);
        const failed = (await api.http.post('/device/execute', body(closed, { auth: ['hook', 'canary-hook-pass'] })).expect(201)).body.data as Job;
        await waitFor(async () => once.deliveries.length >= 2, 15000, 50);

        const [first, second] = once.deliveries;
        for (const [d, id, event] of [[first, ok.id, 'job.finished'], [second, failed.id, 'job.failed']] as const) {
          expect(d.headers.authorization).toBe(`Basic ${Buffer.from('hook:canary-hook-pass').toString('base64')}`);
          expect(d.headers['x-netpulse-event']).toBe(event);
          expect(JSON.parse(d.body)).toMatchObject({ event_type: event, id });
          // the receiver's check, written here from the documented recipe, not with the sender's code
          const timestamp = String(d.headers['x-netpulse-timestamp']);
          const expected = `sha256=${createHmac('sha256', signingSecret).update(`${timestamp}.${d.body}`).digest('hex')}`;
          expect(d.headers['x-netpulse-signature']).toBe(expected);
          expect(Math.abs(Date.now() / 1000 - Number(timestamp))).toBeLessThan(60);
          expect(verifyWebhookSignature(signingSecret, timestamp, expected, d.body, Date.now() / 1000)).toBe(true);
          // tampered: another body, another timestamp, another key, an old call: all refused
          const tampered = d.body.replace(event === 'job.finished' ? '"finished"' : '"failed"', '"cancelled"');
          expect(tampered).not.toBe(d.body);
          expect(verifyWebhookSignature(signingSecret, timestamp, expected, tampered, Date.now() / 1000)).toBe(false);
          expect(verifyWebhookSignature(signingSecret, String(Number(timestamp) + 1), expected, d.body, Date.now() / 1000)).toBe(false);
          expect(verifyWebhookSignature('another-secret-0123456', timestamp, expected, d.body, Date.now() / 1000)).toBe(false);
          expect(verifyWebhookSignature(signingSecret, timestamp, expected, d.body, Date.now() / 1000 + 3600)).toBe(false);
        }
        expect(node.output()).not.toContain(signingSecret);
        expect(node.output()).not.toContain('canary-hook-pass');
      } finally {
        await once.close();
      }
    });
  });

  describe('secrets after the jobs ended', () => {
    it('leaves no device password or enable secret in Redis', async () => {
      expect(await keysContaining(prefix, 'canary-Dev-Pa55', 'canary-Dev-En4ble', 'canary-WRONG-test-pw')).toEqual([]);
      expect(node.output()).not.toContain('canary-Dev');
    });
  });

  describe('ALLOWED_HOSTS', () => {
    let guarded: TestApi;
    let outsider: FakeDevice;
    beforeAll(async () => {
      outsider = await startFakeDevice({ flavor: 'cisco_ios', host: '127.0.0.9' });
      guarded = await startApi({ ...env, ALLOWED_HOSTS: '127.0.0.0/30' });
    });
    afterAll(async () => {
      await guarded?.close();
      await outsider?.stop();
    });

    it('refuses a host outside the list with 400 naming connection_args.host, and stores nothing', async () => {
      const outside = executeBody(outsider);
      const jobsBefore = (await guarded.http.get('/job?limit=1000').expect(200)).body.data.length as number;
      for (const strategy of ['pinned', 'fifo']) {
        const res = await guarded.http.post('/device/execute', { ...outside, options: { queue_strategy: strategy } }).expect(400);
        expect(res.body).toMatchObject({ code: 400, data: [{ field: 'connection_args.host', error: expect.any(String) }] });
        expect(res.body.message).toContain('127.0.0.9');
      }
      const test = await guarded.http.post('/device/test-connection', { driver: 'netmiko', connection_args: outside.connection_args }).expect(400);
      expect(test.body.data).toEqual([{ field: 'connection_args.host', error: expect.any(String) }]);
      const bulk = await guarded.http.post('/device/bulk', { driver: 'netmiko', connection_args: outside.connection_args, command: 'show version', devices: [{}] }).expect(201);
      expect(bulk.body.data).toEqual({ batch_id: null, succeeded: [], failed: [{ host: '127.0.0.9', error: expect.stringContaining('ALLOWED_HOSTS') }] });
      expect((await guarded.http.get('/job?host=127.0.0.9').expect(200)).body.data).toEqual([]);
      expect((await guarded.http.get('/job?limit=1000').expect(200)).body.data).toHaveLength(jobsBefore);
      // Proving a negative: a job that slipped through would have connected to the outsider within this time.
      await new Promise((r) => setTimeout(r, 300));
      expect(outsider.connectionsOpened).toBe(0);
    });

    it('accepts a host inside the list', async () => {
      const res = await guarded.http.post('/device/execute', executeBody(router, { command: 'show clock' })).expect(201);
      expect((await waitForEnd(guarded, res.body.data.id)).status).toBe('finished');
    });
  });
});

describe('devices with no worker node', () => {
  const prefix = uniquePrefix('devices_noworker');
  let api: TestApi;
  let device: FakeDevice;

  beforeAll(async () => {
    device = await startFakeDevice({ flavor: 'cisco_ios', host: '127.0.0.4' });
    api = await startApi(testEnv(prefix));
  });

  afterAll(async () => {
    await api?.close();
    await device?.stop();
    await removeKeys(prefix);
  });

  it('answers 503 for fifo (no worker) and pinned (no capacity) and stores nothing', async () => {
    const before = await stateKeys(prefix);
    const fifo = await api.http.post('/device/execute', executeBody(device, { options: { queue_strategy: 'fifo' } })).expect(503);
    expect(fifo.body).toMatchObject({ code: 503, data: null });
    expect(fifo.body.message).toMatch(/no live fifo worker/i);
    const pinned = await api.http.post('/device/execute', executeBody(device, { options: { queue_strategy: 'pinned' } })).expect(503);
    expect(pinned.body).toMatchObject({ code: 503, data: null });
    expect(pinned.body.message).toMatch(/capacity/i);
    const byDefault = await api.http.post('/device/execute', executeBody(device)).expect(503);
    expect(byDefault.body.message).toMatch(/capacity/i);
    const test = await api.http.post('/device/test-connection', { driver: 'netmiko', connection_args: executeBody(device).connection_args }).expect(503);
    expect(test.body.message).toMatch(/no live fifo worker/i);

    const listed = await api.http.get('/job?limit=1000').expect(200);
    expect(listed.body.data).toEqual([]);
    expect(await stateKeys(prefix)).toEqual(before);
    expect(device.connectionsOpened).toBe(0);
  });
});
