import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestApi, startApi } from './support/api-app';
import { OwnRedis, freePort, redisServerRequirement, startOwnRedis } from './support/redis-server';
import { describeRequiring } from './support/requirements';
import { testEnv, uniquePrefix } from './support/test-env';

/** The Redis connection options, each against a real redis-server of the test's own. */
describeRequiring(redisServerRequirement, 'Redis connection: password and ACL user, TLS with client certificates, Sentinel', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netpulse-redis-'));
  const servers: OwnRedis[] = [];
  const apis: TestApi[] = [];

  const ready = async (env: Record<string, string>) => {
    const api = await startApi(testEnv(uniquePrefix('conn'), env));
    apis.push(api);
    const probe = await api.anonymous.get('/health/ready');
    const list = await api.http.get('/job?limit=1');
    return { probe: probe.status, list: list.status };
  };

  afterAll(async () => {
    await Promise.all(apis.map((a) => a.close()));
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('connects with an ACL user and password from REDIS_URL, and is not ready with a wrong one', async () => {
    const redis = await startOwnRedis(() => ['--user', 'netpulse', 'on', '>s3cret-pw', '~*', '&*', '+@all', '--user', 'default', 'off']);
    servers.push(redis);
    expect(await ready({ REDIS_URL: `redis://netpulse:s3cret-pw@127.0.0.1:${redis.port}` })).toEqual({ probe: 200, list: 200 });
    const wrong = await ready({ REDIS_URL: `redis://netpulse:wrong@127.0.0.1:${redis.port}` });
    expect(wrong.probe).toBe(503);
    expect(wrong.list).toBe(503);
  });

  it('connects over TLS with a CA and a client certificate', async () => {
    const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
    ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=test-ca', '-keyout', 'ca.key', '-out', 'ca.crt');
    for (const name of ['server', 'client']) {
      ssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name === 'server' ? '127.0.0.1' : 'netpulse'}`, '-keyout', `${name}.key`, '-out', `${name}.csr`);
      writeFileSync(join(dir, `${name}.ext`), name === 'server' ? 'subjectAltName=IP:127.0.0.1\n' : 'extendedKeyUsage=clientAuth\n');
      ssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-extfile', `${name}.ext`, '-out', `${name}.crt`);
    }
    const tlsPort = await freePort();
    const f = (n: string) => join(dir, n);
    const redis = await startOwnRedis(() => ['--tls-port', String(tlsPort), '--tls-cert-file', f('server.crt'), '--tls-key-file', f('server.key'), '--tls-ca-cert-file', f('ca.crt'), '--tls-auth-clients', 'yes']);
    servers.push(redis);
    expect(await ready({
      REDIS_URL: `rediss://127.0.0.1:${tlsPort}`, REDIS_TLS_CA_FILE: f('ca.crt'), REDIS_TLS_CERT_FILE: f('client.crt'), REDIS_TLS_KEY_FILE: f('client.key'),
    })).toEqual({ probe: 200, list: 200 });
  });

  it('finds the master through Sentinel', async () => {
    const master = await startOwnRedis();
    servers.push(master);
    const conf = join(dir, 'sentinel.conf');
    writeFileSync(conf, `sentinel monitor netpulse-master 127.0.0.1 ${master.port} 1\n`);
    const sentinel = await startOwnRedis(undefined, 'Sentinel ID', (port) => [conf, '--sentinel', '--port', String(port), '--bind', '127.0.0.1']);
    servers.push(sentinel);
    expect(await ready({ REDIS_SENTINELS: `127.0.0.1:${sentinel.port}`, REDIS_SENTINEL_NAME: 'netpulse-master', REDIS_URL: 'redis://127.0.0.1:1' })).toEqual({ probe: 200, list: 200 });
  });
});
