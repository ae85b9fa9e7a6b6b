import { TestApi, startApi } from './support/api-app';
import { executeBody } from './support/device-job';
import { FakeDevice, startFakeDevice } from './support/fake-device/fake-device';
import { removeKeys, testEnv, uniquePrefix, waitFor } from './support/test-env';
import { WorkerProcess, startWorkerNode } from './support/worker-process';

type Job = { id: string; status: string; node: string; worker: string | null; queue_time: number | null; result: { type: string; error: { type: string; message: string } | null } | null };
type Worker = { name: string; status: string; pid: number };

/**
 * A worker node's lives: a node restarted under the same name ends what its previous life left started, at once;
 * a second process under a live node's name refuses to start; a frozen node whose name was taken over leaves.
 * Real node processes, the real API module, real Redis, a fake device whose `show slow` outlasts the test.
 */
describe('node lives end to end', () => {
  const prefix = uniquePrefix('lives');
  // WORKER_TTL far above the restart time: a job ended here was ended by the new life, not by the dead-node reaper.
  const env = testEnv(prefix, { WORKER_TTL: '30', FIFO_CONCURRENCY: '2', SHUTDOWN_GRACE: '1' });
  const nodes: WorkerProcess[] = [];
  let api: TestApi;
  let device: FakeDevice;

  const submit = async (body: object): Promise<Job> => (await api.http.post('/device/execute', body).expect(201)).body.data as Job;
  const job = async (id: string): Promise<Job> => (await api.http.get(`/job?id=${id}`).expect(200)).body.data[0] as Job;
  const inStatus = (id: string, statuses: string[], timeoutMs = 20000) => waitFor(async () => {
    const j = await job(id);
    return statuses.includes(j.status) ? j : null;
  }, timeoutMs);
  const slow = (strategy: 'pinned' | 'fifo') => executeBody(device, { command: 'show slow', driver_args: { read_timeout: 600 }, options: { queue_strategy: strategy } });
  const start = async (name: string, extra: Record<string, string> = {}) => {
    const node = await startWorkerNode(name, { ...env, ...extra });
    nodes.push(node);
    return node;
  };

  beforeAll(async () => {
    device = await startFakeDevice({ flavor: 'cisco_ios', host: '127.0.0.6', slowCommandMs: 600_000 });
    api = await startApi(env);
  });

  afterAll(async () => {
    await api?.close();
    await Promise.all(nodes.map((n) => n.stop('SIGKILL')));
    await device?.stop();
    await removeKeys(prefix);
  });

  it('SIGKILL and restart under the same name: the pinned and FIFO jobs of the old life end WorkerLostError at once, queued ones run', async () => {
    const old = await start('life-a');
    const pinned = await submit(slow('pinned'));
    const fifo = await submit(slow('fifo'));
    await Promise.all([inStatus(pinned.id, ['started']), inStatus(fifo.id, ['started'])]);
    const queuedBehind = await submit(executeBody(device, { command: 'show clock' }));
    expect((await job(queuedBehind.id)).status).toBe('queued');

    const t0 = Date.now();
    await old.stop('SIGKILL');
    await start('life-a');
    const [p, f] = await Promise.all([inStatus(pinned.id, ['failed', 'finished']), inStatus(fifo.id, ['failed', 'finished'])]);
    const elapsed = Date.now() - t0;
    console.log(`same-name restart: jobs of the killed life failed ${elapsed} ms after SIGKILL (restart included)`);
    for (const j of [p, f]) {
      expect(j).toMatchObject({ status: 'failed', result: { type: 'failed', error: { type: 'WorkerLostError' } } });
      expect(j.result!.error!.message).toMatch(new RegExp(`previous life \\w+ \\(\\S+, pid ${old.child.pid}\\)`));
    }
    // far below the run timeout (300 s) and below WORKER_TTL (30 s): the new life did it at start
    expect(elapsed).toBeLessThan(15000);

    // the pinned queue is not held by the killed job's BullMQ lock: what waited behind it runs on the new life
    const behind = await inStatus(queuedBehind.id, ['finished', 'failed']);
    expect(behind.status).toBe('finished');
    const next = await inStatus((await submit(executeBody(device, { command: 'show clock', options: { queue_strategy: 'fifo' } }))).id, ['finished', 'failed']);
    expect(next.status).toBe('finished');
    const live = ((await api.http.get('/worker?node=life-a').expect(200)).body.data as Worker[]).filter((w) => w.status !== 'dead');
    expect(live.length).toBeGreaterThanOrEqual(3); // 2 FIFO slots and the pinned worker, all of the new life
    expect(live.every((w) => w.pid !== old.child.pid)).toBe(true);
    expect(await nodes[nodes.length - 1].stop('SIGTERM')).toBe(0);
  });

  it('a second process under the name of a live node refuses to start, naming it, and the live node keeps its job', async () => {
    const live = await start('life-b');
    const running = await submit({ ...slow('fifo') });
    await inStatus(running.id, ['started']);
    expect((await job(running.id)).node).toBe('life-b');
    await expect(start('life-b')).rejects.toThrow(new RegExp(`exited with 1:[\\s\\S]*node name life-b is held by a live process: \\S+ pid ${live.child.pid}`));
    // Proving a negative: a refused start that still ended the live node's job would show within this time.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await job(running.id)).status).toBe('started');
    const workers = (await api.http.get('/worker?node=life-b').expect(200)).body.data as Worker[];
    expect(workers.length).toBeGreaterThan(0);
    expect(workers.every((w) => w.status !== 'dead' && w.pid === live.child.pid)).toBe(true);
    await api.http.delete(`/job?id=${running.id}&force=true`).expect(200);
  });
});

