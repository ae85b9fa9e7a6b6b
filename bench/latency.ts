/**
 * Latency of one job on an idle system, submit -> the job store says finished:
 *   - service layer: JobSubmitter.submit in an API-side context, a worker node process with the no-op driver
 *     (FIFO), the job's status read from its record until finished;
 *   - HTTP: the real API (main.js) and worker node (worker.js) processes, POST /device/execute against a fake
 *     SSH device (test/support/fake-device, in a process of its own), then GET /job?id= until finished; FIFO
 *     (a new SSH connection per job) and pinned (the kept-open session);
 *   - baseline: RQ (python3-rq) with an idle SimpleWorker and forking Worker, enqueue -> status finished.
 *
 *   npm run bench:latency [-- --samples=1000 --http-samples=1000 --rq-fork-samples=200 --rounds=3]
 */
import Redis from 'ioredis';
import { machineLines } from './lib/machine';
import { DEVICE_LOGIN, DeviceHost, IpcChild, startDevices, startPipelineChild } from './lib/pipeline';
import type { LatencyReply } from './lib/pipeline-child';
import { ApiChild, BENCH_API_KEY, baseEnv, NodeChild, startApi, startWorkerNode, stopAllChildren, loadAverage } from './lib/procs';
import { guard } from './lib/guard';
import { RqDatabase, RQ_URL, runPythonBaseline } from './lib/python';
import { benchPrefix, REDIS_URL, removePrefix } from './lib/redis-keys';
import { publishSection, table } from './lib/report';
import { median, ms, percentile } from './lib/stats';
import { args } from './lib/args';

const SAMPLES = Number(args.samples ?? 1000);
const HTTP_SAMPLES = Number(args['http-samples'] ?? 1000);
const RQ_FORK_SAMPLES = Number(args['rq-fork-samples'] ?? 200);
const ROUNDS = Number(args.rounds ?? 3);
const WARMUP = 30;

const redis = new Redis(REDIS_URL);
const rqDb = new RqDatabase();
const prefixes = new Set<string>();

interface Dist {
  p50: number;
  p99: number;
  bad: number;
}
const dist = (samples: number[], bad = 0): Dist => ({ p50: percentile(samples, 50), p99: percentile(samples, 99), bad });

interface Loop {
  p50: number;
  p99: number;
  max: number;
}

async function serviceLayer(round: number, extraEnv: Record<string, string> = {}): Promise<{ e2e: Dist; submit: Dist; wait: Dist; run: Dist; nodeLoop: Loop; submitterLoop: Loop; idleLoop: Loop }> {
  const prefix = benchPrefix('lat');
  prefixes.add(prefix);
  const env = baseEnv(REDIS_URL, prefix, { FIFO_CONCURRENCY: '10', NETPULSE_NODE_NAME: 'bench-node', ...extraEnv });
  const children: IpcChild[] = [];
  try {
    const node = await startPipelineChild('worker', `lat-node-r${round}`, env);
    children.push(node);
    const submitter = await startPipelineChild('submitter', `lat-submitter-r${round}`, env);
    children.push(submitter);
    // The node's event-loop delay while idle (3 s), then during the samples.
    await node.request({ type: 'loop' });
    await new Promise((r) => setTimeout(r, 3000));
    const idleLoop = await node.request<Loop>({ type: 'loop' });
    await submitter.request({ type: 'loop' });
    const r = await submitter.request<LatencyReply>({ type: 'latency', samples: SAMPLES, warmup: WARMUP });
    const nodeLoop = await node.request<Loop>({ type: 'loop' });
    const submitterLoop = await submitter.request<Loop>({ type: 'loop' });
    return { e2e: dist(r.samples, r.notFinished), submit: dist(r.submitMs), wait: dist(r.waitMs), run: dist(r.runMs), nodeLoop, submitterLoop, idleLoop };
  } finally {
    for (const c of children.reverse()) await c.close();
    await removePrefix(redis, prefix);
    prefixes.delete(prefix);
  }
}

