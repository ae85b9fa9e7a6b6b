import { TestApi, startApi } from './support/api-app';
import { executeBody } from './support/device-job';
import { FakeDevice, Flavor, startFakeDevice } from './support/fake-device';
import { removeKeys, testEnv, uniquePrefix, waitFor } from './support/test-env';
import { WorkerProcess, startWorkerNode } from './support/worker-process';

type Line = { line: string; status: string; output: string };
type Job = {
  id: string;
  status: string;
  result: { type: string; retval: unknown; error: { type: string; message: string } | null; lines?: Line[]; diff?: string } | null;
};

/** Per device type: lines that apply, a line the device rejects, a read command, the running config command. */
interface TypeCase {
  flavor: Flavor;
  lines: string[];
  bad: string;
  show: string;
  running: string;
  /** save: the answers the dialogue takes ([] none; undefined: persistent commits, no save command) */
  answers?: string[];
}

const TYPES: TypeCase[] = [
  { flavor: 'cisco_ios', lines: ['interface GigabitEthernet1/0/1', 'description np'], bad: 'frobnicate x', show: 'show clock', running: 'show running-config', answers: [] },
  { flavor: 'cisco_xe', lines: ['interface GigabitEthernet1/0/1', 'description np'], bad: 'frobnicate x', show: 'show clock', running: 'show running-config', answers: [''] },
  { flavor: 'cisco_nxos', lines: ['interface Ethernet1', 'description np'], bad: 'frobnicate x', show: 'show clock', running: 'show running-config', answers: [] },
  { flavor: 'arista_eos', lines: ['interface Ethernet1', 'description np'], bad: 'frobnicate x', show: 'show clock', running: 'show running-config', answers: [] },
  { flavor: 'cisco_xr', lines: ['interface GigabitEthernet0/0/0/1', 'description np'], bad: 'frobnicate x', show: 'show clock', running: 'show running-config' },
  { flavor: 'juniper_junos', lines: ['set interfaces ge-0/0/1 description np', 'set system ntp server 10.0.0.1'], bad: 'set interfacez ge-0/0/1 mtu 1', show: 'show version', running: 'show configuration | display set' },
  { flavor: 'huawei', lines: ['interface GigabitEthernet0/0/1', 'description np'], bad: 'frobnicate x', show: 'display version', running: 'display current-configuration', answers: ['y'] },
  { flavor: 'hp_comware', lines: ['interface GigabitEthernet1/0/1', 'description np'], bad: 'frobnicate x', show: 'display version', running: 'display current-configuration', answers: ['y', '', 'y'] },
  { flavor: 'fortinet', lines: ['config system interface', 'edit port1', 'set description np', 'next', 'end'], bad: 'set descripton x', show: 'get system status', running: 'show full-configuration' },
];
const CANDIDATE_TYPES = ['juniper_junos', 'arista_eos', 'cisco_xr'];

/**
 * Safe config pushes end to end (API, a worker node process, Redis, fake devices of every type over SSH): the save
 * dialogue, a rejected line in the middle, dry runs, stop_on_error, stops and timeouts inside config mode, and the
 * netmiko-style driver arguments of command jobs.
 */
