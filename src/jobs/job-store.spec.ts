import Redis from 'ioredis';
import { RedisConnections } from '../redis/redis-connections';
import { removeKeys, REDIS_URL, uniquePrefix } from '../../test/support/test-env';
import { JobRequest } from './job.model';
import { HostLockedError, JobStore, NewJob } from './job-store';

/** The job store against the real Redis: transitions keep record and indexes consistent. */
describe('JobStore (real Redis)', () => {
  const prefix = uniquePrefix('store');
  let redis: Redis;
  let store: JobStore;
  const TTL = 60_000;
  /** JOB_RUN_GRACE's default, in ms: how long a started job may overrun its timeout before the sweep fails it */
  const GRACE_MS = 30_000;

  const request = (host: string): JobRequest => ({
    kind: 'execute', driver: 'netmiko', device_type: 'cisco_ios', host, port: 22, username: 'admin',
    command: ['show version'], single_command: true, queue_strategy: 'pinned', timeout: 30,
  });
  const newJob = (host: string, queue = `pinned_${host}`, extra: Partial<NewJob> = {}): NewJob => ({
    queue, host, node: 'node-a', request: request(host), secrets: { password: 'canary-pw' }, queuedTtlMs: TTL, ...extra,
  });
  const members = (key: string) => redis.zrange(`${prefix}:${key}`, '0', '-1');

  beforeAll(() => {
    redis = new Redis(REDIS_URL);
    store = new JobStore(redis, { keyPrefix: prefix } as RedisConnections);
  });
  afterAll(async () => {
    await removeKeys(prefix);
    redis.disconnect();
  });

  it('moves a job queued -> started -> finished across every index, and forgets its secrets', async () => {
    const id = await store.create(newJob('10.0.0.1'), TTL);
    expect(id).toMatch(/^[0-9a-f]{20}$/);
    expect(await members('ix:qs:queued:pinned_10.0.0.1')).toContain(id);
    expect(await redis.get(`${prefix}:sec:${id}`)).toContain('canary-pw');

    const started = await store.start(id, 'w1', 'node-b', TTL, GRACE_MS);
    expect(started).toMatchObject({ kind: 'ok', secrets: { password: 'canary-pw' } });
    expect(await members('ix:s:queued')).not.toContain(id);
    expect(await members('ix:s:started')).toContain(id);
    expect(await members('ix:n:node-b')).toContain(id);
    expect(await members('ix:n:node-a')).not.toContain(id);

    expect(await store.end(id, 'finished', { type: 'success', retval: 'IOS', error: null }, TTL, 'w1')).toBe(true);
    const job = await store.get(id);
    expect(job).toMatchObject({ status: 'finished', worker: 'w1', node: 'node-b', result: { retval: 'IOS' } });
    expect(job!.ended_at).toBeGreaterThanOrEqual(job!.started_at!);
    expect(await members('ix:hs:finished:10.0.0.1')).toEqual([id]);
    expect(await members('ix:s:started')).not.toContain(id);
    expect(await redis.exists(`${prefix}:sec:${id}`)).toBe(0);
  });

  it("books the worker's current job and counts with each transition, and never recreates a worker the fleet dropped", async () => {
    const wk = `${prefix}:worker:w-booked`;
    await redis.hset(wk, 'name', 'w-booked', 'node', 'node-a', 'successful', 0, 'failed', 0);
    const ok = await store.create(newJob('10.0.0.9'), TTL);
    const bad = await store.create(newJob('10.0.0.9'), TTL);
    await store.start(ok, 'w-booked', 'node-a', TTL, GRACE_MS);
    expect(await redis.hget(wk, 'current_job')).toBe(ok);
    await store.end(ok, 'finished', { type: 'success', retval: 'x', error: null }, TTL, 'w-booked');
    await store.start(bad, 'w-booked', 'node-a', TTL, GRACE_MS);
    await store.end(bad, 'failed', { type: 'failed', retval: null, error: { type: 'E', message: 'm' } }, TTL, 'w-booked');
    expect(await redis.hmget(wk, 'current_job', 'successful', 'failed')).toEqual([null, '1', '1']);

    const gone = await store.create(newJob('10.0.0.9'), TTL);
    await store.start(gone, 'w-gone', 'node-a', TTL, GRACE_MS);
    await store.end(gone, 'finished', { type: 'success', retval: 'x', error: null }, TTL, 'w-gone');
    expect(await redis.exists(`${prefix}:worker:w-gone`)).toBe(0);
  });

  it('lets exactly one of cancel and start win, sent on two connections as a worker and an API would', async () => {
    // One connection would order the two commands itself; two race for real, as a node's and an API's do.
    const apiSide = new Redis(REDIS_URL);
    const canceller = new JobStore(apiSide, { keyPrefix: prefix } as RedisConnections);
    const ids = await Promise.all(Array.from({ length: 50 }, () => store.create(newJob('10.0.0.2'), TTL)));
    const outcomes = await Promise.all(ids.map((id, i) =>
      i % 2 === 0
        ? Promise.all([store.start(id, 'w', 'n', TTL, GRACE_MS), canceller.cancelIds([id], TTL)])
        : Promise.all([canceller.cancelIds([id], TTL).then((c) => c), store.start(id, 'w', 'n', TTL, GRACE_MS)]),
    ));
    apiSide.disconnect();
    for (const [i, [a, b]] of outcomes.entries()) {
      const started = (i % 2 === 0 ? a : b) as { kind: string };
      const cancelled = ((i % 2 === 0 ? b : a) as string[])[0] === 'cancelled';
      expect(started.kind === 'ok').toBe(!cancelled);
      expect((await store.get(ids[i]))!.status).toBe(cancelled ? 'cancelled' : 'started');
    }
  });

  it('cancels a queue in batches and reports started jobs as not cancellable', async () => {
    const ids = [];
    for (let i = 0; i < 4500; i++) ids.push(store.create(newJob('10.0.0.3', 'FifoQ', { node: undefined }), TTL));
    const created = await Promise.all(ids);
    await store.start(created[0], 'w', 'n', TTL, GRACE_MS);
    const cancelled = await store.cancelQueued({ queue: 'FifoQ', host: '10.0.0.3' }, TTL);
    expect(cancelled).toHaveLength(4499);
    expect(new Set(cancelled).size).toBe(4499);
    expect(await store.cancelIds([created[0], 'nope'], TTL)).toEqual(['started', 'missing']);
    expect(await redis.zcard(`${prefix}:ix:qs:queued:FifoQ`)).toBe(0);
  });

  it('pages newest first with no duplicates or gaps, with and without leftover filters', async () => {
    const host = '10.0.0.4';
    const created: string[] = [];
    for (let i = 0; i < 730; i++) created.push(await store.create(newJob(host, i % 3 === 0 ? 'FifoQ' : `pinned_${host}`), TTL));
    const pageAll = async (filter: object) => {
      const seen: string[] = [];
      let after: string | null = null;
      do {
        const page = await store.list(filter, 100, after);
        seen.push(...page.jobs.map((j) => j.id));
        after = page.nextAfter;
      } while (after);
      return seen;
    };
    const newestFirst = [...created].sort().reverse();
    expect(await pageAll({ host })).toEqual(newestFirst);
    // queue + host is not one index: the host is checked per record
    const fifo = newestFirst.filter((_, i) => created.indexOf(newestFirst[i]) % 3 === 0);
    expect(await pageAll({ queue: 'FifoQ', host })).toEqual(fifo);
    expect(await pageAll({ status: 'queued', host })).toEqual(newestFirst);
  });

  it('fails jobs that waited past their TTL and deletes ended jobs from every index after retention', async () => {
    const late = await store.create(newJob('10.0.0.5', 'pinned_10.0.0.5', { queuedTtlMs: 1 }), TTL);
    await new Promise((r) => setTimeout(r, 5));
    expect(await store.start(late, 'w', 'n', 50, GRACE_MS)).toEqual({ kind: 'expired' });
    expect((await store.get(late))!.result).toMatchObject({ type: 'timeout' });

    const idle = await store.create(newJob('10.0.0.5', 'pinned_10.0.0.5', { queuedTtlMs: 1 }), TTL);
    await new Promise((r) => setTimeout(r, 5));
    expect((await store.sweepOverdue('queued', 50)).map((j) => j.id)).toEqual([idle]);
    expect((await store.get(idle))!.status).toBe('failed');

    await new Promise((r) => setTimeout(r, 60));
    const swept = (await store.sweepExpired()).map((j) => j.id);
    expect(swept).toEqual(expect.arrayContaining([late, idle]));
    expect(await store.get(late)).toBeNull();
    for (const key of ['ix:all', 'ix:h:10.0.0.5', 'ix:s:failed', 'ix:hs:failed:10.0.0.5', 'ix:n:node-a', 'ix:q:pinned_10.0.0.5']) {
      expect(await members(key)).not.toContain(late);
    }
    expect(await redis.exists(`${prefix}:job:${idle}`, `${prefix}:doc:${idle}`, `${prefix}:sec:${idle}`)).toBe(0);
  });

  it('tallies submits, ends, cancels and the wait and run histograms, and adds them to Redis when flushed', async () => {
    await store.tally.flush();
    const stats = () => store.counters();
    const before = await stats();
    const a = await store.create(newJob('10.0.0.6'), TTL);
    const b = await store.create(newJob('10.0.0.6', 'FifoQ'), TTL);
    await store.start(a, 'w1', 'node-a', TTL, GRACE_MS);
    await store.end(a, 'finished', { type: 'success', retval: 'x', error: null }, TTL, 'w1');
    await store.cancelIds([b], TTL);
    // nothing reaches Redis before the flush
    expect(await stats()).toEqual(before);
    await store.tally.flush();
    const after = await stats();
    const delta = (field: string) => (after[field] ?? 0) - (before[field] ?? 0);
    expect([delta('submitted:pinned'), delta('submitted:fifo'), delta('finished:pinned'), delta('cancelled:fifo')]).toEqual([1, 1, 1, 1]);
    const run = await store.histogram('run');
    expect(Object.entries(run).filter(([k]) => k !== 'sum').reduce((n, [, v]) => n + v, 0)).toBeGreaterThanOrEqual(1);
    expect(await redis.smembers(`${prefix}:queues`)).toEqual(expect.arrayContaining(['FifoQ', 'pinned_10.0.0.6']));
  });

  it('keeps the tally when a flush fails, and adds it with the next one', async () => {
    await store.tally.flush();
    await redis.del(`${prefix}:stats`);
    await store.create(newJob('10.0.0.7'), TTL);
    await redis.set(`${prefix}:stats`, 'not a hash');
    await expect(store.tally.flush()).rejects.toThrow(/WRONGTYPE/);
    await redis.del(`${prefix}:stats`);
    await store.create(newJob('10.0.0.7'), TTL);
    await store.tally.flush();
    expect(await store.counters()).toEqual({ 'submitted:pinned': 2 });
  });

  it('writes nothing when Redis runs the insert after its deadline, and learns the Redis clock again', async () => {
    const id = store.newId();
    // as if this process's clock had stepped 10 s back since the last insert
    (store as unknown as { redisClockSkewMs: number }).redisClockSkewMs -= 10_000;
    await expect(store.insert(id, newJob('10.0.0.8'), TTL, store.redisNow() + 1000)).rejects.toThrow(/too late/);
    expect(await redis.zscore(`${prefix}:ix:all`, id)).toBeNull();
    expect(await redis.exists(`${prefix}:job:${id}`, `${prefix}:doc:${id}`, `${prefix}:sec:${id}`)).toBe(0);
    // the refusal re-read the Redis clock: the next insert's deadline is right again
    const next = store.newId();
    expect(Math.abs(parseInt(next.slice(0, 12), 16) - Date.now())).toBeLessThan(1000);
    await expect(store.insert(next, newJob('10.0.0.8'), TTL, store.redisNow() + 1000)).resolves.toBeGreaterThan(0);
  });

  it('lets MAX_SESSIONS_PER_HOST FIFO jobs start on a host; the next waits, is woken by the end that frees a session', async () => {
    const host = '10.0.1.1';
    const fifo = () => store.create(newJob(host, 'FifoQ', { node: undefined }), TTL);
    const [a, b, c] = [await fifo(), await fifo(), await fifo()];
    expect(await store.start(a, 'f1', 'node-a', TTL, GRACE_MS, 1)).toMatchObject({ kind: 'ok' });
    expect(await store.start(b, 'f2', 'node-a', TTL, GRACE_MS, 1)).toEqual({ kind: 'wait', waiters: 0, host });
    expect((await store.get(b))!.status).toBe('queued');
    expect(await store.awaitSession(host, b, 1)).toBe('parked');
    expect(await store.start(c, 'f3', 'node-a', TTL, GRACE_MS, 1)).toEqual({ kind: 'wait', waiters: 1, host });
    // a's end frees the session and wakes the oldest waiter; c, not parked yet, finds the session taken again
    expect(await store.finish(a, 'finished', { type: 'success', retval: 'ok', error: null }, TTL, 'f1')).toMatchObject({ ended: true, woken: b });
    expect(await store.start(b, 'f2', 'node-a', TTL, GRACE_MS, 1)).toMatchObject({ kind: 'ok' });
    expect(await store.awaitSession(host, c, 1)).toBe('parked');
    // a session that frees between c's START and its parking is not lost: parking answers 'now'
    const d = await fifo();
    expect(await store.finish(b, 'finished', { type: 'success', retval: 'ok', error: null }, TTL, 'f2')).toMatchObject({ woken: c });
    expect(await store.start(d, 'f4', 'node-a', TTL, GRACE_MS, 1)).toMatchObject({ kind: 'ok' });
    expect(await store.start(c, 'f3', 'node-a', TTL, GRACE_MS, 1)).toMatchObject({ kind: 'wait' });
    expect(await store.finish(d, 'failed', { type: 'failed', retval: null, error: null }, TTL, 'f4')).toMatchObject({ woken: null });
    expect(await store.awaitSession(host, c, 1)).toBe('now');
    // a cancelled waiter leaves the waiters; pinned workers (no limit) are not counted
    const e = await fifo();
    expect(await store.start(c, 'f3', 'node-a', TTL, GRACE_MS, 1)).toMatchObject({ kind: 'ok' });
    expect(await store.start(e, 'f5', 'node-a', TTL, GRACE_MS, 1)).toMatchObject({ kind: 'wait' });
    expect(await store.awaitSession(host, e, 1)).toBe('parked');
    expect(await store.cancelIds([e], TTL)).toEqual(['cancelled']);
    expect(await redis.zcard(`${prefix}:hostwait:${host}`)).toBe(0);
    expect(await store.awaitSession(host, e, 1)).toBe('gone');
    const pinned = await store.create(newJob(host), TTL);
    expect(await store.start(pinned, 'p1', 'node-a', TTL, GRACE_MS)).toMatchObject({ kind: 'ok' });
    expect(await members(`hostrun:${host}`)).toEqual([c]);
  });

  it('counts refused logins per host in the ending step, locks at the limit, and refuses then fails the host\'s jobs', async () => {
    const host = '10.0.2.1';
    const login = (outcome: 'failed' | 'ok') => ({ host, login: outcome, limit: 2, lockoutMs: 60_000 });
    const run = async (outcome: 'failed' | 'ok') => {
      const id = await store.create(newJob(host), TTL);
      await store.start(id, 'p1', 'node-a', TTL, GRACE_MS);
      return store.finish(id, 'failed', { type: 'failed', retval: null, error: null }, TTL, 'p1', login(outcome));
    };
    expect((await run('failed')).lockedUntil).toBeNull();
    expect((await run('ok')).lockedUntil).toBeNull(); // a login that worked resets the count
    expect((await run('failed')).lockedUntil).toBeNull();
    const queued = await store.create(newJob(host), TTL);
    const { lockedUntil } = await run('failed');
    expect(lockedUntil).toBeGreaterThan(Date.now() + 50_000);
    const refused = store.create(newJob(host), TTL);
    await expect(refused).rejects.toBeInstanceOf(HostLockedError);
    await expect(refused).rejects.toMatchObject({ host, until: lockedUntil, failures: 2 });
    expect(await store.start(queued, 'p1', 'node-a', TTL, GRACE_MS)).toEqual({ kind: 'locked', until: lockedUntil });
    expect(await store.get(queued)).toMatchObject({ status: 'failed', result: { error: { type: 'DeviceLockedError' } } });
  });
});
