/**
 * Bulk cancel and bulk submit, over HTTP against the real API and one worker node process:
 *   - 10,000 queued jobs in one pinned queue (a host whose pinned worker is suspended), one
 *     DELETE /job?queue=pinned_{host}; then the worker is resumed and drains BullMQ's copies, and the run checks
 *     that none of the 10,000 started (job store indexes, the worker's counters, the wait histogram);
 *   - POST /device/bulk with 1,000 devices (1,000 distinct hosts, FIFO, the FIFO worker suspended);
 *   - baseline in the same run: RQ (python3-rq) cancelling its queued jobs one by one (fetch, job.cancel()),
 *     and 1,000 Queue.enqueue calls.
 *
 *   npm run bench:cancel [-- --jobs=10000 --bulk=1000 --rounds=3 --rq-jobs=2000]
 */
import Redis from 'ioredis';
import { machineLines } from './lib/machine';
import { ApiChild, BENCH_API_KEY, baseEnv, NodeChild, startApi, startWorkerNode, stopAllChildren, loadAverage } from './lib/procs';
import { guard } from './lib/guard';
import { RqDatabase, RQ_URL, runPythonBaseline } from './lib/python';
import { benchPrefix, REDIS_URL, removePrefix } from './lib/redis-keys';
import { publishSection, table } from './lib/report';
import { median, ms } from './lib/stats';
import { args } from './lib/args';

const JOBS = Number(args.jobs ?? 10000);
const BULK = Number(args.bulk ?? 1000);
const ROUNDS = Number(args.rounds ?? 3);
const RQ_JOBS = Number(args['rq-jobs'] ?? 2000);
const CLOSED_PORT = 9;
const NODE = 'cancel-node';

const prefix = benchPrefix('cancel');
const redis = new Redis(REDIS_URL);
const rqDb = new RqDatabase();
const headers = { 'X-API-KEY': BENCH_API_KEY, 'content-type': 'application/json' };
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

async function api<T>(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T; ms: number }> {
  const t0 = process.hrtime.bigint();
  const res = await fetch(`${base}${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const parsed = (await res.json()) as T;
  return { status: res.status, body: parsed, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
}

const key = (...parts: string[]) => [prefix, ...parts].join(':');

async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | null | undefined | false>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(50);
  }
}

function body(devices: { host: string }[], strategy: 'pinned' | 'fifo') {
  return {
    driver: 'netmiko',
    connection_args: { device_type: 'cisco_ios', port: CLOSED_PORT, username: 'netops', password: 'bench-secret', timeout: 5 },
    devices, command: 'show version', options: { queue_strategy: strategy },
  };
}

interface CancelRound {
  cancelMs: number;
  cancelled: number;
  fillMs: number[];
  drainMs: number;
  started: number;
  finished: number;
  failedAfter: number;
  workerRuns: number;
  waitObservations: number;
  bullLeft: number;
}

async function cancelRound(base: string, round: number): Promise<CancelRound> {
  const host = `127.0.40.${round}`;
  const queue = `pinned_${host}`;
  // Place the host (one job, failing at once on the closed port), then suspend its worker.
  const placed = await api<{ data: { id: string } }>(base, 'POST', '/device/execute', {
    driver: 'netmiko', connection_args: { device_type: 'cisco_ios', host, port: CLOSED_PORT, username: 'netops', password: 'x', timeout: 5 },
    command: 'show version', options: { queue_strategy: 'pinned' },
  });
  if (placed.status !== 201) throw new Error(`placement: ${placed.status}`);
  await waitFor('placement job ended', 20_000, async () => (await redis.zscore(key('ix', 's', 'failed'), placed.body.data.id)) !== null);
  const suspended = await api<{ data: { worker: string; status: string }[] }>(base, 'POST', `/worker/suspend?host=${host}`);
  if (suspended.status !== 200 || suspended.body.data.length !== 1) throw new Error(`suspend: ${suspended.status} ${JSON.stringify(suspended.body)}`);
  const workerName = suspended.body.data[0].worker;
  await sleep(500); // the node applies the suspension from its control list
  const wk = key('worker', workerName);
  const [ok0, failed0] = (await redis.hmget(wk, 'successful', 'failed')).map(Number);
  const waitCount0 = Number(await redis.hget(key('hist', 'wait'), 'count'));

  // 10,000 queued jobs: POST /device/bulk with 1,000 devices of that host, JOBS / 1000 times.
  const fillMs: number[] = [];
  for (let i = 0; i < JOBS; i += 1000) {
    const n = Math.min(1000, JOBS - i);
    const r = await api<{ data: { succeeded: unknown[]; failed: unknown[] } }>(base, 'POST', '/device/bulk', body(Array.from({ length: n }, () => ({ host })), 'pinned'));
    if (r.status !== 201 || r.body.data.succeeded.length !== n) throw new Error(`fill: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    fillMs.push(r.ms);
  }
  const queued = await redis.zcard(key('ix', 'qs', 'queued', queue));
  if (queued !== JOBS) throw new Error(`expected ${JOBS} queued jobs in ${queue}, found ${queued}`);

  const del = await api<{ data: { cancelled_count: number } }>(base, 'DELETE', `/job?queue=${encodeURIComponent(queue)}`);
  if (del.status !== 200) throw new Error(`DELETE: ${del.status} ${JSON.stringify(del.body).slice(0, 300)}`);

  // Resume the worker: it takes BullMQ's copies of the cancelled jobs, which must all be skipped.
  const t0 = Date.now();
  await api(base, 'POST', `/worker/resume?host=${host}`);
  const bull = (name: string) => `${prefix}:bull:${queue}:${name}`;
  await waitFor('BullMQ drained', 180_000, async () => {
    const [[, w], [, a]] = (await redis.pipeline().llen(bull('wait')).llen(bull('active')).exec()) as [unknown, number][];
    return w + a === 0;
  });
  const drainMs = Date.now() - t0;
  await sleep(300);
  const counts = await redis.pipeline()
    .zcard(key('ix', 'qs', 'started', queue)).zcard(key('ix', 'qs', 'finished', queue)).zcard(key('ix', 'qs', 'failed', queue))
    .zcard(key('ix', 'qs', 'cancelled', queue)).llen(bull('wait')).exec() as [unknown, number][];
  const [ok1, failed1] = (await redis.hmget(wk, 'successful', 'failed')).map(Number);
  const waitCount1 = Number(await redis.hget(key('hist', 'wait'), 'count'));
  return {
    cancelMs: del.ms, cancelled: del.body.data.cancelled_count, fillMs, drainMs,
    started: counts[0][1], finished: counts[1][1], failedAfter: counts[2][1] - 1, workerRuns: (ok1 - ok0) + (failed1 - failed0),
    waitObservations: waitCount1 - waitCount0, bullLeft: counts[4][1],
  };
}

