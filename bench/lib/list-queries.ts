import type Redis from 'ioredis';
import { encodeCursor } from '../../src/jobs/job-id';
import { JobRecord } from '../../src/jobs/job.model';
import { JobStore, ListFilter } from '../../src/jobs/job-store';
import { LIST } from '../../src/jobs/job-store.scripts';
import { FIFO_QUEUE, HOSTS, pinnedQueue } from './fixtures';
import { BENCH_API_KEY } from './http-api';
import { originalList } from './rq-layout';
import { percentile, shuffle, timeMs } from './stats';

export const PAGE = 50;

/** One kind of GET /job request: how to draw its filter, and the index the store serves it from. */
export interface QueryType {
  name: string;
  /** one of the four (targets apply); the others are extra evidence */
  target: boolean;
  pick(): ListFilter;
  /** index key (after the prefix) the store serves this filter from (its chooseIndex) */
  index(f: ListFilter): string;
  /** filters left for the script to check per record, when one index does not serve them all */
  rest?(f: ListFilter): ListFilter;
}

const anyHost = () => HOSTS[Math.floor(Math.random() * HOSTS.length)];

export const QUERY_TYPES: QueryType[] = [
  { name: 'status=finished', target: true, pick: () => ({ status: 'finished' }), index: () => 'ix:s:finished' },
  {
    name: 'queue+status (FifoQ or pinned_{host}, finished)', target: true,
    pick: () => ({ queue: Math.random() < 0.5 ? FIFO_QUEUE : pinnedQueue(anyHost()), status: 'finished' }),
    index: (f) => `ix:qs:finished:${f.queue}`,
  },
  { name: 'host', target: true, pick: () => ({ host: anyHost() }), index: (f) => `ix:h:${f.host}` },
  { name: 'unfiltered', target: true, pick: () => ({}), index: () => 'ix:all' },
  {
    name: 'queue=FifoQ+host (leftover filter, extra)', target: false,
    pick: () => ({ queue: FIFO_QUEUE, host: anyHost() }), index: () => `ix:q:${FIFO_QUEUE}`, rest: (f) => ({ host: f.host }),
  },
];

export interface Sample {
  filter: ListFilter;
  after: string | null;
}

/**
 * Half first pages, half pages reached through a cursor at a random depth: the cursor is the next_cursor
 * of a page that starts at a random member of the filter's index (found untimed, before measuring).
 */
export async function makeSamples(store: JobStore, redis: Redis, prefix: string, q: QueryType, n: number): Promise<Sample[]> {
  const pool: Sample[] = [];
  for (let i = 0; i < Math.min(200, n); i++) {
    const filter = q.pick();
    const idx = `${prefix}:${q.index(filter)}`;
    const card = await redis.zcard(idx);
    if (card === 0) continue;
    const rank = Math.floor(Math.random() * card);
    const [start] = await redis.zrevrange(idx, rank, rank);
    const page = await store.list(filter, PAGE, start);
    pool.push({ filter, after: page.nextAfter ?? start });
  }
  const firsts = Array.from({ length: Math.ceil(n / 2) }, () => ({ filter: q.pick(), after: null }));
  const deep = Array.from({ length: Math.floor(n / 2) }, () => pool[Math.floor(Math.random() * pool.length)]).filter(Boolean);
  return shuffle([...firsts, ...deep]);
}

const matches = (j: JobRecord, f: ListFilter) =>
  (!f.status || j.status === f.status) && (!f.queue || j.queue === f.queue) && (!f.host || j.host === f.host);

export interface Timing {
  p50: number;
  p99: number;
  /** pages shorter than PAGE: the end of an index, or a leftover filter's scan budget spent */
  short: number;
}

/** Times store.list for every sample, one at a time; checks each page afterwards (untimed). */
export async function timeStore(store: JobStore, samples: Sample[]): Promise<Timing> {
  const times: number[] = [];
  let short = 0;
  for (const s of samples) {
    let jobs: JobRecord[] = [];
    times.push(await timeMs(async () => { jobs = (await store.list(s.filter, PAGE, s.after)).jobs; }));
    if (jobs.length < PAGE) short++;
    if (!jobs.every((j) => matches(j, s.filter))) throw new Error(`a page has jobs outside its filter ${JSON.stringify(s.filter)}`);
  }
  return { p50: percentile(times, 50), p99: percentile(times, 99), short };
}

