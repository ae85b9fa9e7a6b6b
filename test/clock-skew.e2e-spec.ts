import { TestApi, startApi } from './support/api-app';
import { executeBody } from './support/device-job';
import { FakeDevice, startFakeDevice } from './support/fake-device/fake-device';
import { describeRequiring, findLibfaketime } from './support/requirements';
import { removeKeys, testEnv, uniquePrefix, waitFor } from './support/test-env';
import { WorkerProcess, startWorkerNode } from './support/worker-process';

const LIBFAKETIME = findLibfaketime();

/**
 * Heartbeats and TTLs use the Redis clock: nodes whose own clocks are 60 s ahead and 60 s behind are not
 * declared dead, and do not declare the others dead (WORKER_TTL is 4 s in tests, far below the skew).
 */
describeRequiring({ present: LIBFAKETIME !== undefined, missing: 'libfaketime: apt-get install -y faketime' }, 'clock skew', () => {
  const prefix = uniquePrefix('skew');
  const env = testEnv(prefix, { FIFO_CONCURRENCY: '1' });
  const skewed = (offset: string) => ({ ...env, LD_PRELOAD: LIBFAKETIME ?? '', FAKETIME: offset, FAKETIME_DONT_FAKE_MONOTONIC: '1' });
  const nodes: WorkerProcess[] = [];
  let api: TestApi;
  let device: FakeDevice;

  beforeAll(async () => {
    device = await startFakeDevice({ flavor: 'cisco_ios', host: '127.0.0.13' });
    nodes.push(
      await startWorkerNode('skew-ok', env),
      await startWorkerNode('skew-ahead', skewed('+60s')),
      await startWorkerNode('skew-behind', skewed('-60s')),
    );
    api = await startApi(env);
  });

  afterAll(async () => {
    await api?.close();
    await Promise.all(nodes.map((n) => n.stop('SIGKILL')));
    await device?.stop();
    await removeKeys(prefix);
  });

  it('keeps every node alive and working across three WORKER_TTLs', async () => {
    // the skew is real: the nodes' own log times are a minute off
    const logTime = (n: WorkerProcess) => Number(/"time":(\d+)/.exec(n.output())?.[1]);
    expect(logTime(nodes[1]) - Date.now()).toBeGreaterThan(50_000);
    expect(Date.now() - logTime(nodes[2])).toBeGreaterThan(50_000);
    // The scenario's length, not a wait for a state: three WORKER_TTLs in which a skewed node would be reaped.
    await new Promise((r) => setTimeout(r, 12_000));
    const workers = (await api.http.get('/worker').expect(200)).body.data as { node: string; status: string }[];
    for (const node of ['skew-ok', 'skew-ahead', 'skew-behind']) {
      const own = workers.filter((w) => w.node === node);
      expect({ node, statuses: [...new Set(own.map((w) => w.status))] }).toEqual({ node, statuses: ['idle'] });
    }
    // every node still takes FIFO jobs: with the other nodes' FIFO workers suspended, a job can only run on this one
    const names = ['skew-ok', 'skew-ahead', 'skew-behind'];
    for (const node of names) {
      const others = names.filter((n) => n !== node);
      for (const other of others) await api.http.post(`/worker/suspend?node=${other}`).expect(200);
      const id = (await api.http.post('/device/execute', executeBody(device, { options: { queue_strategy: 'fifo' } })).expect(201)).body.data.id;
      const job = await waitFor(async () => {
        const j = (await api.http.get(`/job?id=${id}`)).body.data[0];
        return j.status === 'finished' ? j : null;
      }, 20_000);
      expect({ node, ranOn: job.worker.split('@')[1] }).toEqual({ node, ranOn: node });
      for (const other of others) await api.http.post(`/worker/resume?node=${other}`).expect(200);
    }
  }, 90_000);
});
