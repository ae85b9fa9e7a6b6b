import { Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import { JobStore } from '../../src/jobs/job-store';
import { RedisConnections } from '../../src/redis/redis-connections';
import { noopSpec } from './noop-driver';
import { median, percentile } from './stats';

/**
 * The Redis steps of one job, timed one at a time (round trip of each call, sequentially, no other load from
 * this run): our job store's CREATE, START and END scripts, and BullMQ's add (addStandardJob), fetch
 * (moveToActive, through a manual-processing Worker) and complete (moveToFinished), beside a PING. The same
 * calls with the same options as the submitter and the worker node make, so their sum is the floor of one
 * job's latency and (minus the PINGs) roughly the Redis time one job costs.
 */
export interface StepCost {
  step: string;
  p50: number;
  p99: number;
}

export async function measureStepCosts(url: string, prefix: string, samples = 1000): Promise<StepCost[]> {
  const redis = new Redis(url);
  const store = new JobStore(redis, { keyPrefix: prefix } as RedisConnections);
  const bullPrefix = `${prefix}:bull`;
  const queueConn = new Redis(url);
  const workerConn = new Redis(url, { maxRetriesPerRequest: null });
  const queue = new Queue('FifoQ', { connection: queueConn, prefix: bullPrefix });
  const worker = new Worker('FifoQ', null, { connection: workerConn, prefix: bullPrefix, autorun: false, lockDuration: 10_000 });
  const times = new Map<string, number[]>();
  const time = async <T>(step: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = process.hrtime.bigint();
    const v = await fn();
    const list = times.get(step) ?? [];
    list.push(Number(process.hrtime.bigint() - t0) / 1e6);
    times.set(step, list);
    return v;
  };
  try {
    const spec = noopSpec();
    for (let i = 0; i < samples + 50; i++) {
      await time('PING (round trip floor)', () => redis.ping());
      const id = await time('job-store CREATE (submit)', () => store.create({ queue: 'FifoQ', host: spec.request.host, request: spec.request, secrets: {}, queuedTtlMs: 1_800_000 }, 2_000_000));
      await time('BullMQ add: addStandardJob (submit)', () => queue.add('run', {}, { jobId: id, removeOnComplete: true, removeOnFail: true }));
      const token = `bench-${i}`;
      const job = await time('BullMQ fetch: moveToActive (worker)', () => worker.getNextJob(token, { block: false }));
      if (!job) throw new Error('no job fetched');
      await time('job-store START (worker)', () => store.start(id, 'fifo-1@bench', 'bench', 300_000, 30_000));
      await time('job-store END (worker)', () => store.end(id, 'finished', { type: 'success', retval: 'ok', error: null }, 300_000, 'fifo-1@bench'));
      await time('BullMQ complete: moveToFinished (worker)', () => job.moveToCompleted('', token, false));
    }
  } finally {
    await worker.close();
    await queue.close();
    // BullMQ leaves connections it was given open.
    queueConn.disconnect();
    workerConn.disconnect();
    redis.disconnect();
  }
  return [...times].map(([step, xs]) => {
    const s = xs.slice(50);
    return { step, p50: median(s), p99: percentile(s, 99) };
  });
}