export function jobUrl(base: string, s: Sample): string {
  const params = new URLSearchParams({ limit: String(PAGE) });
  for (const [k, v] of Object.entries(s.filter)) if (v) params.set(k, String(v));
  if (s.after) params.set('cursor', encodeCursor(s.after));
  return `${base}/job?${params.toString()}`;
}

/** Times GET /job (to the last body byte) for every sample, one request at a time; checks every 20th body. */
export async function timeHttp(base: string, samples: Sample[]): Promise<Timing> {
  const times: number[] = [];
  let short = 0;
  for (const [i, s] of samples.entries()) {
    let status = 0;
    let body: ArrayBuffer = new ArrayBuffer(0);
    times.push(await timeMs(async () => {
      const res = await fetch(jobUrl(base, s), { headers: { 'X-API-KEY': BENCH_API_KEY } });
      status = res.status;
      body = await res.arrayBuffer();
    }));
    if (status !== 200) throw new Error(`GET ${jobUrl(base, s)} answered ${status}: ${Buffer.from(body).toString().slice(0, 200)}`);
    if (i % 20 === 0) {
      const data = (JSON.parse(Buffer.from(body).toString()) as { data: JobRecord[] }).data;
      if (data.length < PAGE) short++;
    }
  }
  return { p50: percentile(times, 50), p99: percentile(times, 99), short };
}

/** Times the original's list (every key scanned and fetched) once, for a filter drawn from the query type. */
export async function timeOriginal(redis: Redis, prefix: string, q: QueryType): Promise<{ ms: number; matched: number }> {
  const f = q.pick();
  let matched = 0;
  const t = await timeMs(async () => { matched = (await originalList(redis, prefix, f, PAGE)).matched; });
  return { ms: t, matched };
}

/** The store's LIST_SCAN_BUDGET (private in job-store.ts): records one page may examine. */
const SCAN_BUDGET = 2000;

/** The store's LIST script, unchanged, inside a wrapper that returns only its execution time (Redis clock, µs). */
const TIMED_LIST = `local function list_page()
${LIST}
end
local t0 = redis.call('TIME')
local page = list_page()
local t1 = redis.call('TIME')
return { (tonumber(t1[1]) - tonumber(t0[1])) * 1000000 + tonumber(t1[2]) - tonumber(t0[2]), #page[2] }`;

const listArgs = (prefix: string, q: QueryType, s: Sample): (string | number)[] => {
  const rest = q.rest?.(s.filter) ?? {};
  return [prefix, `${prefix}:${q.index(s.filter)}`, s.after ?? '', PAGE, SCAN_BUDGET, rest.status ?? '', rest.queue ?? '', rest.host ?? '', rest.node ?? ''];
};

/**
 * Where a page's time goes: the LIST script's execution inside Redis (TIMED_LIST), the same script's round
 * trip with its reply as ioredis returns it (no JSON parse, no records built), and a PING round trip.
 */
export async function timeParts(redis: Redis, prefix: string, q: QueryType, samples: Sample[]): Promise<{ server: Timing; raw: Timing; ping: Timing }> {
  const [timedSha, listSha] = await Promise.all([redis.script('LOAD', TIMED_LIST), redis.script('LOAD', LIST)]) as string[];
  const server: number[] = [];
  const raw: number[] = [];
  const ping: number[] = [];
  for (const s of samples) {
    const [us] = (await redis.evalsha(timedSha, 0, ...listArgs(prefix, q, s))) as number[];
    server.push(us / 1000);
    raw.push(await timeMs(() => redis.evalsha(listSha, 0, ...listArgs(prefix, q, s))));
    ping.push(await timeMs(() => redis.ping()));
  }
  const t = (xs: number[]): Timing => ({ p50: percentile(xs, 50), p99: percentile(xs, 99), short: 0 });
  return { server: t(server), raw: t(raw), ping: t(ping) };
}
