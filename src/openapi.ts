import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { writeFileSync } from 'node:fs';
import { ApiModule } from './api.module';
import { buildOpenApi, createHttpAdapter } from './app.setup';

/**
 * `npm run openapi`: writes openapi.json from the controllers and DTOs, without Redis (preview mode builds
 * the module graph but no provider). A test checks the committed file matches the running app.
 */
async function main(): Promise<void> {
  process.env.NETPULSE_API_KEYS ??= 'openapi-generation-only';
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.forRoot(), createHttpAdapter(), { preview: true, logger: false });
  const out = process.argv[2] ?? 'openapi.json';
  writeFileSync(out, `${JSON.stringify(buildOpenApi(app), null, 2)}\n`);
  await app.close();
  process.stdout.write(`wrote ${out}\n`);
}

void main();
