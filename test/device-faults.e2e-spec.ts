import { execFileSync } from 'node:child_process';
import { TestApi, startApi } from './support/api-app';
import { executeBody } from './support/device-job';
import { FakeDevice, startFakeDevice } from './support/fake-device/fake-device';
import { removeKeys, testEnv, uniquePrefix, waitFor } from './support/test-env';
import { WorkerProcess, startWorkerNode } from './support/worker-process';

type Job = { id: string; status: string; worker: string | null; result: { type: string; retval: unknown; error: { type: string; message: string } | null } | null };

/**
 * Device faults through the whole pipeline, on one pinned worker: each ends its job with the right typed
 * error, and the same pinned worker runs the next job.
 */
describe('device faults end to end', () => {
  const prefix = uniquePrefix('faults');
  const env = testEnv(prefix, { MAX_OUTPUT_BYTES: String(1024 * 1024) });
  const HOST = '127.0.0.11';
  let api: TestApi;
  let node: WorkerProcess;
  let device: FakeDevice;

  const submit = async (body: object): Promise<Job> => (await api.http.post('/device/execute', body).expect(201)).body.data as Job;
  const ended = (id: string) => waitFor(async () => {
    const j = (await api.http.get(`/job?id=${id}`).expect(200)).body.data[0] as Job;
    return ['finished', 'failed'].includes(j.status) ? j : null;
  }, 25000);
  const run = async (extra: Record<string, unknown> = {}, args: Record<string, unknown> = {}) => ended((await submit(executeBody(device, extra, args))).id);
  const recovers = async (worker: string | null) => {
    const next = await run();
    expect(next).toMatchObject({ status: 'finished', worker });
    expect(String(next.result!.retval)).toContain('Cisco IOS Software');
  };

  beforeAll(async () => {
    device = await startFakeDevice({ flavor: 'cisco_ios', host: HOST, slowCommandMs: 2500 });
    node = await startWorkerNode('faults-node', env);
    api = await startApi(env);
  });

  afterAll(async () => {
    await api?.close();
    await node?.stop();
    await device?.stop();
    await removeKeys(prefix);
  });

  it('connection dropped mid-output: ConnectionDroppedError with the partial output, then a new session', async () => {
    const first = await run();
    const dropped = await run({ command: 'show drop' });
    expect(dropped).toMatchObject({ status: 'failed', result: { error: { type: 'ConnectionDroppedError' } } });
    expect(String(dropped.result!.retval)).toMatch(/\S/);
    await recovers(first.worker);
  });

  it('a command that hangs: CommandTimeoutError after the read timeout', async () => {
    const hung = await run({ command: 'show hang', driver_args: { read_timeout: 1 } });
    expect(hung).toMatchObject({ status: 'failed', result: { type: 'failed', error: { type: 'CommandTimeoutError' } } });
    await recovers(hung.worker);
  });

  it('a very slow command finishes when the read timeout allows it', async () => {
    const slow = await run({ command: 'show slow', driver_args: { read_timeout: 10 } });
    expect(slow.status).toBe('finished');
  });

  it('50 MB of output: OutputTooLargeError at MAX_OUTPUT_BYTES, the node stays small', async () => {
    const rssMb = () => Number(execFileSync('ps', ['-o', 'rss=', '-p', String(node.child.pid)]).toString().trim()) / 1024;
    const before = rssMb();
    const big = await run({ command: 'show big 700000' });
    expect(big).toMatchObject({ status: 'failed', result: { error: { type: 'OutputTooLargeError' } } });
    expect(rssMb() - before).toBeLessThan(64); // 50 MB were offered; about 1 MB was kept
    await recovers(big.worker);
  });

  it('wrong password: AuthenticationError, never echoed', async () => {
    const denied = await run({}, { password: 'canary-wrong-password' });
    expect(denied).toMatchObject({ status: 'failed', result: { error: { type: 'AuthenticationError' } } });
    expect(JSON.stringify(denied)).not.toContain('canary');
    expect(node.output()).not.toContain('canary');
    await recovers(denied.worker);
  });

  it('host key changed under a pinned fingerprint: HostKeyMismatchError', async () => {
    const pinned = device.hostKeyFingerprint;
    const ok = await run({}, { host_key_fingerprint: pinned });
    expect(ok.status).toBe('finished');
    const port = device.port;
    await device.stop();
    device = await startFakeDevice({ flavor: 'cisco_ios', host: HOST, port, slowCommandMs: 2500 });
    expect(device.hostKeyFingerprint).not.toBe(pinned);
    const changed = await run({}, { host_key_fingerprint: pinned });
    expect(changed).toMatchObject({ status: 'failed', result: { error: { type: 'HostKeyMismatchError' } } });
    await recovers(changed.worker);
  });
});
