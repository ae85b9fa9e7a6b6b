import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { ApiModule } from './api.module';
import { configureApi } from './app.setup';
import { AppConfig } from './config/app-config';
import { Logger as PinoLogger } from 'nestjs-pino';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(), { bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(PinoLogger));
  configureApi(app);
  const config = app.get(AppConfig);
  await app.listen(config.port);
  new Logger('Api').log(`NetPulse API on http://127.0.0.1:${config.port} (Swagger UI at /docs)`);
}

bootstrap().catch((err: Error) => {
  new Logger('Api').error(err.message);
  process.exit(1);
});
