/**
 * A child process of the throughput and latency benchmarks, driven by its parent over IPC.
 *
 *   node pipeline-child.js worker     a worker node (WorkerModule) with the no-op driver registered
 *   node pipeline-child.js submitter  an API-side context (ApiModule, no HTTP) that submits through JobSubmitter
 *   node pipeline-child.js both       both contexts in one process
 *   node pipeline-child.js bull-worker / bull-submitter   BullMQ alone, no Nest and no job store (the baseline):
 *       one BullMQ Worker at concurrency FIFO_CONCURRENCY (the FIFO pool's shape) with the worker node's settings and
 *       a no-op processor (BULL_PER_SLOT=1: FIFO_CONCURRENCY Workers at concurrency 1, the pool's shape until session 4);
 *       Queue.add with the submitter's options (our id, removeOnComplete/removeOnFail)
 *
 * Configuration comes from the environment (NETPULSE_KEY_PREFIX, FIFO_CONCURRENCY, ...), read by the app's
 * own config module. Messages: child -> {type:'ready'}; parent -> {type:'throughput', jobs, inflight} |
 * {type:'latency', samples} | {type:'stop'}; child -> the result of each.
 */
import 'reflect-metadata';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue, Worker } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Redis, { RedisOptions } from 'ioredis';
import { RedisConnections } from '../../src/redis/redis-connections';
import { ApiModule } from '../../src/api.module';
import { JobSubmitter } from '../../src/devices/job-submitter';
import { DriverRegistry } from '../../src/node/driver-registry';
import { WorkerPool } from '../../src/node/worker-pool';
import { WorkerModule } from '../../src/worker.module';
import { NOOP_DRIVER, noopDriver, noopSpec } from './noop-driver';

type Role = 'worker' | 'submitter' | 'both' | 'bull-worker' | 'bull-submitter';

export interface ThroughputReply {
  type: 'throughput';
  /** ms timestamps (Date.now, same machine as the parent) */
  firstSubmitAt: number;
  lastSubmitAt: number;
  doneAt: number;
  finished: number;
  failed: number;
  submitErrors: number;
  firstError?: string;
}

export interface LatencyReply {
  type: 'latency';
  /** submit -> job store says finished, ms, per sample */
  samples: number[];
  /** submit call alone, ms */
  submitMs: number[];
  /** from the job's record (Redis clock, whole ms): enqueued -> started, started -> ended */
  waitMs: number[];
  runMs: number[];
  notFinished: number;
}

const role = process.argv[2] as Role;
const prefix = process.env.NETPULSE_KEY_PREFIX ?? '';
const contexts: INestApplicationContext[] = [];
let submitter: JobSubmitter | null = null;
let pool: WorkerPool | null = null;
let redis: Redis | null = null;
const bullWorkers: Worker[] = [];
let bullQueue: Queue | null = null;
let bullExpect: { jobs: number; done: number } | null = null;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const send = (msg: unknown) => process.send?.(msg);

/**
 * Experiment switch (BENCH_AUTOPIPELINING=1): every connection the app opens with ioredis's
 * enableAutoPipelining, as src/ had it before commit 13f2503, to show what turning it off gained (ioredis builds
 * a Pipeline per auto-pipelined batch, and its constructor copies every script defined on the connection: 81 on
 * the command connection, 64 on a BullMQ worker's). Patches the compiled class in this process only.
 */
if (process.env.BENCH_AUTOPIPELINING === '1') {
  const proto = RedisConnections.prototype as unknown as { baseOptions(): RedisOptions };
  const original = proto.baseOptions;
  proto.baseOptions = function (this: unknown) {
    return { ...original.call(this), enableAutoPipelining: true };
  };
}

/** Event-loop delay of this process (reset by each {type:'loop'} request), for the latency breakdown. */
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();