describe('a frozen node whose name was taken over', () => {
  const prefix = uniquePrefix('lives_frozen');
  const env = testEnv(prefix, { FIFO_CONCURRENCY: '1', SHUTDOWN_GRACE: '1' });
  const nodes: WorkerProcess[] = [];
  let api: TestApi;
  let device: FakeDevice;

  beforeAll(async () => {
    device = await startFakeDevice({ flavor: 'cisco_ios', host: '127.0.0.6', slowCommandMs: 600_000 });
    api = await startApi(env);
  });

  afterAll(async () => {
    await api?.close();
    for (const n of nodes) n.child.kill('SIGCONT');
    await Promise.all(nodes.map((n) => n.stop('SIGKILL')));
    await device?.stop();
    await removeKeys(prefix);
  });

  it('is refused while its heartbeat is fresh, taken over once it is stale, and exits 1 when it wakes', async () => {
    const frozen = await startWorkerNode('life-c', env);
    nodes.push(frozen);
    const body = executeBody(device, { command: 'show slow', driver_args: { read_timeout: 600 } });
    const running = (await api.http.post('/device/execute', body).expect(201)).body.data as Job;
    await waitFor(async () => (await api.http.get(`/job?id=${running.id}`)).body.data[0].status === 'started');
    frozen.child.kill('SIGSTOP');
    const t0 = Date.now();
    await expect(startWorkerNode('life-c', env)).rejects.toThrow(/held by a live process/);
    // WORKER_TTL (4 s) later the fleet reaps it, and a new process may take the name
    const lost = await waitFor(async () => {
      const j = (await api.http.get(`/job?id=${running.id}`)).body.data[0] as Job;
      return j.status === 'failed' ? j : null;
    }, 20000);
    const elapsed = Date.now() - t0;
    console.log(`node gone (not back under its name): its job failed ${elapsed} ms after it stopped (WORKER_TTL 4 s, sweep 0.2 s)`);
    expect(lost.result!.error!.type).toBe('WorkerLostError');
    expect(lost.result!.error!.message).toMatch(/stopped sending heartbeats/);
    expect(elapsed).toBeLessThan(2 * 4000 + 1000);
    const successor = await startWorkerNode('life-c', env);
    nodes.push(successor);
    const exited = new Promise<number | null>((resolve) => frozen.child.once('exit', (code) => resolve(code)));
    frozen.child.kill('SIGCONT');
    expect(await exited).toBe(1);
    expect(frozen.output()).toMatch(/took this name over while this process \(life \w+\) was silent/);
    // the successor keeps the name and serves the host (proving a negative: the woken process, had it gone on, would
    // have beaten or registered workers within this time)
    await new Promise((r) => setTimeout(r, 1500));
    const workers = (await api.http.get('/worker?node=life-c').expect(200)).body.data as Worker[];
    expect(workers.filter((w) => w.status !== 'dead').every((w) => w.pid === successor.child.pid)).toBe(true);
    const next = (await api.http.post('/device/execute', executeBody(device, { command: 'show clock' })).expect(201)).body.data as Job;
    expect(next.node).toBe('life-c');
    await waitFor(async () => (await api.http.get(`/job?id=${next.id}`)).body.data[0].status === 'finished', 15000);
  });
});
