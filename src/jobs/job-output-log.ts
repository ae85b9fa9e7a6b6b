import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { RedisConnections } from '../redis/redis-connections';
import { REDIS } from '../redis/redis.constants';
import { jobEventChannel, JobSignal } from './job-signals';

/** One piece of a job's output as it arrived: the command (or config line) and the text. */
export interface OutputEntry {
  /** the stream entry id: the SSE event id */
  id: string;
  command: string;
  data: string;
}

/** Entries a job's stream keeps at most (each is one flush: ~20 a second at most). */
const MAX_ENTRIES = 20_000;
/** Entries read per XRANGE. */
const READ_BATCH = 500;

/**
 * A job's output as it arrives, in a Redis stream of its own (`out:{id}`): worker nodes append, the API reads it
 * for `GET /job/{id}/events`. Every append publishes an `o` signal on the job's channel so listeners read on.
 * The stream lives as long as the job is queryable (its TTL follows the job's).
 */
@Injectable()
export class JobOutputLog {
  private readonly prefix: string;

  constructor(@Inject(REDIS) private readonly redis: Redis, connections: RedisConnections) {
    this.prefix = connections.keyPrefix;
  }

  key(jobId: string): string {
    return `${this.prefix}:out:${jobId}`;
  }

  /** Appends pieces in one round trip, sets the stream's TTL, and signals the listeners. */
  async append(jobId: string, pieces: { command: string; data: string }[], ttlMs: number): Promise<void> {
    if (pieces.length === 0) return;
    const key = this.key(jobId);
    const pipeline = this.redis.pipeline();
    for (const p of pieces) pipeline.xadd(key, 'MAXLEN', '~', MAX_ENTRIES, '*', 'c', p.command, 'd', p.data);
    pipeline.pexpire(key, ttlMs);
    pipeline.publish(jobEventChannel(this.prefix, jobId), 'o' satisfies JobSignal);
    await pipeline.exec();
  }

  /** Entries after `afterId` (exclusive; '0-0' for all), oldest first. */
  async after(jobId: string, afterId: string): Promise<OutputEntry[]> {
    const entries: OutputEntry[] = [];
    let from = `(${afterId}`;
    for (;;) {
      const batch = await this.redis.xrange(this.key(jobId), from, '+', 'COUNT', READ_BATCH);
      for (const [id, fields] of batch) entries.push({ id, command: fieldOf(fields, 'c'), data: fieldOf(fields, 'd') });
      if (batch.length < READ_BATCH) return entries;
      from = `(${batch[batch.length - 1][0]}`;
    }
  }

  /** The newest entry's id ('0-0' when there is none). */
  async lastId(jobId: string): Promise<string> {
    const [last] = await this.redis.xrevrange(this.key(jobId), '+', '-', 'COUNT', 1);
    return last ? last[0] : '0-0';
  }

  /** Keeps the output as long as the ended job stays queryable. */
  async keepFor(jobId: string, ttlMs: number): Promise<void> {
    await this.redis.pexpire(this.key(jobId), ttlMs);
  }
}

function fieldOf(fields: string[], name: string): string {
  for (let i = 0; i < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return '';
}

/** Stream ids compare as (ms, seq): true when a is after b. */
export function streamIdAfter(a: string, b: string): boolean {
  const [am, as] = a.split('-').map(Number);
  const [bm, bs] = b.split('-').map(Number);
  return am > bm || (am === bm && as > bs);
}
