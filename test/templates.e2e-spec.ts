import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestApi, startApi } from './support/api-app';
import { executeBody } from './support/device-job';
import { FakeDevice, startFakeDevice } from './support/fake-device/fake-device';
import { removeKeys, testEnv, uniquePrefix, waitFor } from './support/test-env';
import { WorkerProcess, startWorkerNode } from './support/worker-process';

type Job = { id: string; status: string; config: string[] | null; parsing: unknown; rendering: unknown; result: { type: string; retval: unknown; raw?: unknown; error: { type: string; message: string } | null } | null };

const SHOW_VERSION = [
  'Value VERSION (\\S+)',
  'Value HOSTNAME (\\S+)',
  'Value UPTIME (.+)',
  '',
  'Start',
  '  ^.*Software.*Version ${VERSION},',
  '  ^${HOSTNAME} uptime is ${UPTIME} -> Record',
  '',
].join('\n');
const IP_BRIEF = [
  'Value INTF (\\S+)',
  'Value IPADDR (\\S+)',
  'Value STATUS (up|down|administratively down)',
  '',
  'Start',
  '  ^${INTF}\\s+${IPADDR}\\s+\\w+\\s+\\w+\\s+${STATUS}\\s+\\S+\\s*$$ -> Record',
  '',
].join('\n');
const REFUSES_IOS = ['Value X (\\S+)', '', 'Start', '  ^Cisco IOS -> Error "not for IOS"', '  ^${X} -> Record', ''].join('\n');
const INTERFACES_J2 = '{% for i in interfaces %}interface {{ i.name }}\n description {{ i.description | upper }}\n{% endfor %}';
const SECRET_TEXT = 'outside-the-templates-dir-canary';