async function api<T>(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'X-API-KEY': BENCH_API_KEY, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** One job at a time over HTTP: POST /device/execute, then GET /job?id= until it has ended. */
async function httpSamples(apiBase: string, device: { host: string; port: number }, strategy: 'fifo' | 'pinned', n: number): Promise<Dist> {
  const body = {
    driver: 'netmiko',
    connection_args: { device_type: 'cisco_ios', host: device.host, port: device.port, ...DEVICE_LOGIN, timeout: 5 },
    command: 'show version',
    options: { queue_strategy: strategy },
  };
  const out: number[] = [];
  let bad = 0;
  for (let i = 0; i < n + WARMUP; i++) {
    const t0 = process.hrtime.bigint();
    const posted = await api<{ data: { id: string } }>(apiBase, 'POST', '/device/execute', body);
    if (posted.status !== 201) throw new Error(`POST /device/execute: ${posted.status} ${JSON.stringify(posted.body)}`);
    const id = posted.body.data.id;
    const deadline = Date.now() + 10_000;
    let status = 'queued';
    while (status !== 'finished' && status !== 'failed' && Date.now() < deadline) {
      status = (await api<{ data: { status: string }[] }>(apiBase, 'GET', `/job?id=${id}`)).body.data[0]?.status ?? 'missing';
    }
    const t1 = process.hrtime.bigint();
    if (i < WARMUP) continue;
    if (status !== 'finished') bad++;
    out.push(Number(t1 - t0) / 1e6);
  }
  return dist(out, bad);
}

async function overHttp(round: number, devices: DeviceHost): Promise<{ fifo: Dist; pinned: Dist }> {
  const prefix = benchPrefix('lathttp');
  prefixes.add(prefix);
  const env = baseEnv(REDIS_URL, prefix, { FIFO_CONCURRENCY: '10', LOG_LEVEL: 'log' });
  let apiChild: ApiChild | null = null;
  let node: NodeChild | null = null;
  try {
    node = await startWorkerNode(`lat-node-r${round}`, env);
    apiChild = await startApi(env, { name: `lat-api-r${round}` });
    const device = devices.devices[0];
    const fifo = await httpSamples(apiChild.base, device, 'fifo', HTTP_SAMPLES);
    const pinned = await httpSamples(apiChild.base, device, 'pinned', HTTP_SAMPLES);
    return { fifo, pinned };
  } finally {
    await apiChild?.stop();
    await node?.stop();
    await removePrefix(redis, prefix);
    prefixes.delete(prefix);
  }
}

async function rqLatency(kind: 'simple' | 'fork', samples: number): Promise<Dist> {
  const queue = `bench_rqlat_${process.pid}_${kind}`;
  const r = await runPythonBaseline<{ samples: number[]; not_finished: number }>(
    'rq_latency.py', [kind, samples, WARMUP, RQ_URL, queue], `RQ latency ${kind}`, 200_000);
  await rqDb.empty();
  return dist(r.samples, r.not_finished);
}

async function main(): Promise<void> {
  const load0 = loadAverage();
  await rqDb.claim();
  const devices = await startDevices(['127.0.10.1']);
  const loops = { node: [] as Loop[], submitter: [] as Loop[], nodeAuto: [] as Loop[], idle: [] as Loop[] };
  const withAuto: Dist[] = [];
  const res = { svc: [] as Dist[], submit: [] as Dist[], wait: [] as Dist[], run: [] as Dist[], fifo: [] as Dist[], pinned: [] as Dist[], simple: [] as Dist[], fork: [] as Dist[] };
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      const svc = await serviceLayer(round);
      res.svc.push(svc.e2e);
      res.submit.push(svc.submit);
      res.wait.push(svc.wait);
      loops.node.push(svc.nodeLoop);
      loops.submitter.push(svc.submitterLoop);
      loops.idle.push(svc.idleLoop);
      res.run.push(svc.run);
      console.log(`round ${round} service layer (noop): p50 ${ms(svc.e2e.p50)} ms, p99 ${ms(svc.e2e.p99)} ms (submit alone p50 ${ms(svc.submit.p50)})`);
      // Experiment: the same with ioredis auto-pipelining on, as before commit 13f2503 (patched in the child processes).
      const exp = await serviceLayer(round, { BENCH_AUTOPIPELINING: '1' });
      withAuto.push(exp.e2e);
      loops.nodeAuto.push(exp.nodeLoop);
      console.log(`round ${round} service layer, enableAutoPipelining on (experiment): p50 ${ms(exp.e2e.p50)} ms, p99 ${ms(exp.e2e.p99)} ms`);
      const simple = await rqLatency('simple', SAMPLES);
      res.simple.push(simple);
      console.log(`round ${round} RQ SimpleWorker: p50 ${ms(simple.p50)} ms, p99 ${ms(simple.p99)} ms`);
      const fork = await rqLatency('fork', RQ_FORK_SAMPLES);
      res.fork.push(fork);
      console.log(`round ${round} RQ Worker (fork): p50 ${ms(fork.p50)} ms, p99 ${ms(fork.p99)} ms`);
      const http = await overHttp(round, devices);
      res.fifo.push(http.fifo);
      res.pinned.push(http.pinned);
      console.log(`round ${round} HTTP + SSH: FIFO p50 ${ms(http.fifo.p50)} / p99 ${ms(http.fifo.p99)} ms; pinned p50 ${ms(http.pinned.p50)} / p99 ${ms(http.pinned.p99)} ms`);
    }
  } finally {
    await devices.close();
  }
  const m = (ds: Dist[], k: 'p50' | 'p99') => median(ds.map((d) => d[k]));
  const perRound = (ds: Dist[], k: 'p50' | 'p99') => ds.map((d) => ms(d[k])).join(' / ');
  const bad = (ds: Dist[]) => ds.reduce((n, d) => n + d.bad, 0);
  const svcP50 = m(res.svc, 'p50');
  const svcP99 = m(res.svc, 'p99');
  const row = (name: string, ds: Dist[], samples: number, target: string, met: string, vs: string) => [
    name, String(samples), ms(m(ds, 'p50')), ms(m(ds, 'p99')), `${perRound(ds, 'p50')}`, `${perRound(ds, 'p99')}`, String(bad(ds)), vs, target, met,
  ];
  const vsRq = (ds: Dist[]) => `RQ SimpleWorker p50 / ours p50 = ${(m(res.simple, 'p50') / m(ds, 'p50')).toFixed(2)}; p99: ${(m(res.simple, 'p99') / m(ds, 'p99')).toFixed(2)}`;
  const rows = [
    row('ours, service layer (JobSubmitter.submit -> store says finished), no-op driver, FIFO', res.svc, SAMPLES,
      'p50 <= 1 ms, p99 <= 5 ms', svcP50 <= 1 && svcP99 <= 5 ? 'yes' : `**no**${svcP50 > 1 ? ' (p50)' : ''}${svcP99 > 5 ? ' (p99)' : ''}`, vsRq(res.svc)),
    row('ours, of which: the `JobSubmitter.submit` call (create + BullMQ add)', res.submit, SAMPLES, '-', '-', '-'),
    row('ours, of which: enqueued -> started, from the job record (Redis clock, whole ms)', res.wait, SAMPLES, '-', '-', '-'),
    row('ours, of which: started -> ended, from the job record (Redis clock, whole ms)', res.run, SAMPLES, '-', '-', '-'),
    row('experiment: ours, service layer, with `enableAutoPipelining: true` on every connection, as before commit 13f2503 (RedisConnections patched in the child processes)', withAuto, SAMPLES, '(diagnostic)', '-', vsRq(withAuto)),
    row('RQ SimpleWorker (enqueue -> status finished), no-op', res.simple, SAMPLES, 'baseline', '-', '1x'),
    row('RQ Worker, forking (enqueue -> status finished), no-op', res.fork, RQ_FORK_SAMPLES, 'baseline', '-', '-'),
    row('ours over HTTP, SSH to a fake device, FIFO (new connection per job): POST /device/execute -> GET /job?id= says finished', res.fifo, HTTP_SAMPLES, '(the SSH path: no target)', '-', '-'),
    row('ours over HTTP, SSH to a fake device, pinned (kept-open session)', res.pinned, HTTP_SAMPLES, '(the SSH path: no target)', '-', vsRq(res.pinned)),
  ];
  const lines = [
    '## latency',
    '',
    `Rerun: \`npm run bench:latency -- --samples=${SAMPLES} --http-samples=${HTTP_SAMPLES} --rq-fork-samples=${RQ_FORK_SAMPLES} --rounds=${ROUNDS}\` (defaults: \`npm run bench:latency\`).`,
    '',
    ...(await machineLines(redis)),
    `- load average (1/5/15 min) at the start -> at the end: ${load0} -> ${loadAverage()}`,
    '',
    `One job at a time on an idle pipeline, ${WARMUP} warm-up jobs first, then the samples; each figure is the median over ${ROUNDS} rounds of the round's p50 or p99. `
      + 'Service layer: an ApiModule context (no HTTP) submits through `JobSubmitter.submit` and reads the job\'s status from its record (HGET, back to back) until `finished`; '
      + 'the worker node (WorkerModule context, FIFO_CONCURRENCY=10, the no-op driver registered) is another process. '
      + 'HTTP: the API (`main.js`, LOG_LEVEL=log) and a worker node (`worker.js`) processes, a fake cisco_ios SSH device (test/support/fake-device) in a third; '
      + 'POST /device/execute with `show version`, then GET /job?id= back to back until finished. '
      + `RQ (python3-rq 1.13) on its own database of the same Redis: one idle worker process, enqueue then \`job.get_status()\` back to back.`,
    '',
    ...table(['path', 'samples per round', 'p50 ms', 'p99 ms', 'p50 per round', 'p99 per round', 'not finished', 'vs RQ', 'target', 'met'], rows),
    '',
    'Event-loop delay during the service-layer samples (perf_hooks.monitorEventLoopDelay, 1 ms resolution; median over rounds): '
      + `worker node p50 ${ms(median(loops.node.map((l) => l.p50)))} ms, p99 ${ms(median(loops.node.map((l) => l.p99)))} ms, max ${ms(median(loops.node.map((l) => l.max)))} ms; `
      + `submitter p50 ${ms(median(loops.submitter.map((l) => l.p50)))} ms, p99 ${ms(median(loops.submitter.map((l) => l.p99)))} ms, max ${ms(median(loops.submitter.map((l) => l.max)))} ms `
      + '(the submitter reads the job status back to back, so its loop is never idle); '
      + `worker node with auto-pipelining (experiment): p99 ${ms(median(loops.nodeAuto.map((l) => l.p99)))} ms, max ${ms(median(loops.nodeAuto.map((l) => l.max)))} ms. `
      + `The worker node idle for 3 s before the samples: p50 ${ms(median(loops.idle.map((l) => l.p50)))} ms, p99 ${ms(median(loops.idle.map((l) => l.p99)))} ms, max ${ms(median(loops.idle.map((l) => l.max)))} ms.`,
  ];
  publishSection('latency', lines);
}

guard(main, async () => {
  await stopAllChildren();
  for (const p of prefixes) await removePrefix(redis, p);
  redis.disconnect();
  await rqDb.release();
});
