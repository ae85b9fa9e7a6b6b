import Redis from 'ioredis';
import { RedisConnections } from '../redis/redis-connections';
import { removeKeys, REDIS_URL, uniquePrefix } from '../../test/support/test-env';
import { FleetStore, NodeFacts } from './fleet-store';

/** Reaping a node that was found dead, against the real Redis. */
describe('FleetStore.deregisterIfDead (real Redis)', () => {
  const prefix = uniquePrefix('fleet');
  const TTL = 10_000;
  let redis: Redis;
  let fleet: FleetStore;
  const facts: NodeFacts = { hostname: 'h', pid: 1, capacity: 10, fifo_concurrency: 1, pinned_count: 0, started_at: 0 };
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