describe('safe config pushes end to end', () => {
  const prefix = uniquePrefix('safecfg');
  const env = testEnv(prefix, { JOB_RESULT_TTL: '120' });
  let api: TestApi;
  let node: WorkerProcess;
  const devices = new Map<Flavor, FakeDevice>();
  let mute: FakeDevice;

  const run = async (body: object, timeoutMs = 15000): Promise<Job> => {
    const { id } = (await api.http.post('/device/execute', body).expect(201)).body.data as Job;
    return waitFor(async () => {
      const job = (await api.http.get(`/job?id=${id}`).expect(200)).body.data[0] as Job | undefined;
      return job && ['finished', 'failed', 'cancelled'].includes(job.status) ? job : null;
    }, timeoutMs, 50);
  };
  const config = (flavor: Flavor, lines: string[], options: object = {}) =>
    run(executeBody(devices.get(flavor)!, { command: undefined, config: lines, options }));
  const command = (device: FakeDevice, cmd: string | string[], driverArgs: object = {}) =>
    run(executeBody(device, { command: cmd, driver_args: driverArgs }));
  const statuses = (job: Job) => job.result!.lines!.map((l) => l.status);

  beforeAll(async () => {
    const started = await Promise.all(TYPES.map((t, i) => startFakeDevice({ flavor: t.flavor, host: `127.0.0.${20 + i}` })));
    TYPES.forEach((t, i) => devices.set(t.flavor, started[i]));
    mute = await startFakeDevice({ flavor: 'cisco_ios', host: '127.0.0.19', echo: false, slowCommandMs: 1500 });
    node = await startWorkerNode('safecfg-node', env);
    api = await startApi(env);
  });

  afterAll(async () => {
    await api?.close();
    await node?.stop();
    await Promise.all([...devices.values(), mute].map((d) => d?.stop()));
    await removeKeys(prefix);
  });

  describe.each(TYPES)('$flavor', (t) => {
    beforeEach(() => devices.get(t.flavor)!.resetRecord());

    it('applies the lines and saves them with the type\'s dialogue (options.save)', async () => {
      const device = devices.get(t.flavor)!;
      const job = await config(t.flavor, t.lines, { save: true });
      expect(job.status).toBe('finished');
      expect(job.result!.lines).toEqual(t.lines.map((line) => ({ line, status: 'applied', output: expect.any(String) })));
      expect(device.record.configLines).toEqual(t.lines);
      // XR, Junos and FortiOS commits are persistent: nothing to answer; the others saved what was applied
      if (t.answers) {
        expect(device.record.startupConfig).toEqual(t.lines);
        expect(device.record.answers).toEqual(t.answers);
      } else expect(device.record.answers).toEqual([]);
      expect((await command(device, t.show)).status).toBe('finished');
    });

    it('a rejected line in the middle: the rest skipped, the device left in exec mode', async () => {
      const device = devices.get(t.flavor)!;
      const before = (await command(device, t.running)).result!.retval;
      const lines = [...t.lines.slice(0, 2), t.bad, ...t.lines.slice(2), 'description never-sent'];
      const job = await config(t.flavor, lines);
      expect(job.status).toBe('failed');
      expect(job.result!.error!.type).toBe('CommandRejectedError');
      expect(statuses(job)).toEqual(['applied', 'applied', 'rejected', ...lines.slice(3).map(() => 'skipped')]);
      expect(job.result!.lines![2].output).not.toBe('');
      expect(device.record.commands).not.toContain('description never-sent');
      // an exec-mode command works: config mode was left
      const after = await command(device, t.running);
      expect(after.status).toBe('finished');
      // where a push is held apart until committed (XR, Junos, a FortiOS block), none of it reached the running config
      if (['cisco_xr', 'juniper_junos', 'fortinet'].includes(t.flavor)) expect(after.result!.retval).toEqual(before);
      else expect(after.result!.retval).not.toEqual(before);
    });

    if (CANDIDATE_TYPES.includes(t.flavor)) {
      it('a dry run returns the device\'s diff and leaves the running config unchanged', async () => {
        const device = devices.get(t.flavor)!;
        const before = (await command(device, t.running)).result!.retval;
        const job = await config(t.flavor, t.lines, { dry_run: true });
        expect(job.status).toBe('finished');
        expect(job.result!.diff).toContain('description np');
        expect(statuses(job)).toEqual(t.lines.map(() => 'applied'));
        expect(device.record.configLines).toEqual([]);
        expect((await command(device, t.running)).result!.retval).toEqual(before);
      });
    } else {
      it('a dry run is a 400 naming the types that have a candidate', async () => {
        const res = await api.http.post('/device/execute', executeBody(devices.get(t.flavor)!, { command: undefined, config: t.lines, options: { dry_run: true } })).expect(400);
        expect(res.body.message).toMatch(/juniper_junos.*arista_eos.*cisco_xr|arista_eos.*cisco_xr.*juniper_junos|cisco_xr/);
        for (const type of CANDIDATE_TYPES) expect(res.body.message).toContain(type);
        expect(res.body.data).toEqual([{ field: 'options.dry_run', error: expect.any(String) }]);
      });
    }
  });

  it('stop_on_error false sends every line, reports each, and fails the job', async () => {
    const device = devices.get('cisco_ios')!;
    device.resetRecord();
    const job = await config('cisco_ios', ['interface Vlan5', 'frobnicate x', 'description still-sent'], { stop_on_error: false });
    expect(job.status).toBe('failed');
    expect(statuses(job)).toEqual(['applied', 'rejected', 'applied']);
    expect(job.result!.error!.message).toContain('1 of 3');
    expect(device.record.configLines).toEqual(['interface Vlan5', 'description still-sent']);
  });

  it('a line that outlives the job\'s timeout: interrupted, config mode left, the rest skipped', async () => {
    const device = devices.get('cisco_xr')!;
    device.resetRecord();
    const job = await config('cisco_xr', ['interface GigabitEthernet0/0/0/2', 'do show hang', 'description never'], { ttl: 1 });
    expect(job.result!.type).toBe('timeout');
    expect(statuses(job)).toEqual(['applied', 'rejected', 'skipped']);
    expect(device.record.commands.slice(-1)).toEqual(['abort']);
    expect(device.record.configLines).toEqual([]);
    expect((await command(device, 'show clock')).status).toBe('finished');
  });

  describe('driver arguments of command jobs', () => {
    const ios = () => devices.get('cisco_xe')!;

    it('expect_string ends each answer at the pattern: an interactive copy answered by the next command', async () => {
      ios().resetRecord();
      const job = await command(ios(), ['copy running-config startup-config', 'startup-config'], { expect_string: 'Destination filename|#\\s*$' });
      expect(job.status).toBe('finished');
      const out = job.result!.retval as Record<string, string>;
      expect(out['copy running-config startup-config']).toContain('Destination filename [startup-config]?');
      expect(out['startup-config']).toContain('[OK]');
      expect(ios().record.answers).toEqual(['startup-config']);
    });

    it('without expect_string the question is never a prompt: the command times out', async () => {
      const job = await command(ios(), 'copy running-config startup-config', { read_timeout: 1 });
      expect(job.result!.error!.type).toBe('CommandTimeoutError');
    });

    it('strip_prompt false keeps the prompt, strip_command false keeps the echo', async () => {
      const kept = await command(ios(), 'show clock', { strip_prompt: false, strip_command: false });
      expect((kept.result!.retval as string).split('\n')).toEqual(['show clock', '*10:42:17.123 UTC Mon Mar 4 2024', 'Router#']);
      const plain = await command(ios(), 'show clock');
      expect(plain.result!.retval).toBe('*10:42:17.123 UTC Mon Mar 4 2024');
    });

    it('cmd_verify false: a device that does not echo answers a silent command at its first prompt', async () => {
      const verified = await command(mute, 'terminal length 0', { read_timeout: 1 });
      expect(verified.result!.error!.type).toBe('CommandTimeoutError');
      const unverified = await command(mute, 'terminal length 0', { cmd_verify: false, read_timeout: 1 });
      expect(unverified.status).toBe('finished');
      expect(unverified.result!.retval).toBe('');
    });

    it('delay_factor scales the wait: a 1.5 s command within read_timeout 1 x 3', async () => {
      const short = await command(mute, 'show slow', { read_timeout: 1 });
      expect(short.result!.error!.type).toBe('CommandTimeoutError');
      const scaled = await command(mute, 'show slow', { read_timeout: 1, delay_factor: 3 });
      expect(scaled.status).toBe('finished');
      expect(scaled.result!.retval).toContain('slow command complete');
    });

    it.each([
      [{ driver_args: { expect_string: '(unclosed' } }, 'driver_args.expect_string'],
      [{ driver_args: { delay_factor: 0 } }, 'driver_args.delay_factor'],
      [{ driver_args: { cmd_verify: 'no' } }, 'driver_args.cmd_verify'],
      [{ driver_args: { strip_prompt: false }, command: undefined, config: ['hostname x'] }, 'driver_args.strip_prompt'],
      [{ options: { save: true } }, 'options.save'],
      [{ options: { dry_run: 1 } }, 'options.dry_run'],
      [{ command: undefined, config: ['hostname x'], options: { dry_run: true, save: true } }, 'options.save'],
    ])('rejects %j with a 400 naming %s, and queues nothing', async (extra, field) => {
      const body = executeBody(devices.get('juniper_junos')!, extra);
      const before = (await api.http.get('/job?limit=1000').expect(200)).body.data.length as number;
      const res = await api.http.post('/device/execute', body).expect(400);
      expect(res.body).toMatchObject({ code: 400 });
      expect((res.body.data as { field: string }[]).map((e) => e.field)).toContain(field);
      expect((await api.http.get('/job?limit=1000').expect(200)).body.data).toHaveLength(before);
    });
  });
});