async function boot(): Promise<void> {
  if (role === 'worker' || role === 'both') {
    const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(), { logger: ['error', 'warn'] });
    app.get(DriverRegistry).register(NOOP_DRIVER, noopDriver);
    pool = app.get(WorkerPool);
    contexts.push(app);
  }
  if (role === 'submitter' || role === 'both') {
    const app = await NestFactory.createApplicationContext(ApiModule.forRoot(), { logger: ['error', 'warn'] });
    submitter = app.get(JobSubmitter);
    contexts.push(app);
    redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  }
  if (role === 'bull-worker') {
    // BULL_PER_SLOT=1: FIFO_CONCURRENCY Workers at concurrency 1 instead of one Worker at concurrency FIFO_CONCURRENCY.
    const c = Number(process.env.FIFO_CONCURRENCY ?? 10);
    const single = process.env.BULL_PER_SLOT !== '1';
    for (let i = 0; i < (single ? 1 : c); i++) {
      const w = new Worker('FifoQ', async () => undefined, {
        connection: new Redis(REDIS_URL, { maxRetriesPerRequest: null, enableAutoPipelining: true }),
        prefix: `${prefix}:bull`, concurrency: single ? c : 1, lockDuration: 10_000, stalledInterval: 5_000, maxStalledCount: 0,
        // BULL_HOLD=1 (drain runs): the workers start on {type:'bull-run'}, once the queue is filled.
        autorun: process.env.BULL_HOLD !== '1',
      });
      w.on('completed', () => {
        if (bullExpect && ++bullExpect.done === bullExpect.jobs) {
          bullExpect = null;
          send({ type: 'bull-done', doneAt: Date.now() });
        }
      });
      bullWorkers.push(w);
    }
    await Promise.all(bullWorkers.map((w) => w.waitUntilReady()));
  }
  if (role === 'bull-submitter') {
    bullQueue = new Queue('FifoQ', { connection: new Redis(REDIS_URL, { enableAutoPipelining: true, maxRetriesPerRequest: 2 }), prefix: `${prefix}:bull` });
    await bullQueue.waitUntilReady();
  }
  send({ type: 'ready', pid: process.pid });
}

/** BullMQ alone: `jobs` adds with `inflight` at a time (the worker child reports when it completed them). */
async function bullThroughput(jobs: number, inflight: number): Promise<{ type: string; firstSubmitAt: number; lastSubmitAt: number }> {
  let next = 0;
  const base = randomBytes(4).toString('hex');
  const firstSubmitAt = Date.now();
  const lane = async () => {
    while (next < jobs) {
      const id = `${base}${(next++).toString(16).padStart(8, '0')}`;
      await bullQueue!.add('run', {}, { jobId: id, removeOnComplete: true, removeOnFail: true });
    }
  };
  await Promise.all(Array.from({ length: inflight }, lane));
  return { type: 'bull-submitted', firstSubmitAt, lastSubmitAt: Date.now() };
}

async function ended(): Promise<{ finished: number; failed: number }> {
  const [[, f], [, x]] = (await redis!.pipeline().zcard(`${prefix}:ix:s:finished`).zcard(`${prefix}:ix:s:failed`).exec()) as [unknown, number][];
  return { finished: f, failed: x };
}

interface Submitted {
  type: 'submitted';
  firstSubmitAt: number;
  lastSubmitAt: number;
  submitErrors: number;
  firstError?: string;
}

