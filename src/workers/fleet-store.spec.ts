import Redis from 'ioredis';
import { JobRequest } from '../jobs/job.model';
import { HostUnpinnedError, JobStore } from '../jobs/job-store';
import { RedisConnections } from '../redis/redis-connections';
import { removeKeys, REDIS_URL, uniquePrefix } from '../../test/support/test-env';
import { FleetStore, NodeFacts } from './fleet-store';

/** Reaping a node that was found dead, against the real Redis. */
describe('FleetStore.deregisterIfDead (real Redis)', () => {
  const prefix = uniquePrefix('fleet');
  const TTL = 10_000;
  let redis: Redis;
  let fleet: FleetStore;
  const facts: NodeFacts = { life: 'l1', hostname: 'h', pid: 1, capacity: 10, fifo_concurrency: 1, pinned_count: 0, started_at: 0 };
  /** The node's last heartbeat pushed a minute into the past, as if it (or Redis) had stalled. */
  const stale = async (node: string) => redis.zadd(`${prefix}:nodes`, Date.now() - 60_000, node);

  beforeAll(() => {
    redis = new Redis(REDIS_URL);
    fleet = new FleetStore(redis, { keyPrefix: prefix } as RedisConnections);
  });
  afterAll(async () => {
    await removeKeys(prefix);
    redis.disconnect();
  });

  it('removes a node that is still dead, with its pinned hosts', async () => {
    await fleet.heartbeat('node-dead', facts, []);
    expect(await fleet.place('10.9.0.1', 'node-dead', TTL, 10)).toBe('node-dead');
    await stale('node-dead');
    expect(await fleet.deadNodes(TTL)).toContain('node-dead');
    expect(await fleet.deregisterIfDead('node-dead', TTL)).toEqual(['10.9.0.1']);
    expect(await redis.zscore(`${prefix}:nodes`, 'node-dead')).toBeNull();
    expect(await redis.hget(`${prefix}:pinned`, '10.9.0.1')).toBeNull();
  });

  it('keeps a node that beat again between being found dead and being reaped (a Redis pause ends)', async () => {
    await fleet.heartbeat('node-back', facts, []);
    expect(await fleet.place('10.9.0.2', 'node-back', TTL, 10)).toBe('node-back');
    await stale('node-back');
    expect(await fleet.deadNodes(TTL)).toContain('node-back');
    await fleet.heartbeat('node-back', facts, []); // it answers again before the reaper acts
    expect(await fleet.deregisterIfDead('node-back', TTL)).toBeNull();
    expect((await fleet.liveNodes(TTL)).map((n) => n.name)).toContain('node-back');
    expect(await redis.hget(`${prefix}:pinned`, '10.9.0.2')).toBe('node-back');
  });
});

/** A node's life claiming its name, against the real Redis: when the previous life counts as gone, and what it leaves. */
describe('FleetStore.claimLife (real Redis)', () => {
  const prefix = uniquePrefix('life');
  const TTL = 10_000;
  let redis: Redis;
  let fleet: FleetStore;
  let jobs: JobStore;
  const facts = (life: string, hostname = 'host-1', pid = 7): NodeFacts => ({ life, hostname, pid, capacity: 10, fifo_concurrency: 1, pinned_count: 0, started_at: 0 });
  const request: JobRequest = {
    kind: 'execute', driver: 'netmiko', device_type: 'cisco_ios', host: '10.8.0.1', port: 22, username: 'admin',
    command: ['show version'], single_command: true, queue_strategy: 'fifo', timeout: 300,
  };
  /** A job the given worker of the node started, as its previous life would have. */
  const started = async (node: string, worker: string): Promise<string> => {
    await fleet.registerWorker({ name: worker, node, queue: 'FifoQ', host: null, hostname: 'host-1', pid: 7, kind: 'fifo' });
    const id = await jobs.create({ queue: 'FifoQ', host: '10.8.0.1', request, secrets: {}, queuedTtlMs: TTL }, TTL);
    expect(await jobs.start(id, worker, node, TTL, TTL)).toMatchObject({ kind: 'ok' });
    return id;
  };
  const stale = async (node: string) => redis.zadd(`${prefix}:nodes`, Date.now() - 60_000, node);

  beforeAll(() => {
    redis = new Redis(REDIS_URL);
    fleet = new FleetStore(redis, { keyPrefix: prefix } as RedisConnections);
    jobs = new JobStore(redis, { keyPrefix: prefix } as RedisConnections);
  });
  afterAll(async () => {
    await removeKeys(prefix);
    redis.disconnect();
  });

  it('refuses a name whose holder beats on another host or pid, and changes nothing', async () => {
    expect(await fleet.claimLife('n-held', facts('L1'), TTL, null, TTL)).toMatchObject({ kind: 'ok', previous: null, lost: [] });
    const job = await started('n-held', 'fifo-1@n-held');
    for (const other of [facts('L2', 'host-2', 7), facts('L2', 'host-1', 8)]) {
      const claim = await fleet.claimLife('n-held', other, TTL, null, TTL);
      expect(claim).toMatchObject({ kind: 'held', holder: { life: 'L1', hostname: 'host-1', pid: 7 } });
    }
    expect((await jobs.get(job))!.status).toBe('started');
    expect(await fleet.holder('n-held')).toEqual({ life: 'L1', hostname: 'host-1', pid: 7 });
  });

  it('takes over at once from the same hostname and pid (a restarted container) and ends the jobs left started', async () => {
    await fleet.claimLife('n-same', facts('L1'), TTL, null, TTL);
    const a = await started('n-same', 'fifo-1@n-same');
    const b = await started('n-same', 'pinned-10.8.0.1@n-same');
    const claim = await fleet.claimLife('n-same', facts('L2'), TTL, null, TTL);
    expect(claim).toMatchObject({ kind: 'ok', previous: { life: 'L1', hostname: 'host-1', pid: 7 } });
    expect(claim.kind === 'ok' && claim.lost.map((j) => j.id).sort()).toEqual([a, b].sort());
    for (const id of [a, b]) {
      const job = await jobs.get(id);
      expect(job).toMatchObject({ status: 'failed', result: { type: 'failed', error: { type: 'WorkerLostError' } } });
      expect(job!.result!.error!.message).toMatch(/previous life L1 \(host-1, pid 7\)/);
    }
    expect(await redis.hget(`${prefix}:worker:fifo-1@n-same`, 'stopped')).toBe('1');
    expect(await redis.hget(`${prefix}:worker:fifo-1@n-same`, 'current_job')).toBeNull();
    expect(await fleet.holder('n-same')).toEqual({ life: 'L2', hostname: 'host-1', pid: 7 });
    // the old life, if it beats again, learns that the name was taken over and writes nothing
    expect(await fleet.heartbeat('n-same', facts('L1'), [])).toEqual({ superseded: { life: 'L2', hostname: 'host-1', pid: 7 } });
    expect(await fleet.deregister('n-same', 'L1')).toBeNull();
    expect(await fleet.holder('n-same')).toMatchObject({ life: 'L2' });
  });

  it('takes over from the same hostname when the caller found the old pid dead, and from anyone once the heartbeat is stale', async () => {
    await fleet.claimLife('n-pid', facts('L1', 'host-1', 7), TTL, null, TTL);
    expect(await fleet.claimLife('n-pid', facts('L2', 'host-1', 9), TTL, 7, TTL)).toMatchObject({ kind: 'ok', previous: { life: 'L1' } });
    // a dead pid other than the holder's proves nothing
    expect(await fleet.claimLife('n-pid', facts('L3', 'host-1', 11), TTL, 7, TTL)).toMatchObject({ kind: 'held', holder: { life: 'L2' } });
    const job = await started('n-pid', 'fifo-1@n-pid');
    await stale('n-pid');
    expect(await fleet.claimLife('n-pid', facts('L3', 'host-2', 11), TTL, null, TTL)).toMatchObject({ kind: 'ok', previous: { life: 'L2' }, lost: [{ id: job }] });
  });
});

