import request from 'supertest';
import { TestApi, startApi } from './support/api-app';
import { stateKeys } from './support/redis-inspect';
import { TEST_API_KEY, removeKeys, testEnv, uniquePrefix, waitFor } from './support/test-env';
import { WorkerProcess, startWorkerNode } from './support/worker-process';

/** The second key of testEnv's NETPULSE_API_KEYS: a rotated-in key. */
const SECOND_KEY = 'second-key-for-rotation';

interface Route {
  method: string;
  path: string;
}

/**
 * The routes the running app answers, as Fastify registered them (recorded by startApi's onRoute hook). HEAD
 * routes are Fastify's copies of GET routes and answer as those do; routes answering more than a handful of
 * methods are catch-alls (Nest's not-found handling, static files), not endpoints.
 */
function discoverRoutes(api: TestApi): Route[] {
  const methodsPerPath = new Map<string, number>();
  for (const r of api.routes) methodsPerPath.set(r.path, (methodsPerPath.get(r.path) ?? 0) + 1);
  return api.routes.filter((r) => r.method !== 'HEAD' && (methodsPerPath.get(r.path) ?? 0) <= 7);
}

/** The Swagger UI and its document, registered by SwaggerModule.setup outside Nest's guards: public by decision. */
const isDocs = (path: string) => path === '/docs' || path.startsWith('/docs/') || path === '/docs-yaml' || path === '/openapi.json';
/** The dashboard's static files (GET /ui/...), public by decision like /docs: they hold no data, every call they make needs the key. */
const isDashboard = (path: string) => path === '/ui' || path.startsWith('/ui/');
/** Always public: the Kubernetes probes. /metrics is public only when configured (METRICS_PUBLIC=true). */
const PUBLIC = new Set(['/health/live', '/health/ready']);

/** A concrete URL for a route path: parameters filled in. */
const concrete = (path: string) => path.replace(/:(\w+)/g, 'x').replace(/\{[^}]+\}/g, 'x');

