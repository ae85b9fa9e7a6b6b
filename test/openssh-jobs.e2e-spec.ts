/**
 * Jobs end to end against Debian's OpenSSH sshd: the API module in this process, a real worker node process
 * (`dist/worker.js`, with SSH_UNKNOWN_HOSTS=reject), real Redis, and the `linux` profile logging in to a real
 * system user. FIFO and pinned jobs, host keys refused unless pinned, and a forced stop of a running command.
 */
import { execFileSync } from 'node:child_process';
import { TestApi, startApi } from './support/api-app';
import { openSshRequirement, OpenSshServer, startOpenSshServer, testUserProcesses, uniqueSleep } from './support/openssh-server';
import { keysContaining } from './support/redis-inspect';
import { describeRequiring } from './support/requirements';
import { removeKeys, testEnv, uniquePrefix, waitFor } from './support/test-env';
import { WorkerProcess, startWorkerNode } from './support/worker-process';

type Job = {
  id: string;
  status: string;
  worker: string | null;
  result: { type: string; retval: unknown; error: { type: string; message: string } | null } | null;
};

const ENDED = ['finished', 'failed', 'cancelled'];

describeRequiring(openSshRequirement, 'jobs on the linux profile against OpenSSH sshd, through a worker node', () => {
  const prefix = uniquePrefix('openssh');
  const env = testEnv(prefix, { JOB_RESULT_TTL: '120', SSH_UNKNOWN_HOSTS: 'reject' });
  let sshd: OpenSshServer;
  let node: WorkerProcess;
  let api: TestApi;

  beforeAll(async () => {
    sshd = await startOpenSshServer({ hostKeys: ['ed25519'] });
    node = await startWorkerNode('ossh-node-1', env);
    api = await startApi(env);
  }, 60_000);
  afterAll(async () => {
    await api?.close();
    await node?.stop();
    await sshd?.stop();
    await removeKeys(prefix);
  });

  /** A POST /device/execute body for sshd, its host key pinned unless `args` says otherwise. */
  const body = (command: string, options: Record<string, unknown> = {}, args: Record<string, unknown> = {}) => ({
    driver: 'netmiko',
    connection_args: { ...sshd.args({ host_key_fingerprint: sshd.hostKeyFingerprints.ed25519 }), ...args },
    command,
    options,
  });
  const job = async (id: string) => (await api.http.get(`/job?id=${id}`).expect(200)).body.data[0] as Job;
  const submit = async (b: object) => (await api.http.post('/device/execute', b).expect(201)).body.data as Job;
  const ended = (id: string) => waitFor(async () => {
    const j = await job(id);
    return ENDED.includes(j.status) ? j : null;
  }, 30_000, 50);
  const logins = () => sshd.log().split('\n').filter((l) => l.startsWith(`Accepted password for ${sshd.username} `)).length;

  it('runs uname -a on a FIFO worker and echo on a pinned worker, answering what the shell printed', async () => {
    const uname = await ended((await submit(body('uname -a', { queue_strategy: 'fifo' }))).id);
    expect(uname).toMatchObject({ status: 'finished', result: { type: 'success', error: null } });
    expect(uname.result!.retval).toBe(execFileSync('uname', ['-a'], { encoding: 'utf8' }).trim());
    expect(uname.worker).toMatch(/^fifo-\d+@ossh-node-1$/);

    // sshd sets SSH_CONNECTION ("client-ip client-port server-ip server-port"); the login shell expands it
    const echo = await ended((await submit(body('echo "netpulse via ${SSH_CONNECTION%% *}"'))).id);
    expect(echo).toMatchObject({ status: 'finished', result: { retval: 'netpulse via 127.0.0.1' } });
    expect(echo.worker).toBe('pinned-127.0.0.1@ossh-node-1');
  });

  it('with SSH_UNKNOWN_HOSTS=reject an unpinned host fails with UnknownHostKeyError, a wrong pin with HostKeyMismatchError', async () => {
    const unpinned = await ended((await submit(body('echo never', { queue_strategy: 'fifo' }, { host_key_fingerprint: undefined }))).id);
    expect(unpinned).toMatchObject({ status: 'failed', result: { error: { type: 'UnknownHostKeyError' } } });
    expect(unpinned.result!.error!.message).toContain(sshd.hostKeyFingerprints.ed25519!);

    const wrong = 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    const mismatch = await ended((await submit(body('echo never', { queue_strategy: 'fifo' }, { host_key_fingerprint: wrong }))).id);
    expect(mismatch).toMatchObject({ status: 'failed', result: { error: { type: 'HostKeyMismatchError' } } });
  });

  it('force-stops a running sleep with Ctrl-C: stopped with its output, the process gone, the same session runs the next job', async () => {
    // the pinned worker's session is open from the test before
    const warm = await ended((await submit(body('echo warm'))).id);
    expect(warm.status).toBe('finished');
    const loginsBefore = logins();

    const sleep = uniqueSleep();
    const running = await submit(body(`echo begun; ${sleep}`));
    await waitFor(async () => testUserProcesses(sleep).length === 1, 20_000);
    const res = await api.http.delete(`/job?id=${running.id}&force=true`).expect(200);
    expect(res.body.data).toMatchObject({ cancelled_count: 1, stopped_jobs: [running.id] });
    const stopped = await ended(running.id);
    expect(stopped).toMatchObject({ status: 'failed', result: { type: 'stopped', retval: 'begun', error: { type: 'StoppedError' } } });
    expect(testUserProcesses(sleep)).toEqual([]);

    const next = await ended((await submit(body('echo next'))).id);
    expect(next).toMatchObject({ status: 'finished', worker: stopped.worker, result: { retval: 'next' } });
    expect(logins()).toBe(loginsBefore);
  });

  it("leaves the test user's password neither in Redis nor in the node's output", async () => {
    expect(await keysContaining(prefix, sshd.password)).toEqual([]);
    expect(node.output()).not.toContain(sshd.password);
  });
});
