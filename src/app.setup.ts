import { HttpStatus, INestApplication } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { ApiError } from './common/api-error';
import { API_KEY_HEADER } from './common/api-key.guard';
import { EnvelopeInterceptor } from './common/envelope.interceptor';
import { EnvelopeExceptionFilter } from './common/http-exception.filter';
import { Messages } from './common/messages';
import { createValidationPipe } from './common/validation';
import { AppConfig } from './config/app-config';

/** Everything main.ts does to the app besides listening; e2e tests call it too, so they test the real thing. */
export function configureApi(app: NestExpressApplication): OpenAPIObject {
  const config = app.get(AppConfig);
  app.disable('x-powered-by');
  // No ETag: Express hashes every body (sha1 over a 140 KB list page) for a 304 no client of ours asks for.
  app.set('etag', false);
  // Security headers; CSP is left to the proxy: Swagger UI at /docs needs inline scripts.
  app.use(helmet({ contentSecurityPolicy: false }));
  app.useBodyParser('json', { limit: config.bodyLimitBytes, strict: true });
  app.use(parseErrorAsEnvelope);
  app.use(requireJsonBody);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalInterceptors(new EnvelopeInterceptor(app.get(Reflector)));
  app.useGlobalFilters(new EnvelopeExceptionFilter());
  const document = buildOpenApi(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json', customSiteTitle: 'NetPulse API' });
  return document;
}

/**
 * Right after the JSON parser (Express tells error middleware by its four parameters). A parse error gets
 * our fixed message: Nest would answer the parser's own one, and V8 quotes a piece of the body in it
 * (a password typed without quotes would come back).
 */
function parseErrorAsEnvelope(err: { type?: string }, _req: Request, _res: Response, next: NextFunction): void {
  next(err?.type === 'entity.parse.failed' ? ApiError.badRequest(Messages.malformedJson) : err);
}

/** A body the JSON parser did not read (another content type) is a 415, not a list of missing fields. */
function requireJsonBody(req: Request, _res: Response, next: NextFunction): void {
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  next(hasBody && !req.is('application/json') ? new ApiError(HttpStatus.UNSUPPORTED_MEDIA_TYPE, Messages.unsupportedMediaType) : undefined);
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
