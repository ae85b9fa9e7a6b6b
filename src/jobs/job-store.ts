import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import { RedisConnections } from '../redis/redis-connections';
import { PrefixedStore } from '../redis/lua-scripts';
import { REDIS } from '../redis/redis.constants';
import { jobId } from './job-id';
import { JOB_STATUSES, JobRecord, JobRequest, JobResult, JobStatus } from './job.model';
import * as lua from './job-store.scripts';
import { JobTally } from './job-tally';

/** Where and how a job's end is delivered; kept with the secrets (headers and auth may hold credentials). */
export interface WebhookTarget {
  url: string;
  method: string;
  headers?: Record<string, string>;
  timeout?: number;
  auth?: { username: string; password: string };
  max_retries?: number;
}

/** Secrets a job carries to its worker; stored apart from the record and deleted when the job ends. */
export interface JobSecrets {
  password?: string;
  secret?: string;
  private_key?: string;
  passphrase?: string;
  webhook?: WebhookTarget;
}

export interface NewJob {
  queue: string;
  host: string;
  /** node the job is pinned to, when known at submit */
  node?: string;
  request: JobRequest;
  secrets: JobSecrets;
  /** how long it may wait in the queue, ms */
  queuedTtlMs: number;
  /** a pinned job: stored only while its host is still pinned to `node` (HostUnpinnedError otherwise) */
  pinned?: boolean;
  /** the bulk the job belongs to (indexed: listed, counted and cancelled together) */
  batch?: string;
  /** options.run_at/delay: when it becomes queued (ms, Redis clock); until then it is 'scheduled' */
  runAt?: number;
}

/** A job's insert was refused: its host is locked after repeated authentication failures, until `until` (ms). */
export class HostLockedError extends Error {
  constructor(readonly host: string, readonly until: number, readonly failures: number) {
    super(`host ${host} is locked`);
  }
}

/** What a job's run told about logging in to its device (device protection counts refused logins per host). */
export interface LoginReport {
  host: string;
  /** failed: the device refused the credentials; ok: a new login succeeded; none: no login (a kept session, or no connection) */
  login: 'failed' | 'ok' | 'none';
  /** consecutive refused logins that lock the host (0: never) */
  limit: number;
  lockoutMs: number;
}

/** A pinned job's insert was refused: its host is no longer pinned to the node it was routed to (a release won). */
export class HostUnpinnedError extends Error {
  constructor(readonly host: string) {
    super(`host ${host} was unpinned while the job was being submitted`);
  }
}

export type StartOutcome =
  | { kind: 'ok'; request: JobRequest; secrets: JobSecrets; startedAt: number; attempt: number }
  | { kind: 'skip'; status: string }
  | { kind: 'expired' }
  | { kind: 'locked'; until: number }
  /** the host already runs maxSessions FIFO jobs: the job stays queued; `waiters` already wait for a session there */
  | { kind: 'wait'; waiters: number; host: string }
  /** a scheduled job handed over before its run time (ms): it stays scheduled, the worker puts it off */
  | { kind: 'early'; runAt: number }
  | { kind: 'missing' };

export interface ListFilter {
  status?: JobStatus;
  queue?: string;
  host?: string;
  node?: string;
  batch?: string;
  /** jobs made by this schedule (its own index) */
  schedule?: string;
}

/** A batch as its indexes count it: jobs stored, and how many are in each status now. */
export interface BatchCounts {
  total: number;
  createdAt: number;
  counts: Record<JobStatus, number>;
}

export interface JobPage {
  jobs: JobRecord[];
  /** id after which the next page starts, null on the last page */
  nextAfter: string | null;
}

export interface OverdueJob {
  id: string;
  queue: string;
}

/** How many records one list request may examine when a filter is not served by one index alone. */
const LIST_SCAN_BUDGET = 2000;
/** Jobs cancelled per script call: bounds how long Redis is blocked by one call. */
const CANCEL_BATCH = 2000;
/** How often the Redis clock is read again to correct this process's estimate of it (clocks drift and step). */
const CLOCK_SYNC_MS = 30_000;
/** Time a started job may overrun its timeout before the sweeper declares its worker gone. */
const RUN_GRACE_MS = 30_000;

/**
 * The job store: job records and the indexes behind every list and filter. It is the only code
 * that writes job keys; each transition is one Lua script (job-store.scripts.ts), so a record and
 * its indexes never disagree, and a cancel and a worker's start on the same job cannot both win.
 */
