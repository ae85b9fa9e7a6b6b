import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { readFileSync } from 'node:fs';
import { Logger as PinoLogger } from 'nestjs-pino';
import { ApiModule } from './api.module';
import { configureApi, createHttpAdapter } from './app.setup';
import { exitGracefully } from './common/graceful-exit';
import { AppConfig } from './config/app-config';
import { validateEnv } from './config/env.validation';

/** The HTTP API. Serves HTTPS itself when TLS_CERT_FILE and TLS_KEY_FILE are set. */
async function bootstrap(): Promise<void> {
  // The TLS files must be known before the app exists, so they are read from the validated environment here.
  const env = validateEnv(process.env);
  const httpsOptions = env.TLS_CERT_FILE && env.TLS_KEY_FILE
    ? { cert: readFileSync(env.TLS_CERT_FILE), key: readFileSync(env.TLS_KEY_FILE) }
    : undefined;
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.forRoot(), createHttpAdapter(httpsOptions), { bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(PinoLogger));
  await configureApi(app);
  const config = app.get(AppConfig);
  exitGracefully(app, 20_000);
  await listenOnAllInterfaces(app, config.port);
  const scheme = httpsOptions ? 'https' : 'http';
  new Logger('Api').log(`NetPulse API on ${scheme}://127.0.0.1:${config.port} (Swagger UI at /docs)`);
}

/** Every interface, IPv6 and IPv4 (as Express did); IPv4 only where the host has no IPv6. */
async function listenOnAllInterfaces(app: NestFastifyApplication, port: number): Promise<void> {
  try {
    await app.listen(port, '::');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EAFNOSUPPORT' && (err as NodeJS.ErrnoException).code !== 'EADDRNOTAVAIL') throw err;
    await app.listen(port, '0.0.0.0');
  }
}

bootstrap().catch((err: Error) => {
  new Logger('Api').error(err.message);
  process.exit(1);
});
