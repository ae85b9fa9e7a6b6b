import Fastify, { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { loadDashboardAssets } from './dashboard-assets';
import { DASHBOARD_CSP, serveDashboard } from './dashboard.routes';

/** The dashboard's static routes on a bare Fastify with the API's router options: headers, redirect, caching, gzip. */
describe('dashboard routes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'np-ui-'));
  const script = `console.log(${JSON.stringify('x'.repeat(2000))});`;
  let app: FastifyInstance;

  beforeAll(async () => {
    writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="app-ABCD2345.js"></script>');
    writeFileSync(join(dir, 'app-ABCD2345.js'), script);
    writeFileSync(join(dir, 'notes.txt'), 'not an asset type');
    writeFileSync(join(dir, '.hidden.js'), 'secret');
    app = Fastify({ routerOptions: { ignoreTrailingSlash: true } });
    serveDashboard(app, loadDashboardAssets(dir));
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('redirects /ui to ui/, relative, so the page lands under any proxy prefix (query kept)', async () => {
    const res = await app.inject({ url: '/ui?x=1' });
    expect(res.statusCode).toBe(301);
    expect(res.headers.location).toBe('ui/?x=1');
  });

  it('serves index.html at /ui/ with its strict CSP, revalidated by ETag', async () => {
    const res = await app.inject({ url: '/ui/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toBe(DASHBOARD_CSP);
    expect(DASHBOARD_CSP).toContain("script-src 'self'");
    expect(DASHBOARD_CSP).not.toContain('unsafe');
    expect(res.headers['cache-control']).toBe('no-cache');
    const again = await app.inject({ url: '/ui/', headers: { 'if-none-match': String(res.headers.etag) } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('serves hashed files for a year, gzipped when the client accepts it', async () => {
    const plain = await app.inject({ url: '/ui/app-ABCD2345.js' });
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(script);
    const zipped = await app.inject({ url: '/ui/app-ABCD2345.js', headers: { 'accept-encoding': 'br, gzip' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toBe('accept-encoding');
    expect(zipped.rawPayload.length).toBeLessThan(script.length / 4);
    expect(gunzipSync(zipped.rawPayload).toString()).toBe(script);
  });

  it('answers only the files found at start: no other type, no dot file, no path out of the folder', async () => {
    for (const url of ['/ui/notes.txt', '/ui/.hidden.js', '/ui/..%2Fpackage.json', '/ui/%2E%2E%2F%2E%2E%2Fpackage.json', '/ui/missing.js']) {
      expect({ url, status: (await app.inject({ url })).statusCode }).toEqual({ url, status: 404 });
    }
  });

  it('says how to build the dashboard when dist/ui is missing', async () => {
    const bare = Fastify({ routerOptions: { ignoreTrailingSlash: true } });
    serveDashboard(bare, loadDashboardAssets(join(dir, 'nowhere')));
    const res = await bare.inject({ url: '/ui/' });
    expect(res.statusCode).toBe(404);
    expect(res.body).toMatch(/npm run build/);
    await bare.close();
  });
});