@Injectable()
export class JobStore extends PrefixedStore<typeof lua> implements OnModuleInit {
  /** Redis clock minus this process's clock, from a TIME round trip at most CLOCK_SYNC_MS old. */
  private redisClockSkewMs = 0;
  private clockSyncedAt = 0;
  /** Counters and histograms of the transitions made here; JobTallyFlusher adds them to Redis. */
  readonly tally: JobTally;

  constructor(@Inject(REDIS) redis: Redis, connections: RedisConnections) {
    super(redis, connections.keyPrefix, 'netpulseJob', lua);
    this.tally = new JobTally(redis, connections.keyPrefix);
  }

  /** Learns the Redis clock before the first submits (ids and insert deadlines are made from it). */
  onModuleInit(): void {
    this.syncClockIfStale();
  }

  /**
   * Sets the skew from one TIME round trip, the middle of the round trip taken as the moment Redis read its clock
   * (a busy event loop delays the reply: half of that delay is the error, where the reply time alone would be all).
   */
  async syncClock(): Promise<void> {
    const before = Date.now();
    const [sec, micro] = await this.redis.time();
    this.redisClockSkewMs = Number(sec) * 1000 + Math.floor(Number(micro) / 1000) - (before + Date.now()) / 2;
  }

  /** Records a new queued job under a fresh id and returns the id. */
  async create(job: NewJob, secretTtlMs: number): Promise<string> {
    const id = this.newId();
    await this.insert(id, job, secretTtlMs);
    return id;
  }

  /**
   * A fresh job id: the creation millisecond on the Redis clock (estimated from this process's clock and the
   * skew seen by the last insert), then random digits. Made before the job is stored so the submitter can send
   * the record and BullMQ's add in one round trip.
   */
  newId(): string {
    return jobId(this.redisNow());
  }

  /**
   * The Redis clock as this process estimates it: its own clock corrected by the skew, which is read again in the
   * background once it is CLOCK_SYNC_MS old (not awaited: a Redis that is down holds nothing up).
   */
  redisNow(): number {
    this.syncClockIfStale();
    return Date.now() + this.redisClockSkewMs;
  }

  private syncClockIfStale(): void {
    if (Date.now() - this.clockSyncedAt <= CLOCK_SYNC_MS) return;
    this.clockSyncedAt = Date.now();
    this.syncClock().catch(() => (this.clockSyncedAt = 0));
  }

  /**
   * Records a new queued job under `id` (from newId); returns its creation time, ms on the Redis clock.
   * notAfterMs (Redis clock): when Redis runs the insert later than that, it writes nothing and fails.
   */
  async insert(id: string, job: NewJob, secretTtlMs: number, notAfterMs?: number): Promise<number> {
    const secrets = Object.keys(job.secrets).length > 0 ? JSON.stringify(job.secrets) : '';
    let reply: unknown;
    try {
      reply = await this.scripts.CREATE(
        this.prefix, id, job.queue, job.host, job.node ?? '', job.request.kind,
        job.request.timeout, job.queuedTtlMs, secretTtlMs, JSON.stringify(job.request), secrets, notAfterMs ?? '',
        job.pinned ? '1' : '', job.batch ?? '', secretTtlMs,
        job.runAt ?? '', job.request.schedule ?? '',
      );
    } catch (err) {
      const message = (err as Error).message;
      if (/^ERR unpinned/.test(message)) throw new HostUnpinnedError(job.host);
      const locked = /^ERR locked (\d+) (\d+)/.exec(message);
      if (locked) throw new HostLockedError(job.host, Number(locked[1]), Number(locked[2]));
      // Refused as late, yet answered in time: this process's estimate of the Redis clock is off (its clock
      // stepped). Learn it again for the next submit; this one fails (its BullMQ add may already be in).
      if (/too late/.test(message)) await this.syncClock().catch(() => undefined);
      throw err;
    }
    this.tally.count('submitted', job.queue);
    return Number(reply);
  }

