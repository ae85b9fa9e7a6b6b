import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { JobResult } from '../../src/jobs/job.model';
import { DAY_MS, PlannedJob, SUCCESS } from './fixtures';

/**
 * The original service's Redis layout (RQ), emulated for the side-by-side baselines: each job is a hash
 * `rq:job:{uuid}` holding its times, status, queue (origin), description, the request (data) and the
 * result, plus RQ's registries (`rq:queue:{q}` list of queued ids, `rq:wip:{q}`, `rq:finished:{q}`,
 * `rq:failed:{q}` sorted sets). Simplification, stated in RESULTS.md: `data` is the request JSON as is
 * (RQ stores it pickled and zlib-compressed) and the result sits in the hash.
 */
const iso = (ms: number): string => `${new Date(ms).toISOString().slice(0, 23)}${String(ms % 1000).padStart(3, '0')}Z`;

const FAILED_RESULT: JobResult = {
  type: 'failed', retval: null,
  error: { type: 'CommandError', message: "% Invalid input detected at '^' marker. (show spanning-tree interface)" },
};

/** Writes the jobs as RQ would have stored them (pipelined); `now` stands in for their times. */
export async function writeRqJobs(redis: Redis, prefix: string, jobs: PlannedJob[]): Promise<void> {
  const key = (...parts: string[]) => [prefix, 'rq', ...parts].join(':');
  const pipe = redis.pipeline();
  const now = Date.now();
  for (const j of jobs) {
    const id = randomUUID();
    const q = j.job.queue;
    const fields: Record<string, string> = {
      created_at: iso(now), enqueued_at: iso(now), status: j.fate, origin: q,
      description: `app.worker.execute(driver='netmiko', host='${j.job.host}', commands=7)`,
      timeout: '300', result_ttl: String(DAY_MS / 1000), data: JSON.stringify(j.job.request),
    };
    if (j.fate !== 'queued') Object.assign(fields, { started_at: iso(now + 5), worker_name: j.worker, last_heartbeat: iso(now + 5) });
    if (j.fate === 'finished' || j.fate === 'failed') {
      Object.assign(fields, { ended_at: iso(now + 900), result: JSON.stringify(j.fate === 'finished' ? SUCCESS : FAILED_RESULT) });
    }
    pipe.hset(key('job', id), fields);
    if (j.fate === 'queued') pipe.rpush(key('queue', q), id);
    else if (j.fate === 'started') pipe.zadd(key('wip', q), now + 330_000, id);
    else {
      pipe.zadd(key(j.fate, q), now + DAY_MS, id);
      pipe.pexpire(key('job', id), DAY_MS);
    }
  }
  await pipe.exec();
}

export interface RqFilter {
  status?: string;
  queue?: string;
  host?: string;
}

/**
 * The original's list: every job key (SCAN), every job fetched (HGETALL, pipelined per SCAN batch),
 * filtered and sorted in the process, first `limit` kept. Returns the page and how many matched.
 */
export async function originalList(redis: Redis, prefix: string, f: RqFilter, limit: number): Promise<{ page: Record<string, string>[]; matched: number }> {
  const matched: Record<string, string>[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:rq:job:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length === 0) continue;
    const pipe = redis.pipeline();
    for (const k of keys) pipe.hgetall(k);
    for (const [err, job] of (await pipe.exec()) ?? []) {
      if (err) throw err;
      const h = job as Record<string, string>;
      if (f.status && h.status !== f.status) continue;
      if (f.queue && h.origin !== f.queue) continue;
      if (f.host && (JSON.parse(h.data) as { host: string }).host !== f.host) continue;
      matched.push(h);
    }
  } while (cursor !== '0');
  matched.sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0));
  return { page: matched.slice(0, limit), matched: matched.length };
}
