import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiProcess, startApiProcess } from './support/api-process';
import { commandRequirement, describeRequiring } from './support/requirements';
import { removeKeys, testEnv, uniquePrefix } from './support/test-env';

/** The API serves HTTPS itself when given a certificate and key (here a self-signed pair made by the test). */
describeRequiring(commandRequirement('openssl', ['version'], 'openssl'), 'HTTPS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netpulse-tls-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  const prefix = uniquePrefix('https');
  let api: ApiProcess;

  beforeAll(async () => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    api = await startApiProcess(testEnv(prefix, { TLS_CERT_FILE: cert, TLS_KEY_FILE: key }), 'https');
  });

  afterAll(async () => {
    await api?.stop();
    await removeKeys(prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers over TLS, verified against the certificate it was given', async () => {
    const body = await new Promise<string>((resolve, reject) => {
      get(`${api.base}/health/live`, { ca: readFileSync(cert) }, (res) => {
        let data = '';
        res.on('data', (d: Buffer) => (data += d.toString()));
        res.on('end', () => resolve(`${res.statusCode} ${data}`));
      }).on('error', reject);
    });
    expect(body).toMatch(/^200 \{"status":"ok"/);
    expect(api.output()).toContain('NetPulse API on https://');
  });
});
