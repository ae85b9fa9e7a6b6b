/**
 * bench/job-list: GET /job pages of 50 at 10k, 100k and 1M stored jobs, at the data layer (JobStore.list)
 * and over HTTP (the real API process), beside the original's pattern (every job key scanned and fetched,
 * filtered in the process) measured in the same run at the sizes where it is affordable.
 *
 *   npm run bench:job-list [-- --sizes=10000,100000,1000000 --rounds=3 --samples=1000 --http-samples=1000 --http-sizes=10000,1000000 --baseline-max=100000]
 */
import Redis from 'ioredis';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { JobStore } from '../src/jobs/job-store';
import { RedisConnections } from '../src/redis/redis-connections';
import { fill, mixedFate } from './lib/fixtures';
import { buildApiAt, RunningApi, startApi } from './lib/http-api';
import { makeSamples, QUERY_TYPES, QueryType, Sample, timeHttp, timeOriginal, timeParts, timeStore, Timing } from './lib/list-queries';
import { machineLines } from './lib/machine';
import { benchPrefix, REDIS_URL, removePrefix, runWithCleanup, usedMemory } from './lib/redis-keys';
import { writeRqJobs } from './lib/rq-layout';
import { median } from './lib/stats';
import { report, SizeResult } from './lib/job-list-report';
import { arg } from './lib/args';

const SIZES = arg('sizes', '10000,100000,1000000').split(',').map(Number);
const ROUNDS = Number(arg('rounds', '3'));
const SAMPLES = Number(arg('samples', '1000'));
const HTTP_SAMPLES = Number(arg('http-samples', '1000'));
/** samples per query type and round for the where-the-time-goes diagnostic */
const PARTS_SAMPLES = Math.min(SAMPLES, 300);
/** HTTP at the two ends of the growth (the issue asks for 1M) */
const HTTP_SIZES = arg('http-sizes', '10000,1000000').split(',').map(Number);
const BASELINE_MAX = Number(arg('baseline-max', '100000'));
/** The API for the HTTP figures: --api=path/to/main.js, or --api-rev=<git revision> (compiled from it);
 *  default: the working tree's, compiled with the benchmarks. */
const API_MAIN = arg('api', '') || undefined;
const API_REV = arg('api-rev', '') || undefined;

const prefix = benchPrefix('joblist');
/** The measured store uses a plain connection, as src/jobs/job-store.spec.ts does. */
const redis = new Redis(REDIS_URL);
/** The fill uses its own auto-pipelined connection (batches of calls go out in one write). */
const fillRedis = new Redis(REDIS_URL, { enableAutoPipelining: true });
const store = new JobStore(redis, { keyPrefix: prefix } as RedisConnections);
const fillStore = new JobStore(fillRedis, { keyPrefix: prefix } as RedisConnections);
let api: RunningApi | null = null;
let startMemory = 0;
const STARTED = Date.now();
/** Progress on stdout, with the time since the start. */
const log = (msg: string) => {
  const s = Math.round((Date.now() - STARTED) / 1000);
  console.log(`[${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}] ${msg}`);
};

function memAvailableBytes(): number {
  const m = /^MemAvailable:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'));
  return m ? Number(m[1]) * 1024 : Infinity;
}

type Figures = SizeResult['data'];

