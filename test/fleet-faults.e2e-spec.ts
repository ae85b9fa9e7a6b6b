import Redis from 'ioredis';
import { TestApi, startApi } from './support/api-app';
import { executeBody } from './support/device-job';
import { FakeDevice, startFakeDevice } from './support/fake-device/fake-device';
import { REDIS_URL, removeKeys, testEnv, uniquePrefix, waitFor } from './support/test-env';
import { WorkerProcess, startWorkerNode } from './support/worker-process';

type Job = {
  id: string; status: string; node: string; worker: string | null; started_at: string | null; ended_at: string | null;
  result: { type: string; error: { type: string; message: string } | null } | null;
};
type Worker = { name: string; status: string; node: string; pid: number; host: string | null };

/**
 * What the fleet promises when a node stops answering without dying, or dies with work queued: real node processes
 * (frozen with SIGSTOP, resumed with SIGCONT, or killed), the real API module, real Redis, a fake device whose
 * `show slow` outlasts every test. Each describe has its own prefix and settings.
 */
function harness(name: string, settings: Record<string, string>) {
  const prefix = uniquePrefix(name);
  const env = testEnv(prefix, settings);
  const nodes: WorkerProcess[] = [];
  const h = {
    prefix,
    env,
    api: undefined as unknown as TestApi,
    device: undefined as unknown as FakeDevice,
    start: async (node: string, extra: Record<string, string> = {}) => {
      const started = await startWorkerNode(node, { ...env, ...extra });
      nodes.push(started);
      return started;
    },
    submit: async (body: object): Promise<Job> => (await h.api.http.post('/device/execute', body).expect(201)).body.data as Job,
    job: async (id: string): Promise<Job> => (await h.api.http.get(`/job?id=${id}`).expect(200)).body.data[0] as Job,
    workers: async (query: string): Promise<Worker[]> => (await h.api.http.get(`/worker?${query}`).expect(200)).body.data as Worker[],
    inStatus: (id: string, statuses: string[], timeoutMs = 30000) => waitFor(async () => {
      const j = await h.job(id);
      return statuses.includes(j.status) ? j : null;
    }, timeoutMs),
    slow: (extra: object = {}) => executeBody(h.device, { command: 'show slow', driver_args: { read_timeout: 600 }, ...extra }),
  };
  beforeAll(async () => {
    h.device = await startFakeDevice({ flavor: 'cisco_ios', host: '127.0.0.8', slowCommandMs: 600_000 });
    h.api = await startApi(env);
  });
  afterAll(async () => {
    await h.api?.close();
    for (const n of nodes) n.child.kill('SIGCONT');
    await Promise.all(nodes.map((n) => n.stop('SIGKILL')));
    await h.device?.stop();
    await removeKeys(prefix);
  });
  return h;
}

const alive = (p: WorkerProcess) => p.child.exitCode === null && p.child.signalCode === null;

describe('the sweep of overdue started jobs (JOB_RUN_GRACE)', () => {
  // WORKER_TTL far above the job's timeout + grace: the dead-node reaper cannot be the one that ends the job here.
  const h = harness('faults_sweep', { WORKER_TTL: '60', JOB_RUN_GRACE: '2', FIFO_CONCURRENCY: '1' });

  it('fails a started job whose node froze, at its timeout plus JOB_RUN_GRACE; the node, resumed, cannot overwrite it', async () => {
    const node = await h.start('sweep-a');
    const running = await h.submit(h.slow({ options: { ttl: 2 } }));
    await h.inStatus(running.id, ['started']);
    node.child.kill('SIGSTOP');
    const swept = await h.inStatus(running.id, ['failed', 'finished'], 20000);
    expect(swept).toMatchObject({ status: 'failed', result: { type: 'timeout', error: { type: 'TimeoutError' } } });
    expect(swept.result!.error!.message).toMatch(/did not end within its timeout: its worker stopped answering/);
    const overran = Date.parse(swept.ended_at!) - Date.parse(swept.started_at!);
    // Deadline: timeout 2 s + grace 2 s, then the next sweep (every 0.2 s). The upper bound only has to tell the
    // setting from the old fixed 30 s grace, with room for a loaded machine.
    expect(overran).toBeGreaterThanOrEqual(4000);
    expect(overran).toBeLessThan(20000);

    node.child.kill('SIGCONT');
    // The resumed node's own timeout fires at once and its end is refused: the pinned worker then takes the next job.
    const next = await h.inStatus((await h.submit(executeBody(h.device, { command: 'show clock' }))).id, ['finished', 'failed']);
    expect(next).toMatchObject({ status: 'finished', node: 'sweep-a' });
    expect(await h.job(running.id)).toMatchObject({ status: 'failed', result: { error: { message: swept.result!.error!.message } } });
    expect(alive(node)).toBe(true);
  }, 120000);

  it('refuses to start a node with a JOB_RUN_GRACE that is not a positive number of seconds, naming it', async () => {
    await expect(h.start('sweep-bad', { JOB_RUN_GRACE: '0' })).rejects.toThrow(/JOB_RUN_GRACE/);
    await expect(h.start('sweep-bad', { JOB_RUN_GRACE: 'soon' })).rejects.toThrow(/JOB_RUN_GRACE/);
  }, 120000);
});

