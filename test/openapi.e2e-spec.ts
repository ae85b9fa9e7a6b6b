import SwaggerParser from '@apidevtools/swagger-parser';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestApi, startApi } from './support/api-app';
import { removeKeys, testEnv, uniquePrefix } from './support/test-env';

const PUBLIC = new Set(['GET /health/live', 'GET /health/ready']);

/** The committed openapi.json (npm run openapi) is valid OpenAPI 3 and is what the running app serves. */
describe('OpenAPI document', () => {
  const prefix = uniquePrefix('openapi');
  let api: TestApi;
  let served: Record<string, any>;

  beforeAll(async () => {
    api = await startApi(testEnv(prefix));
    served = (await api.anonymous.get('/openapi.json').expect(200)).body;
  });

  afterAll(async () => {
    await api?.close();
    await removeKeys(prefix);
  });

  it('matches the committed openapi.json (run `npm run openapi` after changing the API)', () => {
    const committed = JSON.parse(readFileSync(join(__dirname, '..', 'openapi.json'), 'utf8'));
    expect(served).toEqual(committed);
  });

  it('is valid OpenAPI 3', async () => {
    expect(served.openapi).toMatch(/^3\./);
    await expect(SwaggerParser.validate(structuredClone(served) as never)).resolves.toBeDefined();
  });

  it('puts the X-API-KEY scheme on every operation but the public probes', () => {
    expect(served.components.securitySchemes['api-key']).toEqual({ type: 'apiKey', in: 'header', name: 'X-API-KEY' });
    const operations = Object.entries(served.paths as Record<string, Record<string, { security?: unknown[] }>>)
      .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ id: `${method.toUpperCase()} ${path}`, op })));
    expect(operations.length).toBeGreaterThanOrEqual(12);
    for (const { id, op } of operations) {
      if (PUBLIC.has(id)) expect(op.security ?? []).toEqual([]);
      else expect({ id, security: op.security }).toEqual({ id, security: [{ 'api-key': [] }] });
    }
  });
});