/** Rounds of every query type; per part, the median over rounds of each round's p50 and p99. */
async function measure(samples: Map<string, Sample[]>, run: (q: QueryType, s: Sample[]) => Promise<Timing[]>): Promise<Figures[]> {
  const rounds = new Map<string, Timing[][]>(QUERY_TYPES.map((q) => [q.name, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const q of QUERY_TYPES) rounds.get(q.name)!.push(await run(q, samples.get(q.name)!));
  }
  const parts = rounds.get(QUERY_TYPES[0].name)![0].length;
  return Array.from({ length: parts }, (_, i) => new Map([...rounds].map(([name, rs]) => {
    const ts = rs.map((t) => t[i]);
    return [name, { p50: median(ts.map((t) => t.p50)), p99: median(ts.map((t) => t.p99)), short: median(ts.map((t) => t.short)), p50s: ts.map((t) => t.p50) }];
  })));
}

/** The original's pattern, once per round and query type; checks it sees the same finished jobs as the store. */
async function measureOriginal(): Promise<Map<string, number[]>> {
  const original = new Map<string, number[]>();
  log(`  original pattern: ${ROUNDS} rounds x ${QUERY_TYPES.filter((q) => q.target).length} query types`);
  for (let r = 0; r < ROUNDS; r++) {
    for (const q of QUERY_TYPES.filter((t) => t.target)) {
      const { ms, matched } = await timeOriginal(redis, prefix, q);
      if (q.name === 'status=finished' && matched !== (await redis.zcard(`${prefix}:ix:s:finished`))) {
        throw new Error('the original layout does not hold the same finished jobs as the store');
      }
      original.set(q.name, [...(original.get(q.name) ?? []), ms]);
    }
  }
  return original;
}

async function measureHttp(samples: Map<string, Sample[]>): Promise<Figures> {
  const httpSamples = new Map([...samples].map(([k, v]) => [k, v.slice(0, HTTP_SAMPLES)]));
  await timeHttp(api!.base, httpSamples.get(QUERY_TYPES[0].name)!.slice(0, 50)); // warm-up
  log(`  HTTP: ${ROUNDS} rounds x ${QUERY_TYPES.length} query types x ${HTTP_SAMPLES} samples`);
  return (await measure(httpSamples, async (_, s) => [await timeHttp(api!.base, s)]))[0];
}

async function measureSize(size: number, added: number, fillMs: number, baseline: boolean): Promise<SizeResult> {
  const samples = new Map<string, Sample[]>();
  for (const q of QUERY_TYPES) samples.set(q.name, await makeSamples(store, redis, prefix, q, SAMPLES));
  await timeStore(store, samples.get(QUERY_TYPES[0].name)!.slice(0, 100)); // warm-up
  log(`  data layer: ${ROUNDS} rounds x ${QUERY_TYPES.length} query types x ${SAMPLES} samples`);
  const load = [loadavg()[0]];
  const [data] = await measure(samples, async (_, s) => [await timeStore(store, s)]);
  load.push(loadavg()[0]);
  log('  where the time goes: LIST inside Redis, LIST round trip, PING');
  const [server, raw, ping] = await measure(samples, async (q, s) => {
    const p = await timeParts(redis, prefix, q, s.slice(0, PARTS_SAMPLES));
    return [p.server, p.raw, p.ping];
  });
  const original = baseline ? await measureOriginal() : new Map<string, number[]>();
  const http = api && HTTP_SAMPLES > 0 && HTTP_SIZES.includes(size) ? await measureHttp(samples) : null;
  const grown = baseline ? null : (await usedMemory(redis)) - startMemory;
  return { size, fillMs, added, usedMemory: grown, load, data, parts: { server, raw, ping }, original, http };
}

async function main(): Promise<void> {
  const maxmemory = Number(/^maxmemory:(\d+)/m.exec(await redis.info('memory'))?.[1] ?? 0);
  log(`prefix ${prefix}; sizes ${SIZES.join(', ')}; Redis maxmemory ${maxmemory || 'none'}`);
  const machine = await machineLines(redis); // at the start: src may change while this runs; what runs was compiled now
  const notes: string[] = [];
  if (HTTP_SAMPLES > 0) {
    try {
      api = await startApi(REDIS_URL, prefix, API_REV ? buildApiAt(API_REV) : API_MAIN);
      log(`API pid ${api.pid} at ${api.base}`);
    } catch (err) {
      notes.push(`HTTP not measured: the API did not start (${(err as Error).message})`);
      console.error(notes[notes.length - 1]);
    }
  }
  startMemory = await usedMemory(redis);
  const results: SizeResult[] = [];
  let stored = 0;
  for (const size of SIZES) {
    const rq = size <= BASELINE_MAX;
    if (!rq && stored > 0 && stored <= BASELINE_MAX) await removePrefix(redis, `${prefix}:rq`);
    const perJob = stored > 0 ? ((await usedMemory(redis)) - startMemory) / stored : 6000;
    const need = perJob * (size - stored) * 1.2;
    const room = Math.min(memAvailableBytes(), maxmemory > 0 ? maxmemory - (await usedMemory(redis)) : Infinity) - 2 * 2 ** 30;
    if (need > room) {
      notes.push(`${size} jobs skipped: they need about ${(need / 2 ** 30).toFixed(1)} GB more, ${(room / 2 ** 30).toFixed(1)} GB is free`);
      console.log(notes[notes.length - 1]);
      break;
    }
    log(`filling ${stored} -> ${size}${rq ? ' (and the original layout of the same jobs)' : ''}...`);
    const t0 = Date.now();
    let rqMs = 0;
    const writeRq = async (jobs: Parameters<typeof writeRqJobs>[2]) => {
      const t = Date.now();
      await writeRqJobs(fillRedis, prefix, jobs);
      rqMs += Date.now() - t;
    };
    await fill(fillStore, size - stored, () => mixedFate(), rq ? writeRq : undefined);
    const fillMs = Date.now() - t0 - rqMs;
    log(`  ${size} jobs stored in ${(fillMs / 1000).toFixed(1)} s`);
    results.push(await measureSize(size, size - stored, fillMs, rq));
    stored = size;
  }
  const where = report(machine, results, { rounds: ROUNDS, samples: SAMPLES, httpSamples: HTTP_SAMPLES, httpSizes: HTTP_SIZES, partsSamples: PARTS_SAMPLES, baselineMax: BASELINE_MAX, apiMain: api?.main ?? null, apiRev: API_REV ?? null }, notes);
  console.log(`\nwritten to ${where}`);
}

async function cleanup(): Promise<void> {
  if (api) await api.stop();
  log(`removing ${prefix}:* ...`);
  const n = await removePrefix(redis, prefix);
  log(`removed ${n} keys`);
  redis.disconnect();
  fillRedis.disconnect();
}

runWithCleanup(main, cleanup);
