import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { ApiModule } from '../../src/api.module';
import { configureApi } from '../../src/app.setup';
import { applyEnv, TEST_API_KEY } from './test-env';

export interface TestApi {
  app: NestExpressApplication;
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
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: ['error', 'warn'] });
  configureApi(app);
  await app.init();
  restore();
  const server = app.getHttpServer();
  const agent = request(server);
  return {
    app,
    anonymous: agent,
    http: {
      get: (path) => agent.get(path).set('X-API-KEY', TEST_API_KEY),
      post: (path, body) => agent.post(path).set('X-API-KEY', TEST_API_KEY).send(body ?? {}),
      delete: (path) => agent.delete(path).set('X-API-KEY', TEST_API_KEY),
    },
    close: () => app.close(),
  };
}