/** Submits `jobs` jobs through JobSubmitter, `inflight` at a time. */
async function submitAll(jobs: number, inflight: number): Promise<Submitted> {
  const spec = noopSpec();
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;
  const firstSubmitAt = Date.now();
  const lane = async () => {
    while (next < jobs) {
      next++;
      try {
        await submitter!.submit(spec);
      } catch (err) {
        errors++;
        firstError ??= (err as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: inflight }, lane));
  return { type: 'submitted', firstSubmitAt, lastSubmitAt: Date.now(), submitErrors: errors, firstError };
}

/** Polls the job store's status indexes until `expected` jobs ended (or 240 s passed). */
async function waitEnded(expected: () => number): Promise<{ doneAt: number; finished: number; failed: number }> {
  let counts: { finished: number; failed: number };
  const deadline = Date.now() + 240_000;
  for (;;) {
    counts = await ended();
    if (counts.finished + counts.failed >= expected() || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  return { doneAt: Date.now(), ...counts };
}

/** End to end: submits `jobs` jobs with `inflight` submissions at a time while polling the job store until all ended. */
async function throughput(jobs: number, inflight: number): Promise<ThroughputReply> {
  let errors = 0;
  const submitting = submitAll(jobs, inflight).then((s) => ((errors = s.submitErrors), s));
  const done = await waitEnded(() => jobs - errors);
  const s = await submitting;
  return { type: 'throughput', firstSubmitAt: s.firstSubmitAt, lastSubmitAt: s.lastSubmitAt, ...done, submitErrors: s.submitErrors, firstError: s.firstError };
}

/** The worker node's FIFO workers suspended (true) or resumed, as an operator would (drain runs queue everything first). */
async function holdFifo(on: boolean): Promise<{ type: string; at: number }> {
  for (const name of pool!.names) if (pool!.get(name)?.spec.kind === 'fifo') await pool!.suspend(name, on);
  return { type: on ? 'held' : 'released', at: Date.now() };
}

/** One job at a time: submit, then read the job's status until the store says it finished. */
async function latency(samples: number, warmup: number): Promise<LatencyReply> {
  const spec = noopSpec();
  const out: number[] = [];
  const submitMs: number[] = [];
  const waitMs: number[] = [];
  const runMs: number[] = [];
  let notFinished = 0;
  for (let i = 0; i < samples + warmup; i++) {
    const t0 = process.hrtime.bigint();
    const job = await submitter!.submit(spec);
    const t1 = process.hrtime.bigint();
    const key = `${prefix}:job:${job.id}`;
    const deadline = Date.now() + 5000;
    let status: string | null;
    while ((status = await redis!.hget(key, 'st')) !== 'finished' && status !== 'failed' && Date.now() < deadline);
    const t2 = process.hrtime.bigint();
    if (i < warmup) continue;
    if (status !== 'finished') notFinished++;
    out.push(Number(t2 - t0) / 1e6);
    submitMs.push(Number(t1 - t0) / 1e6);
    const [e, s, d] = (await redis!.hmget(key, 'e', 's', 'd')).map(Number);
    waitMs.push(s - e);
    runMs.push(d - s);
  }
  return { type: 'latency', samples: out, submitMs, waitMs, runMs, notFinished };
}

async function stop(): Promise<void> {
  redis?.disconnect();
  await Promise.all(bullWorkers.map((w) => w.close()));
  await bullQueue?.close();
  // The API side first (it only submits), then the node (drains its idle workers).
  for (const app of contexts.reverse()) await app.close();
  process.exit(0);
}

process.on('message', (msg: { type: string; jobs?: number; inflight?: number; samples?: number; warmup?: number }) => {
  const fail = (err: Error) => send({ type: 'error', message: err.stack ?? err.message });
  if (msg.type === 'throughput') throughput(msg.jobs ?? 20000, msg.inflight ?? 200).then(send, fail);
  else if (msg.type === 'submit-all') submitAll(msg.jobs ?? 20000, msg.inflight ?? 200).then(send, fail);
  else if (msg.type === 'wait-ended') waitEnded(() => msg.jobs ?? 20000).then((d) => send({ type: 'ended', ...d }), fail);
  else if (msg.type === 'hold' || msg.type === 'release') holdFifo(msg.type === 'hold').then(send, fail);
  else if (msg.type === 'bull-run') {
    for (const w of bullWorkers) void w.run();
    send({ type: 'bull-running', at: Date.now() });
  } else if (msg.type === 'latency') latency(msg.samples ?? 1000, msg.warmup ?? 50).then(send, fail);
  else if (msg.type === 'ioredis') {
    // Scripts defined on the app's connections, and what one ioredis Pipeline costs to build on the command connection.
    const conns = contexts[0].get(RedisConnections) as unknown as { command: Redis; dedicated: Set<Redis> };
    const scripts = (r: Redis) => Object.keys((r as unknown as { scriptsSet: object }).scriptsSet).length;
    const n = 10_000;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) conns.command.pipeline();
    const pipelineUs = Number(process.hrtime.bigint() - t0) / 1e3 / n;
    const worker = [...conns.dedicated].map(scripts).filter((x) => x > 0);
    send({ type: 'ioredis', commandScripts: scripts(conns.command), workerScripts: worker[0] ?? 0, autoPipelining: conns.command.options.enableAutoPipelining === true, pipelineUs });
  } else if (msg.type === 'loop') {
    const ms = (ns: number) => ns / 1e6;
    send({ type: 'loop', p50: ms(loopDelay.percentile(50)), p99: ms(loopDelay.percentile(99)), max: ms(loopDelay.max), count: loopDelay.count });
    loopDelay.reset();
  } else if (msg.type === 'bull-expect') bullExpect = { jobs: msg.jobs ?? 0, done: 0 };
  else if (msg.type === 'bull-throughput') bullThroughput(msg.jobs ?? 20000, msg.inflight ?? 200).then(send, fail);
  else if (msg.type === 'stop') void stop();
});
// The parent went away: do not linger.
process.on('disconnect', () => void stop());
process.on('SIGTERM', () => void stop());

boot().catch((err: Error) => {
  send({ type: 'error', message: err.stack ?? err.message });
  process.exit(1);
});
