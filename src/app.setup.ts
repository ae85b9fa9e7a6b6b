import helmet from '@fastify/helmet';
import { HttpStatus, INestApplication } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from './common/api-error';
import { API_KEY_HEADER } from './common/api-key.guard';
import { EnvelopingFastifyAdapter } from './common/enveloping-adapter';
import { EnvelopeExceptionFilter } from './common/http-exception.filter';
import { Messages } from './common/messages';
import { requestIdOf } from './common/logging';
import { serveDashboard } from './dashboard/dashboard.routes';
import { createValidationPipe } from './common/validation';
import { AppConfig } from './config/app-config';
import { recordHttpMetrics } from './metrics/http-metrics.hook';
import { MetricsService } from './metrics/metrics.service';
import { RequestStats } from './metrics/request-stats';

/**
 * The HTTP server under Nest: Fastify, enveloping handler results itself (EnvelopingFastifyAdapter); what that
 * saved against Express is in bench/RESULTS.md (http-notes). Routing is as Express had it: a trailing slash is
 * ignored.
 */
export function createHttpAdapter(https?: { cert: Buffer; key: Buffer }): EnvelopingFastifyAdapter {
  // return503OnClosing off: while draining, a request on an open keep-alive connection is served as before (as
  // Express did) rather than answered with Fastify's own 503 body, which is not our envelope.
  const options = { routerOptions: { ignoreTrailingSlash: true }, return503OnClosing: false, genReqId: requestIdOf };
  return https ? new EnvelopingFastifyAdapter({ ...options, https }) : new EnvelopingFastifyAdapter(options);
}

/** Everything main.ts does to the app besides listening; e2e tests call it too, so they test the real thing. */
export async function configureApi(app: NestFastifyApplication): Promise<OpenAPIObject> {
  const config = app.get(AppConfig);
  const fastify = app.getHttpAdapter().getInstance();
  // Security headers; no CSP here: Swagger UI at /docs needs inline scripts (the dashboard at /ui sets its own).
  await app.register(helmet, { contentSecurityPolicy: false });
  // Every answer names its request id, as the log lines do.
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  acceptJsonOnly(fastify, config.bodyLimitBytes);
  closeKeptConnectionsWhenDrained(fastify);
  recordHttpMetrics(fastify, app.get(MetricsService), app.get(RequestStats));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new EnvelopeExceptionFilter());
  const document = buildOpenApi(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json', customSiteTitle: 'NetPulse API' });
  serveDashboard(fastify);
  return document;
}

/**
 * At shutdown the server closes the keep-alive connections that are idle at that moment; one whose request was still
 * being answered (a `wait=` or a stream ended by the shutdown itself) would stay open after its answer until the
 * client drops it (Keep-Alive: 72 s here), holding the process past its shutdown bound. So while closing, each
 * connection is closed once it is idle after its answer; a request already sent on it (pipelined) is still served.
 */
function closeKeptConnectionsWhenDrained(fastify: FastifyInstance): void {
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onResponse', (_request, _reply, done) => {
    if (closing) setImmediate(() => fastify.server.closeIdleConnections());
    done();
  });
}

/**
 * JSON bodies only: objects or arrays (as a strict JSON parser), UTF-8, up to BODY_LIMIT bytes. Any other content
 * type or charset with a body is a 415 (Fastify would read text/plain too). A parse error gets our fixed message: V8's own
 * quotes a piece of the body (a password typed without quotes would come back).
 */
function acceptJsonOnly(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (req: FastifyRequest, body: string | Buffer, done) => {
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.headers['content-type'] ?? '')?.[1].toLowerCase();
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      return done(new ApiError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, Messages.unsupportedMediaType), undefined);
    }
    const text = String(body);
    if (text.trim() === '') return done(null, {});
    if (!/^\s*[[{]/.test(text)) return done(ApiError.badRequest(Messages.malformedJson), undefined);
    try {
      done(null, JSON.parse(text) as unknown);
    } catch {
      done(ApiError.badRequest(Messages.malformedJson), undefined);
    }
  });
  fastify.addContentTypeParser('*', (_req: FastifyRequest, _payload: unknown, done: (err: Error | null, body?: unknown) => void) => {
    done(new ApiError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, Messages.unsupportedMediaType));
  });
}

export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const spec = new DocumentBuilder()
    .setTitle('NetPulse job and worker API')
    .setDescription('Submit jobs that run commands on network devices over SSH, track, cancel and audit them; watch the workers.')
    .setVersion('0.1.0')
    .addApiKey({ type: 'apiKey', in: 'header', name: API_KEY_HEADER.toUpperCase() }, 'api-key')
    .build();
  return SwaggerModule.createDocument(app, spec);
}
