/**
 * bench/memory: Redis bytes per finished job, our store's keys and indexes included, beside the original's
 * RQ layout (emulated) and BullMQ keeping the jobs itself (real), all measured in the same run.
 *
 *   npm run bench:memory [-- --jobs=20000 --rounds=3 --no-bullmq]
 */
import Redis from 'ioredis';
import { JobStore } from '../src/jobs/job-store';
import { RedisConnections } from '../src/redis/redis-connections';
import { runBullJobs } from './lib/bullmq-layout';
import { fill, planJob, SUCCESS } from './lib/fixtures';
import { bullFamily, Family, rqFamily, storeFamily, usageByFamily } from './lib/key-usage';
import { Layout, LayoutRound, report } from './lib/memory-report';
import { productionLengthPrefix, REDIS_URL, removePrefix, runWithCleanup, usedMemory } from './lib/redis-keys';
import { writeRqJobs } from './lib/rq-layout';
import { arg, args } from './lib/args';

const N = Number(arg('jobs', '20000'));
const ROUNDS = Number(arg('rounds', '3'));
const WITH_BULLMQ = args['no-bullmq'] === undefined;

const redis = new Redis(REDIS_URL);
/** prefixes created by this run, removed at the end whatever happens */
const prefixes: string[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Stores N finished jobs under a fresh prefix with `write` (on a connection of its own, closed before the
 * second reading so its buffers are not counted) and measures them.
 */
async function measure(name: string, family: (rest: string) => string, write: (prefix: string, conn: Redis) => Promise<void>): Promise<LayoutRound> {
  const prefix = await productionLengthPrefix(redis);
  prefixes.push(prefix);
  console.log(`  ${name} under ${prefix}:`);
  await sleep(300);
  const before = await usedMemory(redis);
  const conn = new Redis(REDIS_URL, { enableAutoPipelining: true });
  await write(prefix, conn);
  await conn.quit();
  await sleep(1000);
  const after = await usedMemory(redis);
  const families: Map<string, Family> = await usageByFamily(redis, prefix, family);
  await removePrefix(redis, prefix);
  return { infoDelta: after - before, families };
}

const finished = () => Array.from({ length: N }, () => planJob('finished'));

const LAYOUTS: { layout: Layout; run: () => Promise<LayoutRound> }[] = [
  {
    layout: { name: 'ours (job store: record, request, result, 8 indexes, expiry schedule)', short: 'ours' },
    run: () => measure('ours', storeFamily, (prefix, conn) =>
      fill(new JobStore(conn, { keyPrefix: prefix } as RedisConnections), N, () => 'finished')),
  },
  {
    layout: { name: "original's RQ layout (emulated: rq:job hash + rq:finished registry, EXPIRE)", short: 'RQ' },
    run: () => measure('rq', rqFamily, async (prefix, conn) => {
      const jobs = finished();
      for (let i = 0; i < jobs.length; i += 2000) await writeRqJobs(conn, prefix, jobs.slice(i, i + 2000));
    }),
  },
  ...(WITH_BULLMQ ? [{
    layout: { name: 'BullMQ keeping the jobs (real queue + worker, defaults, request as data, result as return value)', short: 'BullMQ' },
    run: () => measure('bull', bullFamily, (prefix) => runBullJobs(REDIS_URL, prefix, finished(), SUCCESS)),
  }] : []),
];

async function main(): Promise<void> {
  console.log(`${N} finished jobs per layout, ${ROUNDS} rounds`);
  // Loads the store's scripts into Redis (their memory is not a job's) before anything is measured.
  await measure('warmup', storeFamily, (prefix, conn) => fill(new JobStore(conn, { keyPrefix: prefix } as RedisConnections), 10, () => 'finished'));
  const rounds = new Map<string, LayoutRound[]>(LAYOUTS.map((l) => [l.layout.short, []]));
  for (let r = 1; r <= ROUNDS; r++) {
    for (const l of LAYOUTS) {
      const res = await l.run();
      rounds.get(l.layout.short)!.push(res);
      console.log(`round ${r} ${l.layout.short}: ${Math.round(res.infoDelta / N)} B/job (INFO delta)`);
    }
  }
  const where = await report(redis, N, ROUNDS, LAYOUTS.map((l) => ({ layout: l.layout, rounds: rounds.get(l.layout.short)! })));
  console.log(`\nwritten to ${where}`);
}

async function cleanup(): Promise<void> {
  for (const p of prefixes) await removePrefix(redis, p);
  redis.disconnect();
}

runWithCleanup(main, cleanup);
