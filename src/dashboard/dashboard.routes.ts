import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DashboardAsset, loadDashboardAssets } from './dashboard-assets';

/** Where the dashboard is served; it finds the API one level up from itself, so a proxy may mount both under a prefix. */
export const DASHBOARD_PATH = '/ui';

/**
 * The dashboard's own Content-Security-Policy (the rest of the API has none: Swagger UI at /docs needs inline
 * scripts). Nothing inline, nothing from elsewhere: scripts, styles and API calls from this origin only.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const NOT_BUILT = 'The NetPulse dashboard is not built: npm run build builds it into dist/ui.\n';

/**
 * Serves the dashboard's static files at /ui/ as Fastify routes outside Nest: public like /docs (the files carry no
 * data; every API call the page makes needs the key), hidden from the OpenAPI document, and not enveloped.
 * `/ui` without the slash redirects to `ui/`, relative, so the page's relative URLs resolve under any proxy prefix.
 */
export function serveDashboard(fastify: FastifyInstance, assets: Map<string, DashboardAsset> = loadDashboardAssets()): void {
  // ignoreTrailingSlash routes /ui and /ui/ here both; the raw URL tells them apart.
  fastify.get(DASHBOARD_PATH, (request, reply) => {
    const [path, query] = splitUrl(request.raw.url ?? DASHBOARD_PATH);
    if (!path.endsWith('/')) return reply.redirect(`ui/${query}`, 301);
    if (assets.size === 0) return reply.code(404).type('text/plain; charset=utf-8').send(NOT_BUILT);
    return sendAsset(request, reply, assets.get('index.html'));
  });
  fastify.get<{ Params: { file: string } }>(`${DASHBOARD_PATH}/:file`, (request, reply) => sendAsset(request, reply, assets.get(request.params.file)));
}

function splitUrl(url: string): [string, string] {
  const at = url.indexOf('?');
  return at < 0 ? [url, ''] : [url.slice(0, at), url.slice(at)];
}

function sendAsset(request: FastifyRequest, reply: FastifyReply, asset: DashboardAsset | undefined): FastifyReply {
  if (!asset) {
    reply.callNotFound(); // the API's own 404 envelope
    return reply;
  }
  void reply
    .header('content-security-policy', DASHBOARD_CSP)
    .header('cache-control', asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
    .header('etag', asset.etag)
    .header('vary', 'accept-encoding')
    .type(asset.type);
  if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
  if (asset.gzip && /\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) {
    return reply.header('content-encoding', 'gzip').send(asset.gzip);
  }
  return reply.send(asset.body);
}