describe('a node declared dead while alive, that comes back', () => {
  const h = harness('faults_stall', { FIFO_CONCURRENCY: '1' });

  it('loses its running job (WorkerLostError) and its hosts, then rejoins with fresh workers and takes jobs again', async () => {
    const stalled = await h.start('stall-a');
    const running = await h.submit(h.slow());
    expect(running.node).toBe('stall-a');
    await h.inStatus(running.id, ['started']);
    // the only FIFO worker after the rejoin must be stall-a's own: stall-b takes none
    await h.start('stall-b', { FIFO_CONCURRENCY: '0' });
    const before = (await h.workers('node=stall-a')).map((w) => w.name);

    stalled.child.kill('SIGSTOP');
    const lost = await h.inStatus(running.id, ['failed', 'finished']);
    expect(lost).toMatchObject({ status: 'failed', result: { error: { type: 'WorkerLostError' } } });
    expect(lost.result!.error!.message).toMatch(/stall-a stopped sending heartbeats/);
    expect((await h.workers('node=stall-a')).every((w) => w.status === 'dead')).toBe(true);

    stalled.child.kill('SIGCONT');
    // It beats again, learns it was reaped, stops its old workers and registers new ones under new names.
    const fresh = await waitFor(async () => {
      const live = (await h.workers('node=stall-a')).filter((w) => w.status !== 'dead');
      return live.length > 0 ? live : null;
    }, 20000);
    expect(stalled.output()).toMatch(/node stall-a was declared dead by the fleet/);
    expect(fresh.every((w) => w.pid === stalled.child.pid && !before.includes(w.name) && w.host === null)).toBe(true);
    expect((await h.workers('node=stall-a')).filter((w) => before.includes(w.name)).every((w) => w.status === 'dead')).toBe(true);

    const fifo = await h.inStatus((await h.submit(executeBody(h.device, { command: 'show clock', options: { queue_strategy: 'fifo' } }))).id, ['finished', 'failed']);
    expect(fifo).toMatchObject({ status: 'finished', node: 'stall-a' });
    const pinned = await h.inStatus((await h.submit(executeBody(h.device, { command: 'show clock' }))).id, ['finished', 'failed']);
    expect(pinned.status).toBe('finished');
    // the job the old worker was running stays as the reaper ended it: never re-run, never re-labelled
    expect(await h.job(running.id)).toMatchObject({ status: 'failed', result: { error: { message: lost.result!.error!.message } } });
    expect(h.device.record.commands.filter((c) => c === 'show slow')).toHaveLength(1);
    expect(alive(stalled)).toBe(true);
  }, 120000);
});

describe('queued jobs of a dead node\'s hosts', () => {
  const h = harness('faults_moved', { FIFO_CONCURRENCY: '1' });

  it('are placed on another node by the reaper and run there in order, without a new submit', async () => {
    const victim = await h.start('moved-a');
    const running = await h.submit(h.slow());
    expect(running.node).toBe('moved-a');
    await h.inStatus(running.id, ['started']);
    const queued = [];
    for (let i = 0; i < 3; i++) queued.push(await h.submit(executeBody(h.device, { command: 'show clock' })));
    for (const j of queued) expect((await h.job(j.id)).status).toBe('queued');
    await h.start('moved-b');

    await victim.stop('SIGKILL');
    const lost = await h.inStatus(running.id, ['failed', 'finished']);
    expect(lost.result!.error!.type).toBe('WorkerLostError');
    const done = await Promise.all(queued.map((j) => h.inStatus(j.id, ['finished', 'failed', 'cancelled'])));
    expect(done.map((j) => [j.status, j.node])).toEqual(queued.map(() => ['finished', 'moved-b']));
    const starts = done.map((j) => j.started_at!);
    expect([...starts].sort()).toEqual(starts);
    expect((await h.workers(`host=${h.device.host}`)).filter((w) => w.status !== 'dead').map((w) => w.node)).toEqual(['moved-b']);
  }, 120000);
});

