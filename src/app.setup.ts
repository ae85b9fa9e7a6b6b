import { INestApplication } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { API_KEY_HEADER } from './common/api-key.guard';
import { EnvelopeInterceptor } from './common/envelope.interceptor';
import { EnvelopeExceptionFilter } from './common/http-exception.filter';
import { createValidationPipe } from './common/validation';
import { AppConfig } from './config/app-config';

/** Everything main.ts does to the app besides listening; e2e tests call it too, so they test the real thing. */
export function configureApi(app: NestExpressApplication): OpenAPIObject {
  const config = app.get(AppConfig);
  app.disable('x-powered-by');
  app.useBodyParser('json', { limit: config.bodyLimitBytes, strict: true });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalInterceptors(new EnvelopeInterceptor(app.get(Reflector)));
  app.useGlobalFilters(new EnvelopeExceptionFilter());
  app.enableShutdownHooks();
  const document = buildOpenApi(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json', customSiteTitle: 'NetPulse API' });
  return document;
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