describe('authentication', () => {
  const prefix = uniquePrefix('auth');
  const env = testEnv(prefix);
  let api: TestApi;
  let node: WorkerProcess;
  let routes: Route[];

  beforeAll(async () => {
    // a live node, so that a valid request with a key would be queued: without a key nothing must be
    node = await startWorkerNode('auth-node-1', env);
    api = await startApi(env);
    routes = discoverRoutes(api);
  });

  afterAll(async () => {
    await api?.close();
    await node?.stop();
    await removeKeys(prefix);
  });

  const guarded = () => routes.filter((r) => !PUBLIC.has(r.path) && !isDocs(r.path) && !isDashboard(r.path));
  const call = (r: Route, agent: ReturnType<typeof request> = api.anonymous) => {
    const url = concrete(r.path);
    switch (r.method) {
      case 'GET': return agent.get(url);
      case 'POST': return agent.post(url).send({});
      case 'DELETE': return agent.delete(url);
      case 'PUT': return agent.put(url).send({});
      case 'PATCH': return agent.patch(url).send({});
      default: return agent.head(url);
    }
  };
  const expect401 = (res: request.Response, what: string) => {
    expect({ what, status: res.status, body: res.body }).toEqual({
      what,
      status: 401,
      body: { code: 401, message: 'Missing or invalid API key: send it in the X-API-KEY header', data: null },
    });
  };

  it('discovers the routes of the running app (at least the contract ones)', () => {
    const names = routes.map((r) => `${r.method} ${r.path}`);
    expect(names).toEqual(expect.arrayContaining([
      'GET /job', 'DELETE /job', 'POST /device/execute', 'POST /device/bulk', 'POST /device/test-connection',
      'GET /health', 'GET /health/live', 'GET /health/ready', 'GET /docs', 'GET /openapi.json',
    ]));
    expect(guarded().length).toBeGreaterThanOrEqual(6);
  });

  it('answers 401 with the envelope on every non-public route without a key, with a wrong one or an empty one', async () => {
    for (const r of guarded()) {
      const what = `${r.method} ${r.path}`;
      expect401(await call(r), `${what} without a key`);
      expect401(await call(r).set('X-API-KEY', 'wrong-key'), `${what} with a wrong key`);
      expect401(await call(r).set('X-API-KEY', ''), `${what} with an empty key`);
      expect401(await call(r).set('X-API-KEY', TEST_API_KEY.slice(0, -1)), `${what} with a prefix of the key`);
      expect401(await call(r).set('X-API-KEY', `${TEST_API_KEY}x`), `${what} with the key and one more character`);
    }
  });

  it('does not take the key from a query parameter, a cookie or an Authorization header', async () => {
    for (const r of guarded()) {
      const what = `${r.method} ${r.path}`;
      const url = concrete(r.path);
      for (const q of [`api_key=${TEST_API_KEY}`, `X-API-KEY=${TEST_API_KEY}`, `x-api-key=${TEST_API_KEY}`, `key=${TEST_API_KEY}`]) {
        const method = r.method.toLowerCase() as 'get' | 'post' | 'delete';
        expect401(await api.anonymous[method](`${url}?${q}`), `${what} with ?${q.split('=')[0]}`);
      }
      expect401(await call(r).set('Cookie', `X-API-KEY=${TEST_API_KEY}; api_key=${TEST_API_KEY}`), `${what} with a cookie`);
      expect401(await call(r).set('Authorization', `Bearer ${TEST_API_KEY}`), `${what} with Authorization: Bearer`);
      expect401(await call(r).set('Authorization', `ApiKey ${TEST_API_KEY}`), `${what} with Authorization: ApiKey`);
    }
  });

  it('checks the key before the input: a bad query without a key is 401, not 400', async () => {
    expect401(await api.anonymous.get('/job?status=bogus&limit=0'), 'GET /job with bad query');
    expect401(await api.anonymous.delete('/job'), 'DELETE /job without filter');
    expect401(await api.anonymous.post('/device/execute').send({ driver: 'telnet' }), 'POST /device/execute with a bad body');
  });

  it('stores nothing for a valid request sent without a key (and the same request with the key is queued)', async () => {
    // port 9 (discard) on 127.0.0.6: nothing listens, so the control job just fails to connect
    const body = { driver: 'netmiko', connection_args: { device_type: 'cisco_ios', host: '127.0.0.6', port: 9, username: 'u', password: 'canary-auth', timeout: 2 }, command: 'show version', options: { queue_strategy: 'fifo' } };
    const before = await stateKeys(prefix);
    expect401(await api.anonymous.post('/device/execute').send(body), 'POST /device/execute');
    expect401(await api.anonymous.post('/device/bulk').send({ ...body, devices: [{}] }), 'POST /device/bulk');
    expect401(await api.anonymous.post('/device/test-connection').send({ driver: body.driver, connection_args: body.connection_args }), 'POST /device/test-connection');
    expect401(await api.anonymous.post('/device/execute').set('X-API-KEY', 'wrong-key').send(body), 'POST /device/execute with a wrong key');
    expect(await stateKeys(prefix)).toEqual(before);
    expect((await api.http.get('/job').expect(200)).body.data).toEqual([]);

    const control = await api.http.post('/device/execute', body).expect(201);
    expect(control.body.data.status).toBe('queued');
    await waitFor(async () => (await api.http.get(`/job?id=${control.body.data.id}&status=failed`)).body.data[0]?.status === 'failed', 15000, 50);
  });

  it('rejects a duplicated header even when one copy is right', async () => {
    const res = await api.anonymous.get('/job').set('X-API-KEY', ['wrong-key', TEST_API_KEY] as unknown as string);
    expect401(res, 'two X-API-KEY headers');
  });

  it('accepts either configured key (rotation), whatever the case of the header name', async () => {
    for (const [header, key] of [['X-API-KEY', TEST_API_KEY], ['X-API-KEY', SECOND_KEY], ['X-API-Key', TEST_API_KEY], ['x-api-key', SECOND_KEY], ['X-Api-Key', TEST_API_KEY]]) {
      const res = await api.anonymous.get('/job?limit=1').set(header, key);
      expect({ header, key, status: res.status, code: res.body.code, message: res.body.message }).toEqual({ header, key, status: 200, code: 200, message: 'success' });
    }
    const health = await api.anonymous.get('/health').set('X-API-Key', SECOND_KEY);
    expect([200, 503]).toContain(health.status);
    expect(health.body.code).toBe(health.status);
  });

  it('serves the probes without a key', async () => {
    for (const path of ['/health/live', '/health/ready']) {
      const res = await api.anonymous.get(path);
      expect({ path, status: res.status, status_field: res.body.status }).toEqual({ path, status: 200, status_field: 'ok' });
    }
  });

  it('with METRICS_PUBLIC=true, /metrics answers without a key and every other route still needs one', async () => {
    expect(routes.map((r) => `${r.method} ${r.path}`)).toContain('GET /metrics');
    expect401(await api.anonymous.get('/metrics'), 'GET /metrics by default');
    const open = await startApi({ ...env, METRICS_PUBLIC: 'true' });
    try {
      const res = await open.anonymous.get('/metrics');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/plain|openmetrics/);
      for (const r of discoverRoutes(open).filter((x) => !PUBLIC.has(x.path) && !isDocs(x.path) && !isDashboard(x.path) && x.path !== '/metrics')) {
        expect401(await call(r, open.anonymous), `${r.method} ${r.path} with METRICS_PUBLIC=true`);
      }
    } finally {
      await open.close();
    }
  });

  it('serves the Swagger UI and the OpenAPI document without a key (docs are public by decision)', async () => {
    const ui = await api.anonymous.get('/docs');
    expect(ui.status).toBe(200);
    expect(ui.headers['content-type']).toContain('text/html');
    const doc = await api.anonymous.get('/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBeDefined();
    // and the document holds no key
    expect(JSON.stringify(doc.body)).not.toContain(TEST_API_KEY);
    expect(JSON.stringify(doc.body)).not.toContain(SECOND_KEY);
  });

  it('serves the dashboard (/ui) without a key: static files only, no job, worker or key in them', async () => {
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(['GET /ui', 'GET /ui/:file']));
    const page = await api.anonymous.get('/ui/').expect(200);
    expect(page.headers['content-type']).toContain('text/html');
    for (const name of page.text.match(/(?:app|style)-[A-Z0-9]+\.(?:js|css)/g) ?? []) {
      const asset = await api.anonymous.get(`/ui/${name}`).buffer(true).expect(200);
      expect(String(asset.body)).not.toContain(TEST_API_KEY);
    }
    expect(page.text).not.toContain(TEST_API_KEY);
    // what the page shows comes from API calls, which need the key
    expect401(await api.anonymous.get('/job'), 'GET /job from the dashboard without a key');
  });

  describe('GET /openapi.json', () => {
    type Operation = { security?: Record<string, string[]>[]; operationId?: string };
    let doc: { openapi: string; paths: Record<string, Record<string, Operation>>; components: { securitySchemes?: Record<string, unknown> } };

    beforeAll(async () => {
      doc = (await api.anonymous.get('/openapi.json').expect(200)).body;
    });

    it('is OpenAPI 3 with the api-key scheme: apiKey in header X-API-KEY', () => {
      expect(doc.openapi).toMatch(/^3\./);
      expect(doc.components.securitySchemes?.['api-key']).toEqual({ type: 'apiKey', in: 'header', name: 'X-API-KEY' });
    });

    it('documents every API route, and every non-probe operation requires the api-key scheme', () => {
      const toOpenApi = (path: string) => path.replace(/:(\w+)/g, '{$1}');
      for (const r of routes.filter((x) => !isDocs(x.path) && !isDashboard(x.path))) {
        const op = doc.paths[toOpenApi(r.path)]?.[r.method.toLowerCase()];
        expect({ route: `${r.method} ${r.path}`, documented: op !== undefined }).toEqual({ route: `${r.method} ${r.path}`, documented: true });
      }
      const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));
      expect(operations.length).toBeGreaterThanOrEqual(8);
      for (const { path, method, op } of operations) {
        const secured = (op.security ?? []).some((s) => 'api-key' in s);
        expect({ operation: `${method.toUpperCase()} ${path}`, secured }).toEqual({ operation: `${method.toUpperCase()} ${path}`, secured: !PUBLIC.has(path) });
      }
    });
  });
});
