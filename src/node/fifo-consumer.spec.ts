import { Job, Queue } from 'bullmq';
import { AppConfig } from '../config/app-config';
import { RedisConnections } from '../redis/redis-connections';
import { WorkerFactory } from '../redis/worker-factory';
import { removeKeys, REDIS_URL, uniquePrefix, waitFor } from '../../test/support/test-env';
import { FifoConsumer, FifoSlot } from './fifo-consumer';
import { RunSlot } from './node-worker';
import { FreshSessions } from './session-source';

/**
 * The FIFO slots over one BullMQ consumer, against the real Redis and BullMQ: which slot runs what, and that
 * suspend, resume and stop act on one slot alone. Jobs here are held open by the test until it releases them.
 */
describe('FifoConsumer (real Redis, real BullMQ)', () => {
  const prefix = uniquePrefix('fifo');
  let redis: RedisConnections;
  let workers: WorkerFactory;
  let queue: Queue;
  const queues: Queue[] = [];
  let serial = 0;

  /** Running jobs by id: the slot that runs it, how to end it, and the reason it was aborted, if it was. */
  const running = new Map<string, { slot: string; release: () => void; aborted?: unknown }>();
  const ran: { job: string; slot: string }[] = [];

  const handle = async (job: Job, slot: RunSlot): Promise<void> => {
    const abort = new AbortController();
    const id = job.id as string;
    await new Promise<void>((resolve) => {
      const entry = { slot: slot.name, release: resolve, aborted: undefined as unknown };
      running.set(id, entry);
      ran.push({ job: id, slot: slot.name });
      abort.signal.addEventListener('abort', () => {
        entry.aborted = abort.signal.reason;
        resolve();
      });
      slot.track({ id, abort });
    });
    slot.track(null);
    running.delete(id);
  };

  /** A consumer of a queue of its own with n slots. */
  function consumerWith(n: number): { consumer: FifoConsumer; slots: FifoSlot[] } {
    const name = `q${++serial}`;
    queue = new Queue(name, { connection: redis.command, prefix: redis.bullPrefix });
    queues.push(queue);
    const consumer = new FifoConsumer(name, handle);
    const slots = Array.from({ length: n }, (_, i) => consumer.addSlot({ name: `${name}-slot-${i + 1}`, sessions: new FreshSessions() }));
    consumer.start(workers);
    return { consumer, slots };
  }

  const add = async (id: string) => queue.add('job', {}, { jobId: id });
  const release = (id: string) => running.get(id)?.release();
  const slotOf = (id: string) => waitFor(async () => running.get(id)?.slot);
  const settle = () => new Promise((r) => setTimeout(r, 400));

  beforeAll(() => {
    redis = new RedisConnections({ keyPrefix: prefix, redisUrl: REDIS_URL, redisCommandTimeoutMs: 2000, redisTls: undefined, redisSentinels: [] } as unknown as AppConfig);
    workers = new WorkerFactory(redis);
  });
  afterEach(() => {
    for (const r of running.values()) r.release();
  });
  afterAll(async () => {
    await workers.beforeApplicationShutdown();
    await Promise.all(queues.map((q) => q.close()));
    await redis.onApplicationShutdown();
    await removeKeys(prefix);
  });

  it('runs up to one job per slot at once, each on a different slot, the rest when slots free up', async () => {
    const { slots } = consumerWith(3);
    for (let i = 1; i <= 5; i++) await add(`a${i}`);
    const first = await Promise.all(['a1', 'a2', 'a3'].map(slotOf));
    expect(new Set(first).size).toBe(3);
    await settle();
    expect(running.size).toBe(3);
    expect(slots.map((s) => s.currentJob).sort()).toEqual(['a1', 'a2', 'a3']);
    release('a2');
    expect(await slotOf('a4')).toBe(first[1]);
    release('a1');
    release('a3');
    release('a4');
    await slotOf('a5');
    release('a5');
    await waitFor(async () => running.size === 0);
    await Promise.all(slots.map((s) => s.stop()));
  });

  it('a suspended slot takes nothing while another runs; resumed, it takes a queued job while the other is still busy', async () => {
    const { slots: [a, b] } = consumerWith(2);
    a.suspend();
    await add('b1');
    await add('b2');
    expect(await slotOf('b1')).toBe(b.name);
    await settle();
    expect(running.has('b2')).toBe(false);
    a.resume();
    expect(await slotOf('b2')).toBe(a.name);
    expect(running.has('b1')).toBe(true);
    release('b1');
    release('b2');
    await Promise.all([a.stop(), b.stop()]);
  });

  it('with every slot suspended nothing starts; one slot resumed runs the queue in order', async () => {
    const { slots } = consumerWith(2);
    slots.forEach((s) => s.suspend());
    await add('c1');
    await add('c2');
    await settle();
    expect(running.size).toBe(0);
    slots[1].resume();
    expect(await slotOf('c1')).toBe(slots[1].name);
    await settle();
    expect(running.has('c2')).toBe(false);
    release('c1');
    expect(await slotOf('c2')).toBe(slots[1].name);
    release('c2');
    await Promise.all(slots.map((s) => s.stop()));
  });

  it('stopping a busy slot interrupts its job alone; the other slots go on; the last one stopped closes the consumer', async () => {
    const { slots: [a, b] } = consumerWith(2);
    await add('d1');
    await add('d2');
    const where = { d1: await slotOf('d1'), d2: await slotOf('d2') };
    const victim = where.d1 === a.name ? a : b;
    const survivor = victim === a ? b : a;
    const d1 = running.get('d1')!;
    expect(await victim.stop('stopped')).toBe(1);
    expect(d1.aborted).toBe('stopped');
    expect(running.has('d2')).toBe(true);
    release('d2');
    await add('d3');
    expect(await slotOf('d3')).toBe(survivor.name);
    release('d3');
    await waitFor(async () => running.size === 0);
    expect(await survivor.stop()).toBe(0);
    await add('d4');
    await settle();
    expect(running.has('d4')).toBe(false);
    expect(await queue.getJobState('d4')).toBe('waiting');
  });
});