  /**
   * A worker takes the job: queued -> started, unless it was cancelled, ended, waited too long, its host is locked, or
   * (maxSessions > 0: a FIFO worker) its host already runs maxSessions FIFO jobs.
   */
  async start(id: string, worker: string, node: string, resultTtlMs: number, maxSessions = 0): Promise<StartOutcome> {
    const reply = (await this.scripts.START(this.prefix, id, worker, node, RUN_GRACE_MS, resultTtlMs, maxSessions)) as string[];
    switch (reply[0]) {
      case 'ok':
        this.tally.observe('wait', (Number(reply[3]) - Number(reply[4])) / 1000);
        return {
          kind: 'ok',
          request: JSON.parse(reply[1]) as JobRequest,
          secrets: reply[2] ? (JSON.parse(reply[2]) as JobSecrets) : {},
          startedAt: Number(reply[3]),
          attempt: Number(reply[5]),
        };
      case 'skip':
        return { kind: 'skip', status: reply[1] };
      case 'expired':
        this.tally.count('failed', reply[1]);
        return { kind: 'expired' };
      case 'locked':
        this.tally.count('failed', reply[1]);
        return { kind: 'locked', until: Number(reply[2]) };
      case 'wait':
        return { kind: 'wait', waiters: Number(reply[1]), host: reply[2] };
      case 'early':
        return { kind: 'early', runAt: Number(reply[1]) };
      default:
        return { kind: 'missing' };
    }
  }

  /** started -> finished|failed with its result. False when the job was not started (or by another worker). */
  async end(id: string, status: 'finished' | 'failed', result: JobResult, resultTtlMs: number, worker = ''): Promise<boolean> {
    return (await this.finish(id, status, result, resultTtlMs, worker)).ended;
  }

  /**
   * end() for the worker that ran the job, with what its run told about logging in to the device, counted in the
   * same step (END): lockedUntil is set when this failure locked the host; woken is a FIFO job that waited for the
   * session this one freed, for the caller to wake.
   */
  async finish(id: string, status: 'finished' | 'failed', result: JobResult, resultTtlMs: number, worker: string, report?: LoginReport): Promise<{ ended: boolean; lockedUntil: number | null; woken: string | null }> {
    const login = report && report.login !== 'none' ? [report.host, report.login, report.limit, report.lockoutMs] : [];
    const reply = (await this.scripts.END(this.prefix, id, status, JSON.stringify(result), resultTtlMs, worker, ...login)) as string[];
    const lockedUntil = reply[4] ? Number(reply[4]) : null;
    if (reply[0] !== 'ok') return { ended: false, lockedUntil, woken: null };
    this.tally.count(status, reply[3]);
    this.tally.observe('run', (Number(reply[1]) - Number(reply[2])) / 1000);
    return { ended: true, lockedUntil, woken: reply[5] || null };
  }

  /**
   * Another attempt for a started job whose connection failed before any command reached the device (options.retry):
   * it is scheduled again in delayMs, secrets kept. False when the job is no longer this worker's. woken: as finish().
   */
  async retry(id: string, worker: string, delayMs: number): Promise<{ retried: boolean; woken: string | null }> {
    const reply = (await this.scripts.RETRY(this.prefix, id, worker, Math.max(0, Math.round(delayMs)))) as string[];
    return { retried: reply[0] === 'ok', woken: reply[0] === 'ok' && reply[1] ? reply[1] : null };
  }

  /** Scheduled jobs whose run time has come become queued (the sweeper's step); returns how many. */
  async promoteDue(batch = 500): Promise<number> {
    return Number(await this.scripts.PROMOTE_DUE(this.prefix, batch));
  }

  /**
   * A FIFO job sent back by START ('wait'), now in BullMQ's delayed set, joins its host's waiters (AWAIT_SESSION):
   * 'now' when a session freed meanwhile and the caller must wake it itself.
   */
  async awaitSession(host: string, id: string, maxSessions: number): Promise<'parked' | 'now' | 'gone'> {
    return (await this.scripts.AWAIT_SESSION(this.prefix, host, id, maxSessions)) as 'parked' | 'now' | 'gone';
  }

  /** Tallies jobs another store's script ended failed (a node's new life ending its previous life's jobs). */
  countFailed(jobs: { queue: string; startedAt: number }[], endedAt: number): void {
    for (const j of jobs) {
      this.tally.count('failed', j.queue);
      if (j.startedAt) this.tally.observe('run', (endedAt - j.startedAt) / 1000);
    }
  }

  /** Cancels the given jobs if still queued; returns each id's outcome ('cancelled', its status, or 'missing'). */
  async cancelIds(ids: string[], resultTtlMs: number): Promise<string[]> {
    if (ids.length === 0) return [];
    const flat = (await this.scripts.CANCEL_IDS(this.prefix, resultTtlMs, ...ids)) as string[];
    const outcomes: string[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      outcomes.push(flat[i]);
      if (flat[i] === 'cancelled') this.tally.count('cancelled', flat[i + 1]);
    }
    return outcomes;
  }

