import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { PrefixedStore } from '../redis/lua-scripts';
import { QueueRegistry } from '../redis/queue-registry';
import { RedisConnections } from '../redis/redis-connections';
import { REDIS, SCHEDULE_QUEUE } from '../redis/redis.constants';
import type { DeviceJobSpec } from '../devices/job-submitter';

/** A schedule as stored: when (cron + zone, or every), and the job each occurrence submits (no secrets in it). */
export interface ScheduleDefinition {
  name: string;
  cron: string | null;
  timezone: string | null;
  every: number | null;
  spec: DeviceJobSpec;
  created_at: number;
}

/** What the occurrences left on a schedule: the last job, the last error, the occurrences missed. */
export interface ScheduleState {
  last_job: { id: string; run_at: number } | null;
  last_error: string | null;
  missed_total: number;
  missed_last: { count: number; from: number; to: number } | null;
  /** next occurrence (ms), from BullMQ's job scheduler */
  next: number | null;
}

/**
 * Keys (P = key prefix): P:sched:{name} hash  def (ScheduleDefinition JSON), occ (last occurrence claimed, ms),
 * last_job, last_error, missed_total, missed_last;  P:scheds  zset of names (score 0, by name).
 * The timing itself is BullMQ's job scheduler of the same name on SCHEDULE_QUEUE: one delayed job per occurrence,
 * its id made of the scheduler and the occurrence time, so many API replicas upserting it add it once.
 */
const SCRIPTS = {
  /** ARGV: P, name, occurrence ms. 1 when this occurrence is claimed now; 0 when it (or a later one) already was, or the schedule is gone. */
  CLAIM: `
local k = ARGV[1] .. ':sched:' .. ARGV[2]
if redis.call('EXISTS', k) == 0 then return 0 end
if tonumber(redis.call('HGET', k, 'occ') or '0') >= tonumber(ARGV[3]) then return 0 end
redis.call('HSET', k, 'occ', ARGV[3])
return 1
`,
};

/** The schedule records and their BullMQ job schedulers (POST/GET/DELETE /schedule, and the node's ScheduleRunner). */
@Injectable()
export class ScheduleStore extends PrefixedStore<typeof SCRIPTS> {
  constructor(@Inject(REDIS) redis: Redis, connections: RedisConnections, private readonly queues: QueueRegistry) {
    super(redis, connections.keyPrefix, 'netpulseSched', SCRIPTS);
  }

  /** Stores (or replaces) the schedule, then its BullMQ job scheduler; throws BullMQ's error for a bad cron. */
  async save(def: ScheduleDefinition): Promise<void> {
    const repeat = def.cron ? { pattern: def.cron, tz: def.timezone ?? undefined } : { every: (def.every ?? 1) * 1000 };
    await this.redis.multi().hset(this.key('sched', def.name), 'def', JSON.stringify(def)).zadd(this.key('scheds'), 0, def.name).exec();
    await this.queue.upsertJobScheduler(def.name, repeat, { name: 'occurrence', data: { schedule: def.name }, opts: { removeOnComplete: true, removeOnFail: true } });
  }

  async get(name: string): Promise<ScheduleDefinition | null> {
    const def = await this.redis.hget(this.key('sched', name), 'def');
    return def ? (JSON.parse(def) as ScheduleDefinition) : null;
  }

  /** Every schedule, by name, with its state. */
  async list(): Promise<{ def: ScheduleDefinition; state: ScheduleState }[]> {
    const names = await this.redis.zrange(this.key('scheds'), '0', '-1');
    const rows = await Promise.all(names.map(async (name) => {
      const [h, scheduler] = await Promise.all([this.redis.hgetall(this.key('sched', name)), this.queue.getJobScheduler(name)]);
      if (!h.def) return null;
      const state: ScheduleState = {
        last_job: h.last_job ? (JSON.parse(h.last_job) as ScheduleState['last_job']) : null,
        last_error: h.last_error || null,
        missed_total: Number(h.missed_total ?? 0),
        missed_last: h.missed_last ? (JSON.parse(h.missed_last) as ScheduleState['missed_last']) : null,
        next: (scheduler as { next?: number } | undefined)?.next ?? null,
      };
      return { def: JSON.parse(h.def) as ScheduleDefinition, state };
    }));
    return rows.filter((r) => r !== null);
  }

  /** Removes the schedule and its job scheduler (its pending occurrence with it); false when there was none. */
  async remove(name: string): Promise<boolean> {
    const [removed] = await Promise.all([this.redis.del(this.key('sched', name)), this.redis.zrem(this.key('scheds'), name)]);
    await this.queue.removeJobScheduler(name);
    return removed > 0;
  }

  /** Claims one occurrence for a run: true once per occurrence, whoever asks and however often BullMQ hands it over. */
  async claim(name: string, occurrence: number): Promise<boolean> {
    return Number(await this.scripts.CLAIM(this.prefix, name, occurrence)) === 1;
  }

  async recordRun(name: string, jobId: string, occurrence: number): Promise<void> {
    await this.redis.hset(this.key('sched', name), 'last_job', JSON.stringify({ id: jobId, run_at: occurrence }), 'last_error', '');
  }

  async recordError(name: string, message: string): Promise<void> {
    await this.redis.hset(this.key('sched', name), 'last_error', message);
  }

  async recordMissed(name: string, count: number, from: number, to: number): Promise<void> {
    await this.redis.multi()
      .hincrby(this.key('sched', name), 'missed_total', count)
      .hset(this.key('sched', name), 'missed_last', JSON.stringify({ count, from, to }))
      .exec();
  }

  private get queue() {
    return this.queues.get(SCHEDULE_QUEUE);
  }
}
