import { ApiProcess, startApiProcess } from './support/api-process';
import { CredentialsFile } from './support/credentials-file';
import { FakeDevice, startFakeDevice } from './support/fake-device/fake-device';
import { TEST_API_KEY, removeKeys, testEnv, uniquePrefix, waitFor } from './support/test-env';
import { WorkerProcess, startWorkerNode } from './support/worker-process';

type Job = { id: string; status: string; schedule: string | null; run_at: string; created_at: string };
type Schedule = { name: string; every: number | null; next_run_at: string | null; last_job: { id: string } | null; missed: { total: number; last: { count: number } | null } };
type Reply<T> = { status: number; body: { data: T; message: string } };

/**
 * Issue 17, part 3: schedules end to end with two real API processes and real worker node processes, killed and
 * restarted: each occurrence fires once (two nodes consume them), the schedule outlives every process, missed occurrences are reported.
 */
describe('schedules', () => {
  const prefix = uniquePrefix('sched');
  const file = new CredentialsFile();
  const env = testEnv(prefix, { CREDENTIALS_FILE: file.path, SCHEDULE_MISFIRE_GRACE: '1' });
  const apis: ApiProcess[] = [];
  const nodes: WorkerProcess[] = [];
  let device: FakeDevice;

  const call = async <T>(via: ApiProcess, method: string, path: string, body?: object): Promise<Reply<T>> => {
    const res = await fetch(`${via.base}${path}`, { method, headers: { 'X-API-KEY': TEST_API_KEY, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
    return { status: res.status, body: (await res.json()) as Reply<T>['body'] };
  };
  const jobBody = (args: Record<string, unknown> = { credential: 'lab' }) => ({
    driver: 'netmiko', connection_args: { device_type: 'cisco_ios', host: device.host, port: device.port, timeout: 5, ...args }, command: 'show version',
    options: { queue_strategy: 'fifo' },
  });
  const jobsOf = async (name: string, via = apis[apis.length - 1]): Promise<Job[]> => (await call<Job[]>(via, 'GET', `/job?schedule=${name}&limit=1000`)).body.data;
  const schedule = async (name: string, via = apis[apis.length - 1]): Promise<Schedule | undefined> =>
    (await call<Schedule[]>(via, 'GET', '/schedule')).body.data.find((s) => s.name === name);
  /** every occurrence made one job: no two jobs share a run_at */
  const expectOncePerOccurrence = (jobs: Job[]) => expect(new Set(jobs.map((j) => j.run_at)).size).toBe(jobs.length);

  beforeAll(async () => {
    device = await startFakeDevice({ flavor: 'cisco_ios', host: '127.0.0.41' });
    file.write({ lab: { username: device.options.username, password: device.options.password, secret: device.options.secret } });
    // two consumers of the occurrences: each occurrence must still make one job
    nodes.push(...(await Promise.all([startWorkerNode('sched-a', env), startWorkerNode('sched-a2', env)])));
    apis.push(...(await Promise.all([startApiProcess(env), startApiProcess(env)])));
  });

  afterAll(async () => {
    await Promise.all([...apis, ...nodes].map((p) => p.stop('SIGKILL')));
    await device?.stop();
    await removeKeys(prefix);
    file.remove();
  });

  it('refuses inline passwords, a job without a credential set, bad cron and zones; 404 on an unknown name', async () => {
    const [a] = apis;
    const cases: [object, RegExp][] = [
      [{ name: 'bad1', every: 60, job: jobBody({ credential: 'lab', password: 'x' }) }, /password/],
      [{ name: 'bad2', every: 60, job: jobBody({ username: 'admin' }) }, /credential/],
      [{ name: 'bad3', cron: '61 * * * *', job: jobBody() }, /cron/],
      [{ name: 'bad4', cron: '0 2 * * *', timezone: 'Mars/Olympus', job: jobBody() }, /time zone/],
      [{ name: 'bad5', cron: '0 2 * * *', every: 5, job: jobBody() }, /cron and every/],
      [{ name: 'bad6', every: 60, job: { ...jobBody(), options: { delay: 5 } } }, /run_at/],
    ];
    for (const [body, message] of cases) {
      const res = await call(a, 'POST', '/schedule', body);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(message);
    }
    expect((await call(a, 'DELETE', '/schedule?name=none')).status).toBe(404);
    expect((await call<Schedule[]>(a, 'GET', '/schedule')).body.data).toEqual([]);
  });

  it('lists a cron schedule with its next run in its time zone', async () => {
    const res = await call<Schedule>(apis[0], 'POST', '/schedule', { name: 'nightly', cron: '0 2 * * *', timezone: 'Asia/Shanghai', job: jobBody() });
    expect(res.status).toBe(201);
    const listed = await schedule('nightly');
    // 02:00 in Shanghai is 18:00 UTC the day before
    expect(new Date(String(listed?.next_run_at)).getUTCHours()).toBe(18);
    expect(Date.parse(String(listed?.next_run_at)) - Date.now()).toBeLessThanOrEqual(86400_000);
    expect((await call(apis[1], 'DELETE', '/schedule?name=nightly')).status).toBe(200);
    expect(await schedule('nightly')).toBeUndefined();
  });

  it('fires a schedule every second exactly once per occurrence with two API processes, and after one is killed', async () => {
    const body = { name: 'every-second', every: 1, job: jobBody() };
    // both replicas declare it (as every replica of a deployment would)
    for (const api of apis) expect((await call(api, 'POST', '/schedule', body)).status).toBe(201);
    await waitFor(async () => (await jobsOf('every-second')).length >= 3, 15000, 100);
    const killed = apis.shift() as ApiProcess;
    await killed.stop('SIGKILL');
    const before = (await jobsOf('every-second')).length;
    await waitFor(async () => (await jobsOf('every-second')).length >= before + 3, 15000, 100);
    const jobs = await jobsOf('every-second');
    expectOncePerOccurrence(jobs);
    expect(jobs.every((j) => j.schedule === 'every-second')).toBe(true);
    const listed = await schedule('every-second');
    expect(listed?.last_job?.id).toBeDefined();
    expect(jobs.map((j) => j.id)).toContain(listed?.last_job?.id);
    await waitFor(async () => (await Promise.all(jobs.map(async (j) => (await call<Job[]>(apis[0], 'GET', `/job?id=${j.id}`)).body.data[0]?.status))).every((s) => s === 'finished'), 15000, 100);
  });

  it('survives a restart of the worker node; occurrences missed while no node ran are reported, not replayed', async () => {
    await Promise.all(nodes.splice(0).map((n) => n.stop('SIGKILL')));
    const downAt = Date.now();
    const before = (await jobsOf('every-second')).length;
    // everything that runs schedules is down for a while (the condition under test, not a wait for a state)
    await new Promise((r) => setTimeout(r, 3500));
    nodes.push(await startWorkerNode('sched-b', env));
    const upAt = Date.now();
    await waitFor(async () => (await schedule('every-second'))?.missed.total ?? 0, 15000, 100);
    await waitFor(async () => (await jobsOf('every-second')).length >= before + 2, 15000, 100);
    const jobs = await jobsOf('every-second');
    expectOncePerOccurrence(jobs);
    // no burst: the jobs made since the restart are about one per second, none for the occurrences of the outage
    const since = jobs.filter((j) => Date.parse(j.created_at) > downAt + 1500);
    const span = (Date.now() - upAt) / 1000;
    expect(since.length).toBeLessThanOrEqual(Math.ceil(span) + 1);
    expect(since.every((j) => Date.parse(j.run_at) >= upAt - 1000)).toBe(true);
    const listed = await schedule('every-second');
    expect(listed?.missed.last?.count).toBeGreaterThanOrEqual(1);
  });

  it('stops firing once deleted; its jobs stay listed', async () => {
    expect((await call(apis[0], 'DELETE', '/schedule?name=every-second')).status).toBe(200);
    expect(await schedule('every-second')).toBeUndefined();
    const count = (await jobsOf('every-second')).length;
    expect(count).toBeGreaterThan(0);
    // an occurrence already handed over may still land: then nothing more
    await new Promise((r) => setTimeout(r, 2500));
    const after = (await jobsOf('every-second')).length;
    await new Promise((r) => setTimeout(r, 2000));
    expect((await jobsOf('every-second')).length).toBe(after);
    expect(after - count).toBeLessThanOrEqual(1);
  });
});