  /**
   * Cancels every queued (and scheduled) job of a batch or of a queue (either optionally only those for one host), or
   * of a host; returns their ids.
   */
  async cancelQueued(by: { batch?: string; queue?: string; host?: string }, resultTtlMs: number): Promise<string[]> {
    const cancelled: string[] = [];
    for (const status of ['queued', 'scheduled'] as const) cancelled.push(...(await this.cancelFromIndex(by, status, resultTtlMs)));
    return cancelled;
  }

  private async cancelFromIndex(by: { batch?: string; queue?: string; host?: string }, status: 'queued' | 'scheduled', resultTtlMs: number): Promise<string[]> {
    const index = by.batch ? this.key('ix', 'bs', status, by.batch)
      : by.queue ? this.key('ix', 'qs', status, by.queue) : this.key('ix', 'hs', status, by.host ?? '');
    const hostFilter = (by.batch || by.queue) && by.host ? by.host : '';
    const cancelled: string[] = [];
    let after = '';
    do {
      const reply = (await this.scripts.CANCEL_FROM_INDEX(this.prefix, resultTtlMs, index, hostFilter, CANCEL_BATCH, after)) as string[];
      after = reply[0];
      for (let i = 1; i < reply.length; i += 2) {
        cancelled.push(reply[i]);
        this.tally.count('cancelled', reply[i + 1]);
      }
    } while (after !== '');
    return cancelled;
  }

  async get(id: string): Promise<JobRecord | null> {
    const [meta, doc] = await Promise.all([
      this.redis.hmget(this.key('job', id), 'st', 'q', 'h', 'n', 'w', 'c', 'e', 's', 'd', 'at', 'ra'),
      this.redis.get(this.key('doc', id)),
    ]);
    return meta[0] === null ? null : toRecord([id, ...meta.slice(0, 9), doc, ...meta.slice(9)]);
  }

  /**
   * One page, newest first. Served from the narrowest index; leftover filters are checked in Redis, bounded.
   * withDocument false: the records alone (request and result null), for pages of states.
   */
  list(filter: ListFilter, limit: number, after: string | null, withDocument = true): Promise<JobPage> {
    const { index, rest } = this.chooseIndex(filter);
    return this.runList(index, after ?? '', limit, rest, withDocument);
  }

  /** Deletes ended jobs past retention. Returns {id, queue, status} of what it deleted. */
  async sweepExpired(batch = 500): Promise<{ id: string; queue: string; status: string }[]> {
    const flat = (await this.scripts.SWEEP_EXPIRED(this.prefix, batch)) as string[];
    const out = [];
    for (let i = 0; i < flat.length; i += 3) out.push({ id: flat[i], queue: flat[i + 1], status: flat[i + 2] });
    return out;
  }

  /** Fails queued jobs past their queue TTL, or started jobs whose worker never reported back. */
  async sweepOverdue(which: 'queued' | 'running', resultTtlMs: number, batch = 500): Promise<OverdueJob[]> {
    const flat = (await this.scripts.SWEEP_OVERDUE(this.prefix, batch, which, resultTtlMs)) as string[];
    const now = Number(flat[0]);
    const out = [];
    for (let i = 1; i < flat.length; i += 3) {
      out.push({ id: flat[i], queue: flat[i + 1] });
      this.tally.count('failed', flat[i + 1]);
      if (flat[i + 2]) this.tally.observe('run', (now - Number(flat[i + 2])) / 1000);
    }
    return out;
  }

