import type Redis from 'ioredis';
import { REDIS } from '../src/redis/redis.constants';
import { TestApi, startApi } from './support/api-app';
import { executeBody } from './support/device-job';
import { FakeDevice, closedPort, startFakeDevice } from './support/fake-device/fake-device';
import { removeKeys, testEnv, uniquePrefix, waitFor } from './support/test-env';
import { WorkerProcess, startWorkerNode } from './support/worker-process';

type Job = { id: string; status: string; node: string; worker: string | null; result: { type: string; retval: unknown; error: { type: string } | null } | null };
type Worker = { name: string; status: string; node: string; host: string | null; queues: string[]; current_job: string | null; successful_job_count: number; failed_job_count: number };

/** The worker fleet end to end: three real node processes, the real API, real Redis, fake devices. */
describe('worker fleet end to end', () => {
  const prefix = uniquePrefix('fleet');
  const env = testEnv(prefix, { NODE_CAPACITY: '13', FIFO_CONCURRENCY: '1', SCHEDULER_STRATEGY: 'least_load', SHUTDOWN_GRACE: '2' });
  const nodes: WorkerProcess[] = [];
  let api: TestApi;
  let device: FakeDevice;

  const submit = async (body: object, via = api): Promise<Job> => (await via.http.post('/device/execute', body).expect(201)).body.data as Job;
  const job = async (id: string): Promise<Job> => (await api.http.get(`/job?id=${id}`).expect(200)).body.data[0] as Job;
  const ended = (id: string, timeoutMs = 15000) => waitFor(async () => {
    const j = await job(id);
    return ['finished', 'failed', 'cancelled'].includes(j.status) ? j : null;
  }, timeoutMs);
  const workers = async (query = ''): Promise<Worker[]> => (await api.http.get(`/worker${query}`).expect(200)).body.data as Worker[];

  beforeAll(async () => {
    device = await startFakeDevice({ flavor: 'cisco_ios', host: '127.0.0.5', slowCommandMs: 3000 });
    nodes.push(...(await Promise.all(['fleet-a', 'fleet-b', 'fleet-c'].map((n) => startWorkerNode(n, env)))));
    api = await startApi(env);
  });

  afterAll(async () => {
    await api?.close();
    await Promise.all(nodes.map((n) => n.stop('SIGKILL')));
    await device?.stop();
    await removeKeys(prefix);
  });

  it('pins each of 30 hosts to exactly one node, spread by least_load', async () => {
    const port = await closedPort();
    const hosts = Array.from({ length: 30 }, (_, i) => `127.0.1.${i + 1}`);
    const jobs = [];
    for (const host of hosts) jobs.push(await submit(executeBody(device, {}, { host, port })));
    const perNode: Record<string, number> = {};
    for (const j of jobs) perNode[j.node] = (perNode[j.node] ?? 0) + 1;
    expect(perNode).toEqual({ 'fleet-a': 10, 'fleet-b': 10, 'fleet-c': 10 });
    // a second job for each host goes to the same node
    for (const [i, host] of hosts.entries()) expect((await submit(executeBody(device, {}, { host, port }))).node).toBe(jobs[i].node);
    await waitFor(async () => (await workers()).filter((w) => w.host !== null).length === 30);
    for (const host of hosts) {
      const pinned = await workers(`?host=${host}`);
      expect(pinned).toHaveLength(1);
      expect(pinned[0]).toMatchObject({ host, queues: [`pinned_${host}`], node: jobs[hosts.indexOf(host)].node });
    }
    await Promise.all(jobs.map((j) => ended(j.id)));
  });

  it('places new hosts by the strategy of the API that submits them: greedy fills nodes in name order', async () => {
    const greedy = await startApi({ ...env, SCHEDULER_STRATEGY: 'greedy' });
    try {
      const port = await closedPort();
      const placed = [];
      for (let i = 1; i <= 4; i++) placed.push((await submit(executeBody(device, {}, { host: `127.0.3.${i}`, port }), greedy)).node);
      expect(placed).toEqual(['fleet-a', 'fleet-a', 'fleet-a', 'fleet-b']); // fleet-a had 10 of 13
      expect((await submit(executeBody(device, {}, { host: '127.0.3.9', port }))).node).toBe('fleet-c'); // least_load again
    } finally {
      await greedy.close();
    }
  });

  it('agrees on one pinned worker when two API instances place a new host at once', async () => {
    const second = await startApi(env);
    try {
      const host = '127.0.2.1';
      const port = await closedPort();
      const jobs = await Promise.all(Array.from({ length: 20 }, (_, i) => submit(executeBody(device, {}, { host, port }), i % 2 ? api : second)));
      expect(new Set(jobs.map((j) => j.node)).size).toBe(1);
      await waitFor(async () => (await workers(`?host=${host}`)).length === 1);
      // Proving a negative: a second worker a losing placement started would register within this time.
      await new Promise((r) => setTimeout(r, 300));
      expect(await workers(`?host=${host}`)).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it('lists workers by queue (wins), node and host, with busy/idle counts like the seed monitoring script', async () => {
    const fifo = await workers('?queue=FifoQ&node=fleet-a');
    expect(fifo.map((w) => w.node).sort()).toEqual(['fleet-a', 'fleet-b', 'fleet-c']);
    const onB = await workers('?node=fleet-b');
    expect(onB.every((w) => w.node === 'fleet-b')).toBe(true);
    const running = await submit(executeBody(device, { command: 'show slow' }));
    await waitFor(async () => (await job(running.id)).status === 'started');
    const now = await workers();
    const count = (s: string) => now.filter((w) => w.status === s).length;
    expect(count('busy')).toBe(1);
    expect(count('busy') + count('idle') + count('suspended') + count('dead')).toBe(now.length);
    expect(count('idle')).toBeGreaterThanOrEqual(37); // 30 + 5 + 1 pinned, 3 FIFO
    expect(now.find((w) => w.status === 'busy')!.current_job).toBe(running.id);
    await ended(running.id);
  });

  it('force-stops a running job through its node: failed/stopped, partial output kept, the pinned worker runs the next job', async () => {
    // `show hang` never ends by itself: a job that ends stopped was interrupted, however loaded the machine
    const hanging = await submit(executeBody(device, { command: 'show hang' }));
    await waitFor(async () => (await job(hanging.id)).status === 'started');
    // the device's first line reached the job's output stream: there is partial output to keep
    await waitFor(async () => (await api.app.get<Redis>(REDIS).xlen(`${prefix}:out:${hanging.id}`)) > 0);
    const connections = device.connectionsOpened;
    const t0 = Date.now();
    const res = await api.http.delete(`/job?id=${hanging.id}&force=true`).expect(200);
    expect(res.body.data).toMatchObject({ cancelled_count: 1, stopped_jobs: [hanging.id] });
    const stopped = await ended(hanging.id);
    // The node confirmed (the API's own "did not confirm" mark would name that) well within CONTROL_TIMEOUT_MS (3 s);
    // the bound only catches a stop that hangs, with room for a loaded machine.
    expect(stopped.result!.error).toMatchObject({ type: 'StoppedError', message: expect.stringContaining('stopped by an operator') });
    expect(Date.now() - t0).toBeLessThan(10000);
    expect(stopped).toMatchObject({ status: 'failed', result: { type: 'stopped', error: { type: 'StoppedError' } } });
    expect(String(stopped.result!.retval)).toMatch(/\S/);
    const next = await ended((await submit(executeBody(device))).id);
    expect(next).toMatchObject({ status: 'finished', worker: stopped.worker });
    expect(device.connectionsOpened).toBe(connections);
    // without force, a started job still answers 409
    const again = await submit(executeBody(device, { command: 'show slow' }));
    await waitFor(async () => (await job(again.id)).status === 'started');
    await api.http.delete(`/job?id=${again.id}`).expect(409);
    await api.http.delete(`/job?id=${again.id}&force=true`).expect(200);
  });

  it('suspends a worker: queued jobs wait, then all run in order after resume', async () => {
    const first = await ended((await submit(executeBody(device))).id);
    const name = first.worker as string;
    const res = await api.http.post(`/worker/suspend?name=${encodeURIComponent(name)}`).expect(200);
    expect(res.body.data).toEqual([{ worker: name, status: 'suspended' }]);
    // The node took the command from its control list (it suspends the worker in the same step, no await between).
    await waitFor(async () => (await api.app.get<Redis>(REDIS).llen(`${prefix}:ctl:${first.node}`)) === 0);
    const queued = [];
    for (let i = 0; i < 4; i++) queued.push(await submit(executeBody(device, { command: 'show clock' })));
    // Proving a negative: a worker that was not suspended would have run these 'show clock' jobs within this time.
    await new Promise((r) => setTimeout(r, 1000));
    for (const j of queued) expect((await job(j.id)).status).toBe('queued');
    expect((await workers(`?host=${device.host}`))[0].status).toBe('suspended');
    await api.http.post(`/worker/resume?host=${device.host}`).expect(200);
    const done = await Promise.all(queued.map((j) => ended(j.id)));
    expect(done.every((j) => j.status === 'finished')).toBe(true);
    const starts = await Promise.all(queued.map(async (j) => (await api.http.get(`/job?id=${j.id}`)).body.data[0].started_at as string));
    expect([...starts].sort()).toEqual(starts);
  });

  it.each([
    ['name', (w: Worker) => `name=${encodeURIComponent(w.name)}`],
    ['queue', (w: Worker) => `queue=${w.queues[0]}`],
    ['host', (w: Worker) => `host=${w.host}`],
  ])('DELETE /worker by %s while a long command runs: job failed/stopped, worker dead', async (_by, query) => {
    const running = await submit(executeBody(device, { command: 'show slow' }));
    await waitFor(async () => (await job(running.id)).status === 'started');
    const [w] = await workers(`?host=${device.host}`);
    const res = await api.http.delete(`/worker?${query(w)}`).expect(200);
    expect(res.body.data).toEqual([{ worker: w.name, status: 'stopped', interrupted_jobs: 1 }]);
    expect(await ended(running.id)).toMatchObject({ status: 'failed', result: { type: 'stopped' } });
    const listed = (await workers(`?host=${device.host}`)).find((x) => x.name === w.name);
    expect(listed?.status).toBe('dead');
    // the next submit places a new pinned worker
    const next = await ended((await submit(executeBody(device))).id);
    expect(next.status).toBe('finished');
  });

  it('DELETE /worker needs a filter and answers an empty list when nothing matches', async () => {
    await api.http.delete('/worker').expect(400);
    expect((await api.http.delete('/worker?name=nobody@nowhere').expect(200)).body.data).toEqual([]);
  });

  it('a node killed with SIGKILL mid-job: its workers dead, the job failed within the bound, its hosts move', async () => {
    const running = await submit(executeBody(device, { command: 'show slow' }));
    await waitFor(async () => (await job(running.id)).status === 'started');
    const victim = nodes.find((n) => n.name === running.node)!;
    const t0 = Date.now();
    await victim.stop('SIGKILL');
    const failed = await ended(running.id, 15000);
    const elapsed = Date.now() - t0;
    expect(failed).toMatchObject({ status: 'failed', result: { error: { type: 'WorkerLostError' } } });
    expect(elapsed).toBeLessThan(2 * 4000 + 1000); // WORKER_TTL is 4 s in tests: bound 2 x TTL
    const dead = await workers(`?node=${victim.name}`);
    expect(dead.length).toBeGreaterThan(0);
    expect(dead.every((w) => w.status === 'dead')).toBe(true);
    const moved = await submit(executeBody(device));
    expect(moved.node).not.toBe(victim.name);
    expect((await ended(moved.id)).status).toBe('finished');
  });

  it('DELETE /worker by node stops every worker of that node, interrupting its running job', async () => {
    const running = await submit(executeBody(device, { command: 'show slow' }));
    await waitFor(async () => (await job(running.id)).status === 'started');
    const node = (await job(running.id)).node;
    const before = (await workers(`?node=${node}`)).filter((w) => w.status !== 'dead');
    const res = await api.http.delete(`/worker?node=${node}`).expect(200);
    const stopped = res.body.data as { worker: string; status: string; interrupted_jobs: number }[];
    expect(stopped.map((s) => s.worker).sort()).toEqual(before.map((w) => w.name).sort());
    expect(stopped.every((s) => s.status === 'stopped')).toBe(true);
    expect(stopped.reduce((n, s) => n + s.interrupted_jobs, 0)).toBe(1);
    expect(await ended(running.id)).toMatchObject({ status: 'failed', result: { type: 'stopped' } });
    expect((await workers(`?node=${node}`)).every((w) => w.status === 'dead')).toBe(true);
  });
});