describe('DELETE /worker and a forced job stop when the node never answers', () => {
  // The node stays "alive" for the fleet (WORKER_TTL 60 s) while frozen: only the control timeout can answer.
  const h = harness('faults_silent', { WORKER_TTL: '60', CONTROL_TIMEOUT_MS: '1000', FIFO_CONCURRENCY: '1' });
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(REDIS_URL);
  });
  afterAll(() => redis.disconnect());

  /** The node took every command sent to it and answered them (its answers land under reply:*). */
  const handled = (node: string, replies: number) => waitFor(async () => {
    const left = await redis.llen(`${h.prefix}:ctl:${node}`);
    const answered = (await redis.keys(`${h.prefix}:reply:*`)).length;
    return left === 0 && answered >= replies;
  }, 20000);

  it('answer after the bounded wait, record the stop themselves, and the resumed node agrees', async () => {
    const node = await h.start('silent-a');
    const first = await h.submit(h.slow());
    await h.inStatus(first.id, ['started']);
    const [pinned] = await h.workers(`host=${h.device.host}`);

    node.child.kill('SIGSTOP');
    let t0 = Date.now();
    const res = await h.api.http.delete(`/worker?host=${h.device.host}`).expect(200);
    let took = Date.now() - t0;
    expect(res.body.data).toEqual([{ worker: pinned.name, status: 'stopped', interrupted_jobs: 1 }]);
    // It waits CONTROL_TIMEOUT_MS (1 s) for the node, then answers: the upper bound says "bounded", with room for a
    // loaded machine, far below the command's own 600 s.
    expect(took).toBeGreaterThanOrEqual(1000);
    expect(took).toBeLessThan(15000);
    const stoppedHere = await h.job(first.id);
    expect(stoppedHere).toMatchObject({ status: 'failed', result: { type: 'stopped', error: { type: 'StoppedError' } } });
    expect(stoppedHere.result!.error!.message).toMatch(/its node did not confirm/);
    expect((await h.workers(`host=${h.device.host}`)).map((w) => w.status)).toEqual(['dead']);
    expect(await redis.hget(`${h.prefix}:pinned`, h.device.host)).toBeNull();

    node.child.kill('SIGCONT');
    await handled('silent-a', 1);
    expect(await h.job(first.id)).toEqual(stoppedHere);

    // placed again on the resumed node; a forced stop while it is frozen again
    const second = await h.submit(h.slow());
    await h.inStatus(second.id, ['started']);
    node.child.kill('SIGSTOP');
    t0 = Date.now();
    const forced = await h.api.http.delete(`/job?id=${second.id}&force=true`).expect(200);
    took = Date.now() - t0;
    expect(forced.body.data).toMatchObject({ cancelled_count: 1, stopped_jobs: [second.id] });
    expect(took).toBeGreaterThanOrEqual(1000);
    expect(took).toBeLessThan(15000);
    const forcedHere = await h.job(second.id);
    expect(forcedHere).toMatchObject({ status: 'failed', result: { type: 'stopped', error: { type: 'StoppedError' } } });
    expect(forcedHere.result!.error!.message).toMatch(/did not confirm in time/);

    node.child.kill('SIGCONT');
    await handled('silent-a', 2);
    expect(await h.job(second.id)).toEqual(forcedHere);
    // a forced job stop keeps the worker: it runs the next job
    const next = await h.inStatus((await h.submit(executeBody(h.device, { command: 'show clock' }))).id, ['finished', 'failed']);
    expect(next).toMatchObject({ status: 'finished', worker: forcedHere.worker });
    expect(alive(node)).toBe(true);
  }, 120000);
});