/** Templates end to end: the routes, jobs that parse and render against a fake device, and the attacks on template sources. */
describe('templates end to end', () => {
  const prefix = uniquePrefix('templates');
  const root = mkdtempSync(join(tmpdir(), 'np-templates-'));
  const templatesDir = join(root, 'templates');
  const ntcDir = join(root, 'ntc');
  let http: Server;
  let origin: string;
  let api: TestApi;
  let node: WorkerProcess;
  let router: FakeDevice;

  beforeAll(async () => {
    mkdirSync(join(templatesDir, 'sub'), { recursive: true });
    mkdirSync(ntcDir);
    writeFileSync(join(root, 'secret.txt'), `Value X (.+)\n\nStart\n  ^${SECRET_TEXT}\n`);
    writeFileSync(join(templatesDir, 'show_version.textfsm'), SHOW_VERSION);
    writeFileSync(join(templatesDir, 'sub', 'interfaces.j2'), INTERFACES_J2);
    symlinkSync(join(root, 'secret.txt'), join(templatesDir, 'link-out.textfsm'));
    symlinkSync(root, join(templatesDir, 'dir-out'));
    writeFileSync(join(ntcDir, 'index'), [
      'Template, Hostname, Platform, Command', '',
      'cisco_ios_show_version.textfsm, .*, cisco_ios, sh[[ow]] ver[[sion]]',
      'cisco_ios_show_ip_interface_brief.textfsm, .*, cisco_ios, sh[[ow]] ip int[[erface]] br[[ief]]', '',
    ].join('\n'));
    writeFileSync(join(ntcDir, 'cisco_ios_show_version.textfsm'), SHOW_VERSION);
    writeFileSync(join(ntcDir, 'cisco_ios_show_ip_interface_brief.textfsm'), IP_BRIEF);
    http = createServer((req, res) => {
      if (req.url === '/show_version.textfsm') return void res.end(SHOW_VERSION);
      if (req.url === '/big') return void res.end('x'.repeat(8192));
      if (req.url === '/slow') return void setTimeout(() => res.end(SHOW_VERSION), 3000).unref();
      if (req.url === '/redirect') return void res.writeHead(302, { location: 'http://example.com/x' }).end();
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    router = await startFakeDevice({ flavor: 'cisco_ios', hostname: 'core1', interfaceCount: 6, password: 'canary-Tpl-Pa55', secret: 'canary-Tpl-En4ble' });
    const env = testEnv(prefix, {
      JOB_RESULT_TTL: '120', TEMPLATES_DIR: templatesDir, NTC_TEMPLATES_DIR: ntcDir,
      TEMPLATE_URL_ALLOWLIST: '127.0.0.1', TEMPLATE_MAX_BYTES: '4096', TEMPLATE_FETCH_TIMEOUT_MS: '500',
    });
    node = await startWorkerNode('tpl-node-1', env);
    api = await startApi(env);
  });

  afterAll(async () => {
    await api?.close();
    await node?.stop();
    await router?.stop();
    await new Promise((resolve) => http?.close(resolve));
    await removeKeys(prefix);
    rmSync(root, { recursive: true, force: true });
  });

  const versionOutput = 'Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E4, RELEASE SOFTWARE (fc2)\ncore1 uptime is 3 weeks, 2 days\n';
  const versionRecord = { VERSION: '15.2(7)E4', HOSTNAME: 'core1', UPTIME: '3 weeks, 2 days' };

  async function ended(id: string): Promise<Job> {
    return waitFor(async () => {
      const job = (await api.http.get(`/job?id=${id}`).expect(200)).body.data[0] as Job | undefined;
      return job && ['finished', 'failed', 'cancelled'].includes(job.status) ? job : null;
    }, 20000, 50);
  }

  describe('POST /template/parse', () => {
    it('parses with an inline template, by name in the path, and from file:// and an allowed URL alike', async () => {
      for (const [path, template] of [
        ['/template/parse', SHOW_VERSION],
        ['/template/parse/textfsm', 'file://show_version.textfsm'],
        ['/template/parse', `file://${join(templatesDir, 'show_version.textfsm')}`],
        ['/template/parse', `${origin}/show_version.textfsm`],
      ]) {
        const res = await api.http.post(path, { name: 'textfsm', template, context: versionOutput }).expect(200);
        expect(res.body).toEqual({ code: 200, message: 'success', data: [versionRecord] });
      }
    });

    it('picks an ntc-templates template by platform and abbreviated command; keys lowercased', async () => {
      const res = await api.http.post('/template/parse', {
        use_ntc_template: true, ntc_template_args: { platform: 'cisco_ios', command: 'sh ver' }, context: versionOutput,
      }).expect(200);
      expect(res.body.data).toEqual([{ version: '15.2(7)E4', hostname: 'core1', uptime: '3 weeks, 2 days' }]);
      const none = await api.http.post('/template/parse', {
        use_ntc_template: true, ntc_template_args: { platform: 'cisco_ios', command: 'show clock' }, context: 'x',
      }).expect(400);
      expect(none.body.message).toBe("ntc-templates has no template for platform cisco_ios and command 'show clock'");
    });

    it('answers a template error with its line, a refused output with 422, an unknown parser with the list', async () => {
      const broken = await api.http.post('/template/parse', { template: 'Value X (\\S+)\n\nStart\n  ^${X} -> Bogus\n', context: 'a' }).expect(400);
      expect(broken.body.message).toMatch(/line 4/);
      expect(broken.body.data).toEqual([{ field: 'template', error: expect.any(String) }]);
      const refused = await api.http.post('/template/parse', { template: REFUSES_IOS, context: versionOutput }).expect(422);
      expect(refused.body.message).toMatch(/not for IOS/);
      const unknown = await api.http.post('/template/parse/ttp', { template: SHOW_VERSION, context: 'x' }).expect(400);
      expect(unknown.body.message).toBe('Unknown parser ttp: supported parsers are textfsm');
      await api.http.post('/template/parse', { context: 'x' }).expect(400);
    });
  });

  describe('POST /template/render', () => {
    it('renders Jinja2 from text and from file://, and refuses an undefined variable by name', async () => {
      const context = { interfaces: [{ name: 'Gi0/1', description: 'uplink' }, { name: 'Gi0/2', description: 'server' }] };
      const expected = 'interface Gi0/1\n description UPLINK\ninterface Gi0/2\n description SERVER\n';
      for (const [path, template] of [['/template/render', INTERFACES_J2], ['/template/render/jinja2', 'file://sub/interfaces.j2']]) {
        const res = await api.http.post(path, { name: 'jinja2', template, context }).expect(200);
        expect(res.body).toEqual({ code: 200, message: 'success', data: expected });
      }
      const undef = await api.http.post('/template/render', { template: 'hostname {{ hostname }}', context: {} }).expect(400);
      expect(undef.body.message).toMatch(/hostname/);
      await api.http.post('/template/render/mako', { template: 'x', context: {} }).expect(400);
    });
  });

  describe('template sources', () => {
    const attacks: [string, RegExp][] = [
      ['file://../secret.txt', /'\.\.'/],
      ['file://sub/../../secret.txt', /'\.\.'/],
      [`file://${join(root, 'secret.txt')}`, /no template/],
      ['file:///etc/passwd', /no template/],
      ['file://link-out.textfsm', /no template/],
      ['file://dir-out/secret.txt', /no template/],
      ['file://missing.textfsm', /no template/],
      ['ftp://127.0.0.1/x', /not supported/],
    ];
    it.each(attacks)('refuses %s without reading outside TEMPLATES_DIR', async (template, message) => {
      const res = await api.http.post('/template/parse', { template, context: SECRET_TEXT }).expect(400);
      expect(res.body.message).toMatch(message);
      expect(JSON.stringify(res.body)).not.toContain('Value X');
    });

    it('refuses hosts off the allow-list, redirects, oversized and slow templates', async () => {
      const port = (http.address() as AddressInfo).port;
      const cases: [string, RegExp][] = [
        [`http://localhost:${port}/show_version.textfsm`, /not in TEMPLATE_URL_ALLOWLIST/],
        [`http://user:canary-url-pass@localhost:${port}/x`, /not in TEMPLATE_URL_ALLOWLIST/],
        [`${origin}/redirect`, /HTTP 302 \(redirects are not followed\)/],
        [`${origin}/big`, /larger than TEMPLATE_MAX_BYTES/],
        [`${origin}/slow`, /TEMPLATE_FETCH_TIMEOUT_MS/],
        [`${origin}/nothing`, /HTTP 404/],
      ];
      for (const [template, message] of cases) {
        const res = await api.http.post('/template/parse', { template, context: 'x' }).expect(400);
        expect(res.body.message).toMatch(message);
        expect(JSON.stringify(res.body)).not.toContain('canary-url-pass');
      }
    });
  });

  describe('on jobs', () => {
    it('parses a job\'s output on the worker node into records, the raw text kept', async () => {
      const res = await api.http.post('/device/execute', executeBody(router, { parsing: { name: 'textfsm', template: 'file://show_version.textfsm' } })).expect(201);
      expect(res.body.data.parsing).toEqual({ name: 'textfsm', source: 'file://show_version.textfsm' });
      const job = await ended(res.body.data.id);
      expect(job.status).toBe('finished');
      expect(job.result!.retval).toEqual([{ VERSION: '15.2(7)E4', HOSTNAME: 'core1', UPTIME: '3 weeks, 2 days, 4 hours, 12 minutes' }]);
      expect(job.result!.raw).toEqual(expect.stringContaining('Cisco IOS Software'));
    });

    it('uses ntc-templates by device_type and each command when no ntc_template_args are given', async () => {
      const body = executeBody(router, { command: ['show version', 'show ip interface brief'], parsing: { use_ntc_template: true } });
      const job = await ended((await api.http.post('/device/execute', body).expect(201)).body.data.id);
      expect(job.status).toBe('finished');
      const retval = job.result!.retval as Record<string, Record<string, string>[]>;
      expect(retval['show version']).toEqual([{ version: '15.2(7)E4', hostname: 'core1', uptime: expect.stringMatching(/^3 weeks/) }]);
      expect(retval['show ip interface brief']).toHaveLength(6);
      expect(retval['show ip interface brief'][0]).toEqual({ intf: 'GigabitEthernet1/0/1', ipaddr: '10.0.0.1', status: 'up' });
      expect(retval['show ip interface brief'][4].status).toBe('administratively down');
      expect(Object.keys(job.result!.raw as object)).toEqual(['show version', 'show ip interface brief']);
    });

    it('refuses at submit a command ntc-templates has no template for, and stores nothing', async () => {
      const before = (await api.http.get('/job?limit=1000').expect(200)).body.data.length;
      const res = await api.http.post('/device/execute', executeBody(router, { command: 'show clock', parsing: { use_ntc_template: true } })).expect(400);
      expect(res.body.message).toBe("ntc-templates has no template for platform cisco_ios and command 'show clock'");
      expect((await api.http.get('/job?limit=1000').expect(200)).body.data.length).toBe(before);
    });

    it('ends a job whose output the template refuses as failed ParseError, with the raw output in retval', async () => {
      const job = await ended((await api.http.post('/device/execute', executeBody(router, { parsing: { template: REFUSES_IOS } })).expect(201)).body.data.id);
      expect(job.status).toBe('failed');
      expect(job.result!.error).toEqual({ type: 'ParseError', message: expect.stringContaining('not for IOS') });
      expect(job.result!.retval).toEqual(expect.stringContaining('Cisco IOS Software'));
    });

    it('renders a config job in the API and pushes the rendered lines', async () => {
      router.resetRecord();
      const body = executeBody(router, {
        command: undefined,
        config: { interfaces: [{ name: 'GigabitEthernet1/0/3', description: 'to-core2' }] },
        rendering: { name: 'jinja2', template: 'file://sub/interfaces.j2' },
      });
      const res = await api.http.post('/device/execute', body).expect(201);
      expect(res.body.data.config).toEqual(['interface GigabitEthernet1/0/3', ' description TO-CORE2']);
      expect(res.body.data.rendering).toEqual({ name: 'jinja2', source: 'file://sub/interfaces.j2' });
      const job = await ended(res.body.data.id);
      expect(job.status).toBe('finished');
      expect(router.record.configLines).toEqual(['interface GigabitEthernet1/0/3', 'description TO-CORE2']);
    });

    it('answers a render error with 400 and stores nothing', async () => {
      const before = (await api.http.get('/job?limit=1000').expect(200)).body.data.length;
      const undef = executeBody(router, { command: undefined, config: {}, rendering: { template: INTERFACES_J2 } });
      expect((await api.http.post('/device/execute', undef).expect(400)).body.message).toMatch(/interfaces/);
      const lines = executeBody(router, { command: undefined, config: ['hostname x'], rendering: { template: INTERFACES_J2 } });
      expect((await api.http.post('/device/execute', lines).expect(400)).body.data[0].field).toBe('config');
      const onCommand = executeBody(router, { rendering: { template: INTERFACES_J2 } });
      await api.http.post('/device/execute', onCommand).expect(400);
      const parsingOnConfig = executeBody(router, { command: undefined, config: ['hostname x'], parsing: { template: SHOW_VERSION } });
      await api.http.post('/device/execute', parsingOnConfig).expect(400);
      expect((await api.http.get('/job?limit=1000').expect(200)).body.data.length).toBe(before);
    });

    it('parses every job of a bulk', async () => {
      const { connection_args: args, ...rest } = executeBody(router, { parsing: { use_ntc_template: true } }) as { connection_args: Record<string, unknown> };
      const res = await api.http.post('/device/bulk', { ...rest, connection_args: { ...args, host: undefined }, devices: [{ host: router.host }, { host: router.host, device_type: 'linux' }] }).expect(201);
      expect(res.body.data.failed).toEqual([{ host: router.host, error: "ntc-templates has no template for platform linux and command 'show version'" }]);
      const job = await ended(res.body.data.succeeded[0].id);
      expect(job.result!.retval).toEqual([expect.objectContaining({ version: '15.2(7)E4' })]);
    });
  });
});
