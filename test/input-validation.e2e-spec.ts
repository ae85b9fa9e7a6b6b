import request from 'supertest';
import { JobStore } from '../src/jobs/job-store';
import { TestApi, startApi } from './support/api-app';
import { executeBody } from './support/device-job';
import { FakeDevice, startFakeDevice } from './support/fake-device/fake-device';
import { stateKeys } from './support/redis-inspect';
import { TEST_API_KEY, removeKeys, testEnv, uniquePrefix, waitFor } from './support/test-env';
import { WorkerProcess, startWorkerNode } from './support/worker-process';

/**
 * Every bad input of the contract is answered 400 (413 for size) with the envelope naming the field,
 * and reaches nothing: no job listed, no Redis key written, no queued job cancelled, no device contacted.
 * A live worker node makes the point: the same requests with valid values are accepted and run.
 */
describe('input validation', () => {
  const prefix = uniquePrefix('input');
  const env = testEnv(prefix, { JOB_RESULT_TTL: '120' });
  let api: TestApi;
  let node: WorkerProcess;
  let device: FakeDevice;
  /** A queued job nobody runs (no BullMQ entry): a rejected DELETE must leave it queued. */
  let sitting: string;
  /** The lasting Redis keys under the prefix before the first bad request. */
  let baselineKeys: string[];
  const sittingHost = '127.0.0.77';

  beforeAll(async () => {
    device = await startFakeDevice({ flavor: 'cisco_ios', host: '127.0.0.5' });
    node = await startWorkerNode('input-node-1', env);
    api = await startApi(env);
    const request = { kind: 'execute' as const, driver: 'netmiko', device_type: 'cisco_ios', host: sittingHost, port: 22, username: 'u', queue_strategy: 'fifo' as const, timeout: 30 };
    const store = api.app.get(JobStore);
    sitting = await store.create({ queue: 'FifoQ', host: sittingHost, request, secrets: {}, queuedTtlMs: 600_000 }, 600_000);
    // The submit counter of that job reaches Redis with the next flush: flush it now, before the baseline.
    await store.tally.flush();
    baselineKeys = await stateKeys(prefix);
  });

  afterAll(async () => {
    await api?.close();
    await node?.stop();
    await device?.stop();
    await removeKeys(prefix);
  });

  const valid = () => executeBody(device);

  type Send = (agent: ReturnType<typeof request>) => request.Test;
  type Expect = { status?: number; field?: string; fields?: string[] };

  /**
   * What a request could have changed: the job list (every stored job, with its status: the sitting one
   * included) and the device. The Redis keys themselves are compared once for the whole file (below):
   * SCAN walks the whole shared database, too slow to repeat per request when another run fills it.
   */
  const snapshot = async () => ({
    jobs: ((await api.http.get('/job?limit=1000').expect(200)).body.data as { id: string; status: string }[]).map((j) => `${j.id}:${j.status}`),
    connections: device.connectionsOpened,
  });

  /** Sends the request, checks the envelope and the field named, then that nothing changed. */
  async function expectRejected(send: Send, { status = 400, field, fields }: Expect = {}): Promise<request.Response> {
    const before = await snapshot();
    const res = await send(api.anonymous);
    expect({ status: res.status, body: res.body }).toMatchObject({ status, body: { code: status, message: expect.any(String) } });
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.body.message.length).toBeGreaterThan(0);
    expect(res.body.message).not.toBe('success');
    const named = (res.body.data as { field: string; error: string }[] | null)?.map((e) => e.field) ?? [];
    if (field !== undefined || fields !== undefined) {
      expect(Array.isArray(res.body.data)).toBe(true);
      for (const e of res.body.data) expect(e).toEqual({ field: expect.any(String), error: expect.any(String) });
      for (const f of fields ?? [field!]) expect(named).toContain(f);
    }
    // Proving a negative: a write the refused request started would have landed within this time.
    await new Promise((r) => setTimeout(r, 20));
    expect(await snapshot()).toEqual(before);
    return res;
  }

  const get = (path: string): Send => (agent) => agent.get(path).set('X-API-KEY', TEST_API_KEY);
  const del = (path: string): Send => (agent) => agent.delete(path).set('X-API-KEY', TEST_API_KEY);
  const post = (path: string, body: object): Send => (agent) => agent.post(path).set('X-API-KEY', TEST_API_KEY).send(body);
  const postRaw = (path: string, body: string, type = 'application/json'): Send => (agent) =>
    agent.post(path).set('X-API-KEY', TEST_API_KEY).set('Content-Type', type).send(body);

  const long = 'a'.repeat(300);
  const garbageCursor = Buffer.from('not-a-job-id-at-all', 'latin1').toString('base64url');

  describe('GET /job query', () => {
    it.each([
      ['unknown status', 'status=running', 'status'],
      ['status given twice', 'status=queued&status=finished', 'status'],
      ['limit=0', 'limit=0', 'limit'],
      ['limit=1001', 'limit=1001', 'limit'],
      ['limit=abc', 'limit=abc', 'limit'],
      ['limit=-1', 'limit=-1', 'limit'],
      ['limit=1e3', 'limit=1e3', 'limit'],
      ['limit=12abc', 'limit=12abc', 'limit'],
      ['limit given twice', 'limit=10&limit=20', 'limit'],
      ['forged cursor zzz', 'cursor=zzz', 'cursor'],
      ['cursor: base64 of garbage', `cursor=${garbageCursor}`, 'cursor'],
      ['cursor with padding and +', 'cursor=MDE4ZjNj+ZWE%3D', 'cursor'],
      ['id with NUL', 'id=%00abc', 'id'],
      ['id with newline', 'id=abc%0Adef', 'id'],
      ['host with control character', 'host=10.0.0.1%07', 'host'],
      ['host with a space', 'host=10.0.0.1%20x', 'host'],
      ['queue not FifoQ or pinned_', 'queue=other', 'queue'],
      ['over-long id', `id=${long}`, 'id'],
      ['over-long queue', `queue=pinned_${long}`, 'queue'],
      ['over-long host', `host=${long}`, 'host'],
      ['over-long node', `node=${long}`, 'node'],
      ['over-long cursor', `cursor=${long}`, 'cursor'],
      ['unknown parameter', 'stauts=queued', 'stauts'],
      ['__proto__ parameter', '__proto__=x', '__proto__'],
    ])('%s -> 400', async (_name, query, field) => {
      await expectRejected(get(`/job?${query}`), { field });
    });
  });

  describe('DELETE /job query', () => {
    it('no filter -> 400, the queued job stays queued', async () => {
      await expectRejected(del('/job'));
    });
    it.each([
      ['force=maybe', `force=maybe&id=${'0'.repeat(20)}`, 'force'],
      ['force=maybe with host', `force=maybe&host=${sittingHost}`, 'force'],
      ['id with NUL', 'id=%00', 'id'],
      ['bad queue with a good host', `queue=nope&host=${sittingHost}`, 'queue'],
      ['over-long host', `host=${long}`, 'host'],
      ['unknown parameter with a good host', `host=${sittingHost}&all=true`, 'all'],
      ['status is not a cancel filter', `host=${sittingHost}&status=queued`, 'status'],
    ])('%s -> 400', async (_name, query, field) => {
      await expectRejected(del(`/job?${query}`), { field });
    });
  });

  describe('POST /device/execute body', () => {
    const withArgs = (args: Record<string, unknown>) => executeBody(device, {}, args);
    it.each<[string, () => object, string]>([
      ['unknown body field', () => ({ ...valid(), priority: 'high' }), 'priority'],
      ['unknown field in connection_args', () => withArgs({ jump_host: '10.0.0.1' }), 'connection_args.jump_host'],
      ['unknown field in options', () => ({ ...valid(), options: { queue_strategy: 'fifo', retries: 3 } }), 'options.retries'],
      ['port as a string', () => withArgs({ port: String(device.port) }), 'connection_args.port'],
      ['port 0', () => withArgs({ port: 0 }), 'connection_args.port'],
      ['port 65536', () => withArgs({ port: 65536 }), 'connection_args.port'],
      ['port as a float', () => withArgs({ port: 22.5 }), 'connection_args.port'],
      ['command as a number', () => ({ ...valid(), command: 42 }), 'command'],
      ['command empty list', () => ({ ...valid(), command: [] }), 'command'],
      ['command with a newline (a second command smuggled in)', () => ({ ...valid(), command: 'show version\nreload' }), 'command'],
      ['command list with a number', () => ({ ...valid(), command: ['show version', 7] }), 'command'],
      ['both command and config', () => ({ ...valid(), config: ['hostname x'] }), 'command'],
      ['neither command nor config', () => ({ ...valid(), command: undefined }), 'command'],
      ['invalid device_type', () => withArgs({ device_type: 'cisco_xyz' }), 'connection_args.device_type'],
      ['invalid driver', () => ({ ...valid(), driver: 'telnet' }), 'driver'],
      ['missing driver', () => ({ ...valid(), driver: undefined }), 'driver'],
      ['missing connection_args', () => ({ ...valid(), connection_args: undefined }), 'connection_args'],
      ['connection_args as a string', () => ({ ...valid(), connection_args: 'host=1.2.3.4' }), 'connection_args'],
      ['invalid host', () => withArgs({ host: 'bad host!' }), 'connection_args.host'],
      ['host with a newline', () => withArgs({ host: '127.0.0.5\n' }), 'connection_args.host'],
      ['username with a control character', () => withArgs({ username: 'admin\u0007' }), 'connection_args.username'],
      ['password as a number', () => withArgs({ password: 1234 }), 'connection_args.password'],
      ['timeout 0', () => withArgs({ timeout: 0 }), 'connection_args.timeout'],
      ['queue_strategy unknown', () => ({ ...valid(), options: { queue_strategy: 'lifo' } }), 'options.queue_strategy'],
      ['options.ttl 0', () => ({ ...valid(), options: { ttl: 0 } }), 'options.ttl'],
      ['options.ttl 3601', () => ({ ...valid(), options: { ttl: 3601 } }), 'options.ttl'],
      ['options.ttl as a string', () => ({ ...valid(), options: { ttl: '300' } }), 'options.ttl'],
      ['driver_args.read_timeout 0', () => ({ ...valid(), driver_args: { read_timeout: 0 } }), 'driver_args.read_timeout'],
      ['webhook url not http(s)', () => ({ ...valid(), options: { webhook: { url: 'file:///etc/passwd' } } }), 'options.webhook.url'],
      ['webhook header with CRLF', () => ({ ...valid(), options: { webhook: { url: 'http://127.0.0.1:1/x', headers: { 'X-A': 'a\r\nX-Injected: 1' } } } }), 'options.webhook.headers'],
      ['webhook method GET', () => ({ ...valid(), options: { webhook: { url: 'http://127.0.0.1:1/x', method: 'GET' } } }), 'options.webhook.method'],
    ])('%s -> 400', async (_name, body, field) => {
      await expectRejected(post('/device/execute', body()), { field });
    });

    it('body as a JSON array -> 400', async () => {
      await expectRejected(postRaw('/device/execute', JSON.stringify([valid()])));
    });
    it('body as a JSON string -> 400', async () => {
      await expectRejected(postRaw('/device/execute', '"show version"'));
    });
  });

  describe('prototype pollution keys', () => {
    const raw = (mutate: (json: string) => string) => () => mutate(JSON.stringify(valid()));
    it.each<[string, () => string, string]>([
      ['top-level __proto__', raw((j) => j.replace(/^\{/, '{"__proto__":{"isAdmin":true},')), '__proto__'],
      ['top-level constructor', raw((j) => j.replace(/^\{/, '{"constructor":{"prototype":{"isAdmin":true}},')), 'constructor'],
      ['__proto__ in connection_args', raw((j) => j.replace('"connection_args":{', '"connection_args":{"__proto__":{"host":"10.9.9.9"},')), 'connection_args.__proto__'],
      ['constructor in options', raw((j) => j.replace(/\}$/, ',"options":{"constructor":{"prototype":{"x":1}}}}')), 'options.constructor'],
    ])('%s -> 400 naming it, and nothing is polluted', async (_name, body, field) => {
      await expectRejected(postRaw('/device/execute', body()), { field });
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
      expect(({} as Record<string, unknown>).x).toBeUndefined();
    });
  });

  describe('body format and size', () => {
    it('malformed JSON -> 400 with the envelope', async () => {
      const res = await expectRejected(postRaw('/device/execute', '{"driver": "netmiko", '));
      expect(res.body).toEqual({ code: 400, message: 'Request body is not valid JSON', data: null });
    });
    it('malformed JSON never quotes the body back (a password typed without quotes)', async () => {
      const body = '{"driver":"netmiko","connection_args":{"username":"admin","password": canary-unquoted-pw}}';
      const res = await expectRejected(postRaw('/device/execute', body));
      expect(JSON.stringify(res.body)).not.toContain('canary');
      const bare = await expectRejected(postRaw('/device/execute', 'canary-bare-secret'));
      expect(JSON.stringify(bare.body)).not.toContain('canary');
    });
    it('a body over 1 MiB -> 413 with the envelope', async () => {
      const body = { ...valid(), command: 'x'.repeat(1024 * 1024 + 10) };
      const res = await expectRejected(post('/device/execute', body), { status: 413 });
      expect(res.body.message).toMatch(/larger than/i);
    });
    it('text/plain -> 415 with the envelope', async () => {
      const res = await expectRejected(postRaw('/device/execute', JSON.stringify(valid()), 'text/plain'), { status: 415 });
      expect(res.body).toEqual({ code: 415, message: expect.stringContaining('application/json'), data: null });
    });
    it('form-encoded -> 415 with the envelope', async () => {
      await expectRejected(postRaw('/device/execute', 'driver=netmiko&command=show+version', 'application/x-www-form-urlencoded'), { status: 415 });
    });
    it('an unsupported charset -> 415 with the envelope', async () => {
      await expectRejected(postRaw('/device/execute', JSON.stringify(valid()), 'application/json; charset=latin1'), { status: 415 });
    });
  });

  describe('POST /device/bulk and /device/test-connection', () => {
    const bulk = (extra: Record<string, unknown>) => ({ driver: 'netmiko', connection_args: executeBody(device).connection_args, command: 'show version', devices: [{ host: device.host }], ...extra });
    it.each<[string, string, () => object, string]>([
      ['bulk: devices empty', '/device/bulk', () => bulk({ devices: [] }), 'devices'],
      ['bulk: devices not a list', '/device/bulk', () => bulk({ devices: 'all' }), 'devices'],
      ['bulk: devices missing', '/device/bulk', () => bulk({ devices: undefined }), 'devices'],
      ['bulk: unknown field in a device', '/device/bulk', () => bulk({ devices: [{ host: device.host, vrf: 'mgmt' }] }), 'devices.0.vrf'],
      ['bulk: a device that is not an object', '/device/bulk', () => bulk({ devices: ['127.0.0.5'] }), 'devices.0'],
      ['bulk: bad shared connection_args', '/device/bulk', () => bulk({ connection_args: { port: 'ssh' } }), 'connection_args.port'],
      ['test-connection: a command is not allowed', '/device/test-connection', () => ({ driver: 'netmiko', connection_args: executeBody(device).connection_args, command: 'show version' }), 'command'],
      ['test-connection: invalid host', '/device/test-connection', () => ({ driver: 'netmiko', connection_args: executeBody(device, {}, { host: 'a b' }).connection_args }), 'connection_args.host'],
    ])('%s -> 400', async (_name, path, body, field) => {
      await expectRejected(post(path, body()), { field });
    });
  });

  it('no rejected request wrote a Redis key, and the queued job of another host was never cancelled', async () => {
    expect(await stateKeys(prefix)).toEqual(baselineKeys);
    const job = (await api.http.get(`/job?id=${sitting}`).expect(200)).body.data[0];
    expect(job).toMatchObject({ id: sitting, status: 'queued' });
  });

  it('control: the same requests with valid values are accepted and run', async () => {
    const listed = await api.http.get(`/job?status=queued&limit=1000&host=${sittingHost}`).expect(200);
    expect(listed.body.data.map((j: { id: string }) => j.id)).toEqual([sitting]);
    const submitted = await api.http.post('/device/execute', { ...valid(), options: { ttl: 3600, queue_strategy: 'fifo' } }).expect(201);
    const done = await waitFor(async () => {
      const job = (await api.http.get(`/job?id=${submitted.body.data.id}`).expect(200)).body.data[0];
      return job?.status === 'finished' ? job : null;
    }, 15000, 50);
    expect(done.result.retval).toContain('Cisco IOS Software');
    const cancelled = await api.http.delete(`/job?host=${sittingHost}&force=false`).expect(200);
    expect(cancelled.body.data).toEqual({ cancelled_count: 1, cancelled_jobs: [sitting] });
  });
});