/** Releasing an idle pinned worker against a submit's insert, step by step on the real Redis: one of the two loses. */
describe('FleetStore.releasePinned and the pinned insert (real Redis)', () => {
  const prefix = uniquePrefix('release');
  const TTL = 10_000;
  let redis: Redis;
  let fleet: FleetStore;
  let jobs: JobStore;
  const facts: NodeFacts = { life: 'l1', hostname: 'h', pid: 1, capacity: 1, fifo_concurrency: 1, pinned_count: 0, started_at: 0 };
  const host = '10.7.0.1';
  const queue = `pinned_${host}`;
  const request: JobRequest = {
    kind: 'execute', driver: 'netmiko', device_type: 'cisco_ios', host, port: 22, username: 'admin',
    command: ['show version'], single_command: true, queue_strategy: 'pinned', timeout: 30,
  };
  const insert = (node: string) => jobs.create({ queue, host, node, request, secrets: {}, queuedTtlMs: TTL, pinned: true }, TTL);
  const release = () => fleet.releasePinned(host, 'node-r', `pinned-${host}@node-r`, queue);

  beforeAll(async () => {
    redis = new Redis(REDIS_URL);
    fleet = new FleetStore(redis, { keyPrefix: prefix } as RedisConnections);
    jobs = new JobStore(redis, { keyPrefix: prefix } as RedisConnections);
    await fleet.heartbeat('node-r', facts, []);
  });
  afterAll(async () => {
    await removeKeys(prefix);
    redis.disconnect();
  });

  it('loses to a job stored first (queued, then started), wins once the queue is empty, then refuses the late insert', async () => {
    expect(await fleet.place(host, 'node-r', TTL, 1)).toBe('node-r');
    const id = await insert('node-r');
    expect(await release()).toBe('busy');
    await jobs.start(id, `pinned-${host}@node-r`, 'node-r', TTL, TTL);
    expect(await release()).toBe('busy');
    await jobs.end(id, 'finished', { type: 'success', retval: 'ok', error: null }, TTL);
    expect(await release()).toBe('released');
    expect(await fleet.pinnedNode(host)).toBeNull();
    expect(await fleet.hostsOf('node-r')).toEqual([]);
    // a submit that read the placement before the release: its insert is refused and stores nothing
    const before = await redis.zcard(`${prefix}:ix:all`);
    await expect(insert('node-r')).rejects.toBeInstanceOf(HostUnpinnedError);
    expect(await redis.zcard(`${prefix}:ix:all`)).toBe(before);
    // placed anew (capacity freed), it is stored
    expect(await fleet.place(host, 'node-r', TTL, 1)).toBe('node-r');
    await expect(insert('node-r')).resolves.toMatch(/^[0-9a-f]{20}$/);
  });

  it('answers gone for a worker whose host is pinned elsewhere, and leaves that placement alone', async () => {
    await fleet.heartbeat('node-s', { ...facts, life: 'l2' }, []);
    await redis.hset(`${prefix}:pinned`, '10.7.0.2', 'node-s');
    expect(await fleet.releasePinned('10.7.0.2', 'node-r', 'pinned-10.7.0.2@node-r', 'pinned_10.7.0.2')).toBe('gone');
    expect(await fleet.pinnedNode('10.7.0.2')).toBe('node-s');
  });
});
