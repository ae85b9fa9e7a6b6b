import fc from 'fast-check';
import { JobStore } from '../src/jobs/job-store';
import { TestApi, startApi } from './support/api-app';
import { stateKeys } from './support/redis-inspect';
import { removeKeys, testEnv, uniquePrefix } from './support/test-env';

/** Hostile strings: control characters, unicode, huge, separators, prototype names, numbers in disguise. */
const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('__proto__', 'constructor', '-1', '0', '1e3', '1001', 'NaN', '', ' ', 'FifoQ\u0000', 'pinned_a b', '*', '../..', '%00', '\r\nX-Injected: 1'),
  fc.string({ minLength: 300, maxLength: 2000 }),
);
const queryOf = fc.dictionary(fc.constantFrom('id', 'queue', 'status', 'node', 'host', 'limit', 'cursor', 'force', 'name', 'x', '__proto__'), hostile, { maxKeys: 4 });
/** Bodies: anything JSON can carry, nested, with prototype-pollution keys and wrong types where scalars belong. */
const bodyOf = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.record({
    driver: fc.oneof(fc.constantFrom('netmiko', 'ssh', 'telnet'), fc.jsonValue({ maxDepth: 1 })),
    connection_args: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.record({ device_type: hostile, host: hostile, username: hostile, port: fc.jsonValue({ maxDepth: 1 }) })),
    command: fc.oneof(hostile, fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 })),
    options: fc.jsonValue({ maxDepth: 3 }),
    parsing: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.record({ template: hostile, use_ntc_template: fc.jsonValue({ maxDepth: 1 }) }, { requiredKeys: [] })),
    template: fc.oneof(hostile, fc.constantFrom('file://../../etc/passwd', 'file:///etc/passwd', 'http://127.0.0.1:1/x', 'Value X (\\S+)\n\nStart\n  ^${X} -> Record')),
    context: fc.oneof(hostile, fc.jsonValue({ maxDepth: 2 })),
    name: fc.oneof(fc.constantFrom('textfsm', 'jinja2', 'ttp'), hostile),
    __proto__: fc.jsonValue({ maxDepth: 2 }),
  }, { requiredKeys: [] }),
);

const ROUTES: { method: 'get' | 'delete' | 'post'; path: string; body: boolean }[] = [
  { method: 'get', path: '/job', body: false },
  { method: 'delete', path: '/job', body: false },
  { method: 'get', path: '/worker', body: false },
  { method: 'delete', path: '/worker', body: false },
  { method: 'post', path: '/worker/suspend', body: false },
  { method: 'post', path: '/device/execute', body: true },
  { method: 'post', path: '/device/bulk', body: true },
  { method: 'post', path: '/device/test-connection', body: true },
  { method: 'post', path: '/template/parse', body: true },
  { method: 'post', path: '/template/render', body: true },
];

/**
 * Property-based: random and hostile queries and bodies on every endpoint get a 4xx envelope naming the
 * problem (or an empty success for harmless reads), never a 5xx, and never change what Redis holds.
 */
describe('hostile input, property-based (fast-check)', () => {
  const prefix = uniquePrefix('prop');
  let api: TestApi;
  let seeded: string[];

  beforeAll(async () => {
    api = await startApi(testEnv(prefix));
    const store = api.app.get(JobStore);
    const request = { kind: 'execute' as const, driver: 'netmiko', device_type: 'cisco_ios', host: '10.1.1.1', port: 22, username: 'u', queue_strategy: 'pinned' as const, timeout: 30 };
    seeded = await Promise.all([1, 2, 3].map(() => store.create({ queue: 'pinned_10.1.1.1', host: '10.1.1.1', request, secrets: {}, queuedTtlMs: 600_000 }, 600_000)));
    // Their submit counters reach Redis with the next flush: flush them now, before any test takes its baseline.
    await store.tally.flush();
  });

  afterAll(async () => {
    await api?.close();
    await removeKeys(prefix);
  });

  it.each(ROUTES)('$method $path: never a 5xx, always the envelope, never a change', async ({ method, path, body }) => {
    const before = await stateKeys(prefix);
    await fc.assert(
      fc.asyncProperty(queryOf, bodyOf, async (query, payload) => {
        const qs = new URLSearchParams(Object.entries(query)).toString();
        let req = api.http[method](`${path}${qs ? `?${qs}` : ''}`);
        if (body) req = req.send(JSON.stringify(payload)).set('content-type', 'application/json');
        const res = await req;
        expect(res.status).toBeLessThan(500);
        expect(res.body).toMatchObject({ code: res.status, message: expect.any(String) });
        if (res.status >= 400) {
          expect(res.body.message.length).toBeGreaterThan(0);
          if (res.status === 400 && Array.isArray(res.body.data)) {
            for (const e of res.body.data) expect(e).toEqual({ field: expect.any(String), error: expect.any(String) });
          }
        } else {
          // the only successes a random input may get are reads, filters that matched nothing, and template answers
          expect(path.startsWith('/device')).toBe(false);
          if (method === 'delete' && path === '/job') expect(res.body.data.cancelled_count).toBe(0);
          if (path.startsWith('/worker') && method !== 'get') expect(res.body.data).toEqual([]);
        }
      }),
      { numRuns: 60 },
    );
    expect(await stateKeys(prefix)).toEqual(before);
    const jobs = await Promise.all(seeded.map(async (id) => (await api.http.get(`/job?id=${id}`)).body.data[0].status));
    expect(jobs).toEqual(['queued', 'queued', 'queued']);
  }, 60000);
});