  /** Cluster-wide job counters, `{event}:{fifo|pinned}` -> count, as flushed by every process's tally. */
  async counters(): Promise<Record<string, number>> {
    const raw = await this.redis.hgetall(this.key('stats'));
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)]));
  }

  /** A cluster-wide job histogram (flushed by every process's tally): bucket index -> count (not cumulative), and sum. */
  async histogram(name: 'wait' | 'run'): Promise<Record<string, number>> {
    const raw = await this.redis.hgetall(this.key('hist', name));
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)]));
  }

  /** Per queue: how many jobs are queued, started and failed (failed: still retained), from the indexes. */
  async queueCounts(): Promise<Record<string, { queued: number; started: number; failed: number }>> {
    const queues = await this.redis.smembers(this.key('queues'));
    const pipeline = this.redis.pipeline();
    for (const q of queues) for (const st of ['queued', 'started', 'failed']) pipeline.zcard(this.key('ix', 'qs', st, q));
    const rows = (await pipeline.exec()) ?? [];
    const n = (i: number) => Number(rows[i]?.[1] ?? 0);
    return Object.fromEntries(queues.map((q, i) => [q, { queued: n(i * 3), started: n(i * 3 + 1), failed: n(i * 3 + 2) }]));
  }

  /** A batch's counts, read in one MULTI so that a job moving between two statuses is counted once; null: unknown or expired. */
  async batchCounts(id: string): Promise<BatchCounts | null> {
    const multi = this.redis.multi().hmget(this.key('batch', id), 'total', 'c');
    for (const status of JOB_STATUSES) multi.zcard(this.key('ix', 'bs', status, id));
    const rows = (await multi.exec()) ?? [];
    const [total, createdAt] = rows[0]?.[1] as (string | null)[];
    if (total === null) return null;
    const counts = Object.fromEntries(JOB_STATUSES.map((status, i) => [status, Number(rows[i + 1]?.[1] ?? 0)])) as Record<JobStatus, number>;
    return { total: Number(total), createdAt: Number(createdAt), counts };
  }

  /** Number of queued jobs for a device host, whatever their queue. */
  countQueuedForHost(host: string): Promise<number> {
    return this.redis.zcard(this.key('ix', 'hs', 'queued', host));
  }



  private chooseIndex(f: ListFilter): { index: string; rest: ListFilter } {
    if (f.batch && f.status) return { index: this.key('ix', 'bs', f.status, f.batch), rest: { queue: f.queue, host: f.host, node: f.node } };
    if (f.batch) return { index: this.key('ix', 'b', f.batch), rest: { queue: f.queue, host: f.host, node: f.node } };
    if (f.schedule) return { index: this.key('ix', 'sc', f.schedule), rest: { status: f.status, queue: f.queue, host: f.host, node: f.node } };
    if (f.status && f.queue) return { index: this.key('ix', 'qs', f.status, f.queue), rest: { host: f.host, node: f.node } };
    if (f.status && f.host) return { index: this.key('ix', 'hs', f.status, f.host), rest: { node: f.node } };
    if (f.status && f.node) return { index: this.key('ix', 'ns', f.status, f.node), rest: {} };
    if (f.queue) return { index: this.key('ix', 'q', f.queue), rest: { status: f.status, host: f.host, node: f.node } };
    if (f.host) return { index: this.key('ix', 'h', f.host), rest: { status: f.status, node: f.node } };
    if (f.node) return { index: this.key('ix', 'n', f.node), rest: { status: f.status } };
    if (f.status) return { index: this.key('ix', 's', f.status), rest: {} };
    return { index: this.key('ix', 'all'), rest: {} };
  }

  private async runList(index: string, after: string, limit: number, rest: ListFilter, withDocument: boolean): Promise<JobPage> {
    const reply = (await this.scripts.LIST(
      this.prefix, index, after, limit, LIST_SCAN_BUDGET,
      rest.status ?? '', rest.queue ?? '', rest.host ?? '', rest.node ?? '', withDocument ? '1' : '0',
    )) as [string, RawRow[]];
    return { jobs: reply[1].map(toRecord), nextAfter: reply[0] || null };
  }
}

/** {id, st, q, h, n, w, c, e, s, d, doc, at, ra}; Redis nil arrives as null */
type RawRow = (string | null)[];

function toRecord(row: RawRow): JobRecord {
  const ms = (v: string | null) => (v ? Number(v) : null);
  const { request, resultJson } = splitDoc(row[10]);
  let result: JobResult | null | undefined;
  return {
    id: row[0] as string,
    status: row[1] as JobStatus,
    queue: row[2] ?? '',
    host: row[3] ?? '',
    node: row[4] || null,
    worker: row[5] || null,
    created_at: Number(row[6]),
    enqueued_at: ms(row[7]),
    started_at: ms(row[8]),
    ended_at: ms(row[9]),
    request,
    resultJson,
    attempts: Number(row[11] ?? 0),
    run_at: ms(row[12] ?? null),
    // Parsed on first read only: list pages splice resultJson into the response instead.
    get result(): JobResult | null {
      return (result ??= resultJson === null ? null : (JSON.parse(resultJson) as JobResult));
    },
  };
}

/** The job's document: request JSON, then (once ended) a newline and the result JSON, kept as text. */
function splitDoc(doc: string | null): { request: JobRequest | null; resultJson: string | null } {
  if (!doc) return { request: null, resultJson: null };
  const cut = doc.indexOf('\n');
  return {
    request: JSON.parse(cut < 0 ? doc : doc.slice(0, cut)) as JobRequest,
    resultJson: cut < 0 ? null : doc.slice(cut + 1),
  };
}
