import { TestApi, startApi } from './support/api-app';
import { executeBody } from './support/device-job';
import { FakeDevice, startFakeDevice } from './support/fake-device/fake-device';
import { removeKeys, testEnv, uniquePrefix, waitFor } from './support/test-env';
import { WorkerProcess, startWorkerNode } from './support/worker-process';

type Job = { id: string; status: string; host: string; batch_id: string | null; command: string[] | null; config: string[] | null; result: { type: string; retval: unknown } | null };
type Batch = { id: string; total: number; counts: Record<string, number>; created_at: string; done: boolean };
type Bulk = { batch_id: string | null; succeeded: Job[]; failed: { host: string; error: string }[] };

/**
 * Batches end to end: a bulk's jobs carry its batch id and are listed (indexed, paged), counted and cancelled by it.
 * A real worker node runs them on a fake device over SSH; MAX_SESSIONS_PER_HOST keeps all but two of a 1,000-job
 * FIFO bulk queued while those two hang, so the queued ones can be counted and cancelled.
 */
describe('batches', () => {
  const prefix = uniquePrefix('batches');
  // A bulk of 1,000 is 2,000 Redis commands at once on a Redis other suites share: the command timeout is raised so a
  // loaded machine tests batches, not Redis latency (a slow submit is an entry of failed, see the devices tests).
  const env = testEnv(prefix, { JOB_RESULT_TTL: '120', MAX_SESSIONS_PER_HOST: '2', REDIS_COMMAND_TIMEOUT_MS: '15000' });
  let api: TestApi;
  let node: WorkerProcess;
  let device: FakeDevice;

  beforeAll(async () => {
    device = await startFakeDevice({ flavor: 'cisco_ios' });
    node = await startWorkerNode('batch-node-1', env);
    api = await startApi(env);
  });

  afterAll(async () => {
    await api?.close();
    await node?.stop();
    await device?.stop();
    await removeKeys(prefix);
  });

  const batchOf = async (id: string): Promise<Batch> => (await api.http.get(`/job/batch/${id}`).expect(200)).body.data as Batch;
  const jobOf = async (id: string): Promise<Job> => (await api.http.get(`/job?id=${id}`).expect(200)).body.data[0] as Job;
  const bulk = async (body: Record<string, unknown>): Promise<Bulk> => (await api.http.post('/device/bulk', body).expect(201)).body.data as Bulk;
  const listAll = async (query: string): Promise<Job[]> => {
    const jobs: Job[] = [];
    let cursor: string | null = null;
    do {
      const res = await api.http.get(`/job?${query}&limit=300${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
      jobs.push(...(res.body.data as Job[]));
      cursor = res.body.page.next_cursor as string | null;
    } while (cursor);
    return jobs;
  };

  it('a bulk of 1,000 is listed by its batch in pages, counted by status, and its queued jobs cancelled, nothing else', async () => {
    const shared = executeBody(device, { command: 'show hang', options: { queue_strategy: 'fifo' } });
    const outsider = (await api.http.post('/device/execute', executeBody(device, { command: 'show clock', options: { queue_strategy: 'fifo' } })).expect(201)).body.data as Job;
    const res = await bulk({ ...shared, devices: Array.from({ length: 1000 }, () => ({})) });
    expect(res.failed).toEqual([]);
    expect(res.succeeded).toHaveLength(1000);
    expect(res.batch_id).toMatch(/^[0-9a-f]{20}$/);
    const batchId = res.batch_id!;
    expect(new Set(res.succeeded.map((j) => j.batch_id))).toEqual(new Set([batchId]));
    expect(outsider.batch_id).toBeNull();

    const listed = await listAll(`batch=${batchId}`);
    expect(listed).toHaveLength(1000);
    expect(new Set(listed.map((j) => j.id))).toEqual(new Set(res.succeeded.map((j) => j.id)));
    // newest first, like every list
    expect(listed.map((j) => j.id)).toEqual([...listed.map((j) => j.id)].sort().reverse());

    // two sessions hang on the device; every other job of the batch waits for one
    const counted = await waitFor(async () => {
      const b = await batchOf(batchId);
      return b.counts.started === 2 ? b : null;
    }, 30_000, 100);
    expect(counted).toMatchObject({ id: batchId, total: 1000, done: false, counts: { queued: 998, started: 2, finished: 0, failed: 0, cancelled: 0 } });
    expect(Number.isNaN(Date.parse(counted.created_at))).toBe(false);
    const started = await listAll(`batch=${batchId}&status=started`);
    expect(started.map((j) => j.status)).toEqual(['started', 'started']);
    expect(started.every((j) => j.batch_id === batchId)).toBe(true);

    const cancel = await api.http.delete(`/job?batch=${batchId}`).expect(200);
    expect(cancel.body.data.cancelled_count).toBe(998);
    expect(new Set(cancel.body.data.cancelled_jobs)).toEqual(new Set(res.succeeded.filter((j) => !started.some((s) => s.id === j.id)).map((j) => j.id)));
    expect(await batchOf(batchId)).toMatchObject({ done: false, counts: { queued: 0, started: 2, cancelled: 998 } });
    // the job outside the batch was not cancelled (it waits for a session too, or already ran)
    expect((await jobOf(outsider.id)).status).not.toBe('cancelled');

    for (const job of started) await api.http.delete(`/job?id=${job.id}&force=true`).expect(200);
    const done = await waitFor(async () => {
      const b = await batchOf(batchId);
      return b.done ? b : null;
    }, 15_000, 100);
    expect(done.counts).toEqual({ queued: 0, started: 0, finished: 0, failed: 2, cancelled: 998, scheduled: 0 });
    expect(device.record.commands.filter((c) => c === 'show hang')).toHaveLength(2);
    const outsiderEnded = await waitFor(async () => {
      const j = await jobOf(outsider.id);
      return j.status === 'finished' ? j : null;
    }, 15_000, 100);
    expect(outsiderEnded.result?.type).toBe('success');
  });

  it('each device may carry its own command or config, which wins over the shared one; a bad one fails alone', async () => {
    const shared = executeBody(device, { command: 'show version' });
    const res = await bulk({
      ...shared,
      devices: [
        {},
        { command: ['show clock', 'show ip interface brief'] },
        { config: ['interface Gi0/1', ' description batch-uplink'] },
        { command: 'show clock', config: 'hostname x' },
        { command: '' },
        { config: { name: 'not lines' } },
      ],
    });
    expect(res.failed).toEqual([
      { host: device.host, error: expect.stringMatching(/^command, config: Give exactly one of command or config/) },
      { host: device.host, error: expect.stringMatching(/^command: command must be a non-empty string/) },
      { host: device.host, error: expect.stringMatching(/^config: config must be a non-empty string/) },
    ]);
    expect(res.succeeded.map((j) => [j.command, j.config])).toEqual([
      [['show version'], null],
      [['show clock', 'show ip interface brief'], null],
      [null, ['interface Gi0/1', ' description batch-uplink']],
    ]);
    const ended = await Promise.all(res.succeeded.map((j) => waitFor(async () => {
      const current = await jobOf(j.id);
      return ['finished', 'failed'].includes(current.status) ? current : null;
    }, 20_000, 50)));
    expect(ended.map((j) => j.status)).toEqual(['finished', 'finished', 'finished']);
    expect(String(ended[0].result?.retval)).toContain('Cisco IOS Software');
    expect(Object.keys(ended[1].result?.retval as object)).toEqual(['show clock', 'show ip interface brief']);
    expect(device.record.configLines).toEqual(expect.arrayContaining(['interface Gi0/1', 'description batch-uplink']));
    expect(await batchOf(res.batch_id!)).toMatchObject({ total: 3, done: true, counts: { finished: 3 } });
  });

  it('with rendering, each device renders the shared template from its own variables; a device missing one fails alone', async () => {
    const res = await bulk({
      ...executeBody(device, { command: undefined }),
      rendering: { name: 'jinja2', template: 'interface {{ port }}\n description {{ role }}' },
      config: { port: 'Gi0/9', role: 'shared-role' },
      devices: [{}, { config: { port: 'Gi0/2', role: 'edge' } }, { config: { port: 'Gi0/3' } }, { command: 'show clock' }],
    });
    expect(res.succeeded.map((j) => [j.command, j.config])).toEqual([
      [null, ['interface Gi0/9', ' description shared-role']],
      [null, ['interface Gi0/2', ' description edge']],
      [['show clock'], null],
    ]);
    expect(res.failed).toEqual([{ host: device.host, error: expect.stringMatching(/role/) }]);
  });

  it('answers a bulk whose every device failed with batch_id null and stores no batch', async () => {
    const res = await bulk({ ...executeBody(device), devices: [{ host: 'bad host!' }] });
    expect(res).toEqual({ batch_id: null, succeeded: [], failed: [{ host: 'bad host!', error: expect.stringMatching(/^host:/) }] });
  });

  it('refuses bad batch ids and queries in the envelope, and answers 404 for an unknown batch', async () => {
    const unknown = await api.http.get('/job/batch/0000000000000000ffff').expect(404);
    expect(unknown.body).toEqual({ code: 404, message: expect.stringMatching(/Batch 0000000000000000ffff not found/), data: null });
    const bad = await api.http.get('/job/batch/not*an*id').expect(400);
    expect(bad.body).toMatchObject({ code: 400, data: [{ field: 'id', error: expect.any(String) }] });
    await api.http.get('/job?batch=bad%20id').expect(400);
    const both = await api.http.delete('/job?batch=0000000000000000ffff&queue=FifoQ').expect(400);
    expect(both.body.message).toMatch(/batch and queue cannot be combined/);
    expect((await api.http.delete('/job?batch=0000000000000000ffff').expect(200)).body.data).toEqual({ cancelled_count: 0, cancelled_jobs: [] });
  });
});
