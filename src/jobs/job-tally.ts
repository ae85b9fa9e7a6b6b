import type Redis from 'ioredis';
import { FIFO_QUEUE } from '../redis/redis.constants';
import { HISTOGRAM_BOUNDS } from './histogram-bounds';

export type JobEvent = 'submitted' | 'finished' | 'failed' | 'cancelled';
export type JobHistogram = 'wait' | 'run';

/** `FifoQ` jobs count as fifo, every `pinned_{host}` queue as pinned. */
export function queueType(queue: string): 'fifo' | 'pinned' {
  return queue === FIFO_QUEUE ? 'fifo' : 'pinned';
}

/**
 * The job counters and histograms of this process, added to the cluster-wide hashes in Redis by flush()
 * (P:stats `{event}:{fifo|pinned}`; P:hist:{wait|run} bucket index -> count, and `sum`; P:queues, every
 * queue name seen). Tallied here rather than inside the transition scripts: seven fewer Redis commands per
 * job, at the price of figures up to one flush interval late (and of that interval's counts if the process
 * is killed without its shutdown).
 */
export class JobTally {
  private counts = new Map<string, number>();
  private buckets: Record<JobHistogram, Map<number, number>> = { wait: new Map(), run: new Map() };
  private sums: Record<JobHistogram, number> = { wait: 0, run: 0 };
  private newQueues = new Set<string>();
  private readonly knownQueues = new Set<string>();

  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  count(event: JobEvent, queue: string, n = 1): void {
    addTo(this.counts, `${event}:${queueType(queue)}`, n);
    if (!this.knownQueues.has(queue)) {
      this.knownQueues.add(queue);
      this.newQueues.add(queue);
    }
  }

  /** One observation; a negative time (clock step) counts as zero. */
  observe(name: JobHistogram, seconds: number): void {
    const s = Math.max(0, seconds);
    let bucket = HISTOGRAM_BOUNDS.findIndex((bound) => s <= bound) + 1;
    if (bucket === 0) bucket = HISTOGRAM_BOUNDS.length + 1;
    addTo(this.buckets[name], bucket, 1);
    this.sums[name] += s;
  }

  /** Adds what was tallied since the last flush to Redis, in one round trip. */
  async flush(): Promise<void> {
    const { counts, buckets, sums, newQueues } = this;
    if (counts.size === 0 && newQueues.size === 0 && buckets.wait.size === 0 && buckets.run.size === 0) return;
    this.counts = new Map();
    this.buckets = { wait: new Map(), run: new Map() };
    this.sums = { wait: 0, run: 0 };
    this.newQueues = new Set();
    const p = this.redis.pipeline();
    for (const [field, n] of counts) p.hincrby(`${this.prefix}:stats`, field, n);
    for (const name of ['wait', 'run'] as const) {
      if (buckets[name].size === 0) continue;
      for (const [bucket, n] of buckets[name]) p.hincrby(`${this.prefix}:hist:${name}`, String(bucket), n);
      p.hincrbyfloat(`${this.prefix}:hist:${name}`, 'sum', sums[name]);
    }
    if (newQueues.size > 0) p.sadd(`${this.prefix}:queues`, ...newQueues);
    const results = (await p.exec()) ?? [];
    const failed = results.find(([err]) => err);
    if (failed) {
      // Not lost yet: taken back, to be added by the next flush.
      this.restore(counts, buckets, sums, newQueues);
      throw failed[0] as Error;
    }
  }

  private restore(counts: Map<string, number>, buckets: Record<JobHistogram, Map<number, number>>, sums: Record<JobHistogram, number>, queues: Set<string>): void {
    for (const [field, n] of counts) addTo(this.counts, field, n);
    for (const name of ['wait', 'run'] as const) {
      for (const [bucket, n] of buckets[name]) addTo(this.buckets[name], bucket, n);
      this.sums[name] += sums[name];
    }
    for (const q of queues) this.newQueues.add(q);
  }
}

function addTo<K>(map: Map<K, number>, key: K, n: number): void {
  map.set(key, (map.get(key) ?? 0) + n);
}
