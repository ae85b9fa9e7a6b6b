import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { ApiModule } from '../../src/api.module';
import { configureApi, createHttpAdapter } from '../../src/app.setup';
import { applyEnv, TEST_API_KEY } from './test-env';

/** A route the HTTP server registered (HEAD routes Fastify adds for GET included). */
export interface RegisteredRoute {
  method: string;
  path: string;
}

export interface TestApi {
  app: NestFastifyApplication;
  /** every route the server registered, Swagger UI's included, recorded as Fastify added them */
  routes: RegisteredRoute[];
  /** supertest agent with the API key set */
  http: {
    get(path: string): request.Test;
    post(path: string, body?: object): request.Test;
    delete(path: string): request.Test;
  };
  /** supertest agent without a key */
  anonymous: ReturnType<typeof request>;
  close(): Promise<void>;
}

/** The real API module, configured exactly as main.ts does, on the given environment. */
export async function startApi(env: Record<string, string>): Promise<TestApi> {
  const restore = applyEnv(env);
  const moduleRef = await Test.createTestingModule({ imports: [ApiModule.forRoot()] }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(), { bodyParser: false, logger: ['error', 'warn'] });
  const routes: RegisteredRoute[] = [];
  app.getHttpAdapter().getInstance().addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) routes.push({ method, path: r.url });
  });
  await configureApi(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  restore();
  const server = app.getHttpServer();
  const agent = request(server);
  return {
    app,
    routes,
    anonymous: agent,
    http: {
      get: (path) => agent.get(path).set('X-API-KEY', TEST_API_KEY),
      post: (path, body) => agent.post(path).set('X-API-KEY', TEST_API_KEY).send(body ?? {}),
      delete: (path) => agent.delete(path).set('X-API-KEY', TEST_API_KEY),
    },
    close: () => app.close(),
  };
}