async function rqBaseline(): Promise<{ cancelMs: number; cancelled: number; bulkMs: number }> {
  const queue = `bench_rqcancel_${process.pid}`;
  const r = await runPythonBaseline<{ cancel_ms: number; cancelled: number; bulk_ms: number }>(
    'rq_cancel.py', [RQ_JOBS, BULK, RQ_URL, queue], 'RQ cancel baseline', 120_000);
  await rqDb.empty();
  return { cancelMs: r.cancel_ms, cancelled: r.cancelled, bulkMs: r.bulk_ms };
}

async function main(): Promise<void> {
  const load0 = loadAverage();
  await rqDb.claim();
  const env = baseEnv(REDIS_URL, prefix, { JOB_RESULT_TTL: '3600' });
  let node: NodeChild | null = null;
  let apiChild: ApiChild | null = null;
  const cancels: CancelRound[] = [];
  const bulks: { ms: number; ok: number }[] = [];
  const rq: { cancelMs: number; cancelled: number; bulkMs: number }[] = [];
  try {
    node = await startWorkerNode(NODE, { ...env, FIFO_CONCURRENCY: '1', NODE_CAPACITY: '16' });
    apiChild = await startApi({ ...env, LOG_LEVEL: 'log' }, { name: 'cancel-api' });
    const base = apiChild.base;
    // Bulk submit: the FIFO worker suspended, so the jobs stay queued (they would fail at once anyway).
    const s = await api<{ data: unknown[] }>(base, 'POST', '/worker/suspend?queue=FifoQ');
    if (s.status !== 200 || s.body.data.length !== 1) throw new Error(`suspend FifoQ: ${s.status}`);
    await sleep(500);
    for (let round = 1; round <= ROUNDS; round++) {
      const c = await cancelRound(base, round);
      cancels.push(c);
      console.log(`round ${round} DELETE /job?queue= of ${JOBS} queued jobs: ${ms(c.cancelMs)} ms (${c.cancelled} cancelled); `
        + `after resuming: ${c.started} started, ${c.finished} finished, ${c.failedAfter} failed, worker ran ${c.workerRuns}, BullMQ drained in ${c.drainMs} ms`);
      const devices = Array.from({ length: BULK }, (_, i) => ({ host: `10.${50 + round}.${Math.floor(i / 250)}.${(i % 250) + 1}` }));
      const b = await api<{ data: { succeeded: unknown[]; failed: unknown[] } }>(base, 'POST', '/device/bulk', body(devices, 'fifo'));
      if (b.status !== 201) throw new Error(`bulk: ${b.status}`);
      bulks.push({ ms: b.ms, ok: b.body.data.succeeded.length });
      console.log(`round ${round} POST /device/bulk with ${BULK} devices (FIFO): ${ms(b.ms)} ms (${b.body.data.succeeded.length} jobs)`);
      const r = await rqBaseline();
      rq.push(r);
      console.log(`round ${round} RQ: cancel ${RQ_JOBS} queued jobs one by one ${ms(r.cancelMs)} ms; ${BULK} enqueues ${ms(r.bulkMs)} ms`);
    }
    const leftFifo = await api<{ data: { cancelled_count: number } }>(base, 'DELETE', '/job?queue=FifoQ');
    console.log(`cleanup: cancelled the ${leftFifo.body.data.cancelled_count} bulk FIFO jobs in ${ms(leftFifo.ms)} ms`);
  } finally {
    await apiChild?.stop();
    await node?.stop();
  }

  const cancelMs = median(cancels.map((c) => c.cancelMs));
  const rqCancel = median(rq.map((r) => r.cancelMs));
  const rqPerJob = rqCancel / RQ_JOBS;
  const bulkMs = median(bulks.map((b) => b.ms));
  const rqBulk = median(rq.map((r) => r.bulkMs));
  const startedAny = cancels.some((c) => c.started + c.finished + c.failedAfter + c.workerRuns + c.waitObservations > 0 || c.cancelled !== JOBS || c.bullLeft > 0);
  const rows = [
    [`DELETE /job?queue=pinned_{host} with ${JOBS.toLocaleString('en-US')} queued jobs`, ms(cancelMs), cancels.map((c) => ms(c.cancelMs)).join(' / '),
      `${((cancelMs / JOBS) * 1000).toFixed(1)} µs`, `RQ one by one: ${ms(rqCancel)} ms for ${RQ_JOBS.toLocaleString('en-US')} (${(rqPerJob * 1000).toFixed(0)} µs/job; ${(rqPerJob / (cancelMs / JOBS)).toFixed(0)}x ours per job)`,
      '<= 1 s, none started afterwards', cancelMs <= 1000 && !startedAny ? 'yes' : '**no**'],
    [`POST /device/bulk with ${BULK.toLocaleString('en-US')} devices (distinct hosts, FIFO)`, ms(bulkMs), bulks.map((b) => ms(b.ms)).join(' / '),
      `${((bulkMs / BULK) * 1000).toFixed(0)} µs`, `RQ ${BULK.toLocaleString('en-US')} enqueues: ${ms(rqBulk)} ms (${(rqBulk / bulkMs).toFixed(2)}x ours)`,
      '<= 300 ms', bulkMs <= 300 ? 'yes' : '**no**'],
  ];
  const verifyRows = cancels.map((c, i) => [
    String(i + 1), String(c.cancelled), String(c.started), String(c.finished), String(c.failedAfter), String(c.workerRuns), String(c.waitObservations), String(c.bullLeft), `${(c.drainMs / 1000).toFixed(1)} s`,
    `${median(c.fillMs).toFixed(0)} ms`,
  ]);
  const lines = [
    '## cancel',
    '',
    `Rerun: \`npm run bench:cancel -- --jobs=${JOBS} --bulk=${BULK} --rounds=${ROUNDS} --rq-jobs=${RQ_JOBS}\` (defaults: \`npm run bench:cancel\`).`,
    '',
    ...(await machineLines(redis)),
    `- load average (1/5/15 min) at the start -> at the end: ${load0} -> ${loadAverage()}`,
    '',
    `The API (\`main.js\`) and one worker node (\`worker.js\`, FIFO_CONCURRENCY=1) processes; times are the HTTP request to the last byte of the answer, from this process; ${ROUNDS} rounds, medians. `
      + `Cancel: per round a new host (127.0.40.r) is placed, its pinned worker suspended (POST /worker/suspend), ${JOBS.toLocaleString('en-US')} jobs queued for it with POST /device/bulk, `
      + 'then one DELETE /job?queue=pinned_{host}. Then the worker is resumed and takes BullMQ\'s copies of the cancelled jobs (the API leaves them to the workers and the sweeper), and the run checks that none of them started. '
      + `Bulk: 1,000 distinct hosts, queue_strategy fifo, the FIFO worker suspended so they stay queued. RQ (python3-rq 1.13, its own Redis database, no worker): ${RQ_JOBS.toLocaleString('en-US')} queued jobs `
      + `cancelled as an RQ service does (queue.get_job_ids(), Job.fetch, job.cancel(): an LREM each, so it grows quadratically; fewer jobs than ours to stay within the time budget), and ${BULK.toLocaleString('en-US')} Queue.enqueue calls.`,
    '',
    ...table(['operation', 'ms (median)', 'per round', 'per job', 'baseline (same run)', 'target', 'met'], rows),
    '',
    'After each cancel, the pinned worker was resumed and drained BullMQ\'s copies; what the store and the worker say then:',
    '',
    ...table(['round', 'cancelled (response)', 'started', 'finished', 'failed (besides the placement job)', 'jobs the worker ran', 'START wait observations', 'left in BullMQ', 'BullMQ drain after resume', 'fill: POST /device/bulk of 1,000 same-host jobs, median'], verifyRows),
  ];
  publishSection('cancel', lines);
}

guard(main, async () => {
  await stopAllChildren();
  await removePrefix(redis, prefix);
  redis.disconnect();
  await rqDb.release();
});
