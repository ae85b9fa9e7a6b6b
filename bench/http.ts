/**
 * The HTTP API under load (autocannon, 50 connections, 20 s per load, 3 rounds), one API process (`main.js`)
 * with 100k stored jobs (filled through the job store like bench/job-list):
 *   - POST /device/execute (pinned, spread over a handful of hosts; a worker node with room is alive, its pinned
 *     workers suspended so the submitted jobs stay queued and the node takes no CPU from the API);
 *   - GET /job?status=finished&limit=50;
 *   - baseline in the same run: GET /health/live on the same process (the framework's floor: Fastify, Nest,
 *     pino-http, no Redis) at the same load.
 * Also the CPU used by the API process and by Redis per request. With --cpu-prof, instead of the measured rounds,
 * one profiled API process per load, its V8 profile summarized by module and function (section http-profile).
 *
 *   npm run bench:http [-- --duration=20 --connections=50 --rounds=3 --jobs=100000 --hosts=8]
 *   npm run bench:http -- --cpu-prof [--profile-duration=10]   (diagnostic run: section http-profile instead)
 */
import autocannon from 'autocannon';
import Redis from 'ioredis';
import { JobStore } from '../src/jobs/job-store';
import { RedisConnections } from '../src/redis/redis-connections';
import { fill, mixedFate } from './lib/fixtures';
import { machineLines } from './lib/machine';
import { ApiChild, BENCH_API_KEY, baseEnv, cpuMsOf, NodeChild, startApi, startWorkerNode, stopAllChildren, loadAverage } from './lib/procs';
import { latestProfile, profileLines, summarizeProfile } from './lib/profile-summary';
import { redisStats, statsDelta } from './lib/redis-stats';
import { guard } from './lib/guard';
import { benchPrefix, REDIS_URL, removePrefix } from './lib/redis-keys';
import { publishSection, table } from './lib/report';
import { median } from './lib/stats';
import { args } from './lib/args';

const DURATION = Number(args.duration ?? 20);
const BASELINE_DURATION = Number(args['baseline-duration'] ?? 10);
const CONNECTIONS = Number(args.connections ?? 50);
const ROUNDS = Number(args.rounds ?? 3);
const JOBS = Number(args.jobs ?? 100000);
const HOSTS = Array.from({ length: Number(args.hosts ?? 8) }, (_, i) => `127.0.30.${i + 1}`);
/** Nothing listens there: the placement jobs fail at once (connection refused). */
const CLOSED_PORT = 9;
const CPU_PROF = args['cpu-prof'] === 'true';
const PROFILE_DURATION = Number(args['profile-duration'] ?? 10);
const LOG_LEVEL = args['log-level'] ?? 'log';

const prefix = benchPrefix('http');
const redis = new Redis(REDIS_URL);
const fillRedis = new Redis(REDIS_URL, { enableAutoPipelining: true });
const headers = { 'X-API-KEY': BENCH_API_KEY, 'content-type': 'application/json' };

interface Load {
  name: string;
  rps: number;
  ok: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** CPU ms per request of the API process and of Redis */
  apiCpu: number;
  redisCpu: number;
  /** CPU ms per request of this process (autocannon, the load generator) */
  genCpu: number;
  /** share of the wall time the API process was on a CPU */
  apiBusy: number;
  bodyBytes: number;
}

function executeBody(host: string): string {
  return JSON.stringify({
    driver: 'netmiko',
    connection_args: { device_type: 'cisco_ios', host, port: CLOSED_PORT, username: 'netops', password: 'bench-secret', timeout: 5 },
    command: 'show version',
    options: { queue_strategy: 'pinned' },
  });
}

async function load(name: string, api: ApiChild, opts: { method: string; path: string; bodies?: string[]; duration: number }): Promise<Load> {
  let n = 0;
  const cpu0 = cpuMsOf(api.pid);
  const gen0 = process.cpuUsage();
  const wall0 = Date.now();
  const stats0 = await redisStats(redis);
  const result = await autocannon({
    url: api.base,
    connections: CONNECTIONS,
    duration: opts.duration,
    headers,
    requests: [{
      method: opts.method,
      path: opts.path,
      ...(opts.bodies ? { setupRequest: (req) => ({ ...req, body: opts.bodies![n++ % opts.bodies!.length] }) } : {}),
    }],
  });
  const cpu1 = cpuMsOf(api.pid);
  const gen = process.cpuUsage(gen0);
  const wall = Date.now() - wall0;
  const delta = statsDelta(stats0, await redisStats(redis));
  const total = result.requests.total;
  return {
    name,
    rps: result.requests.average,
    ok: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    apiCpu: (cpu1 - cpu0) / total,
    redisCpu: delta.cpuMs / total,
    genCpu: (gen.user + gen.system) / 1000 / total,
    apiBusy: (cpu1 - cpu0) / wall,
    bodyBytes: result.throughput.total / Math.max(1, total),
  };
}

async function api<T>(base: string, method: string, path: string, body?: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}${path}`, { method, headers, body });
  return { status: res.status, body: (await res.json()) as T };
}

/**
 * --cpu-prof: a diagnostic run of its own (section http-profile): per load, a fresh API process under the V8
 * profiler takes the load for PROFILE_DURATION s, and its profile is summarized by module and function.
 */
async function profileRun(env: Record<string, string>, bodies: string[], load0: string): Promise<void> {
  const loads = [
    { key: 'submit', name: 'POST /device/execute', method: 'POST', path: '/device/execute', bodies },
    { key: 'list', name: 'GET /job?status=finished&limit=50', method: 'GET', path: '/job?status=finished&limit=50' },
    { key: 'live', name: 'GET /health/live', method: 'GET', path: '/health/live' },
  ];
  const lines: string[] = [];
  for (const l of loads) {
    const since = Date.now();
    const a = await startApi({ ...env, LOG_LEVEL }, { cpuProf: true, name: `http-api-${l.key}` });
    const r = await load(l.name, a, { method: l.method, path: l.path, bodies: l.bodies, duration: PROFILE_DURATION });
    await a.stop();
    console.log(`profiled ${l.name}: ${r.rps.toFixed(0)} req/s under the profiler, API CPU ${r.apiCpu.toFixed(3)} ms/req`);
    const file = latestProfile(`http-api-${l.key}`, since);
    if (!file) throw new Error(`no profile written for ${l.key}`);
    lines.push(...profileLines(`${l.name}: ${r.rps.toFixed(0)} req/s under the profiler, API CPU ${r.apiCpu.toFixed(3)} ms/req, Redis CPU ${r.redisCpu.toFixed(3)} ms/req, `
      + `${(r.bodyBytes / 1024).toFixed(1)} KB per response`, summarizeProfile(file, 20), 20));
  }
  const section = [
    '## http-profile',
    '',
    `Rerun: \`npm run bench:http -- --cpu-prof --profile-duration=${PROFILE_DURATION} --jobs=${JOBS}\` (a diagnostic run of its own, not the measured rounds of the http section).`,
    '',
    ...(await machineLines(redis)),
    `- load average (1/5/15 min) at the start -> at the end: ${load0} -> ${loadAverage()}`,
    '',
    `Per load, a fresh API process (LOG_LEVEL=${LOG_LEVEL}) under \`node --cpu-prof\` takes ${PROFILE_DURATION} s of autocannon at ${CONNECTIONS} connections, `
      + `${JOBS.toLocaleString('en-US')} stored jobs as in the http section. Self time by module and by function (the profile includes the process's start and stop).`,
    '',
    ...lines,
  ];
  publishSection('http-profile', section);
}

async function main(): Promise<void> {
  const load0 = loadAverage();
  const t0 = Date.now();
  const store = new JobStore(fillRedis, { keyPrefix: prefix } as RedisConnections);
  await fill(store, JOBS, () => mixedFate());
  console.log(`filled ${JOBS} jobs in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const env = baseEnv(REDIS_URL, prefix, { SWEEP_INTERVAL_MS: '3600000', JOB_RESULT_TTL: '86400' });
  const node: NodeChild = await startWorkerNode('http-node', { ...env, FIFO_CONCURRENCY: '0', NODE_CAPACITY: '64' });
  const apiChild = await startApi({ ...env, LOG_LEVEL }, { name: 'http-api' });
  // Place every host (one job each, failing at once on the closed port), then suspend their pinned workers.
  for (const h of HOSTS) {
    const r = await api(apiChild.base, 'POST', '/device/execute', executeBody(h));
    if (r.status !== 201) throw new Error(`placement of ${h}: ${r.status} ${JSON.stringify(r.body)}`);
  }
  const deadline = Date.now() + 20_000;
  while ((await api<{ data: unknown[] }>(apiChild.base, 'GET', '/worker?node=http-node')).body.data.length < HOSTS.length) {
    if (Date.now() > deadline) throw new Error('the pinned workers did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  const suspended = await api<{ data: unknown[] }>(apiChild.base, 'POST', '/worker/suspend?node=http-node');
  if (suspended.status !== 200) throw new Error(`suspend: ${suspended.status}`);

  const bodies = HOSTS.map(executeBody);
  if (CPU_PROF) {
    await apiChild.stop();
    await profileRun(env, bodies, load0);
    await node.stop();
    return;
  }
  const rounds: Load[][] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const submit = await load('POST /device/execute', apiChild, { method: 'POST', path: '/device/execute', bodies, duration: DURATION });
    const list = await load('GET /job?status=finished&limit=50', apiChild, { method: 'GET', path: '/job?status=finished&limit=50', duration: DURATION });
    const live = await load('GET /health/live (baseline: framework floor)', apiChild, { method: 'GET', path: '/health/live', duration: BASELINE_DURATION });
    rounds.push([submit, list, live]);
    for (const l of [submit, list, live]) {
      console.log(`round ${round} ${l.name}: ${l.rps.toFixed(0)} req/s, p50 ${l.p50} ms, p99 ${l.p99} ms, errors ${l.errors}, non-2xx ${l.non2xx}; `
        + `API CPU ${l.apiCpu.toFixed(3)} ms/req, Redis CPU ${l.redisCpu.toFixed(3)} ms/req`);
    }
  }
  const queued = await redis.zcard(`${prefix}:ix:s:queued`);
  await apiChild.stop();
  await node.stop();

  const targets: Record<string, { rps: number }> = {
    'POST /device/execute': { rps: 3000 },
    'GET /job?status=finished&limit=50': { rps: 5000 },
  };
  const rows = rounds[0].map((first, i) => {
    const ls = rounds.map((r) => r[i]);
    const rps = median(ls.map((l) => l.rps));
    const p99 = median(ls.map((l) => l.p99));
    const errors = ls.reduce((n, l) => n + l.errors + l.non2xx, 0);
    const t = targets[first.name];
    const met = t ? (rps >= t.rps && p99 <= 50 && errors === 0 ? 'yes' : `**no**${rps < t.rps ? ' (req/s)' : ''}${p99 > 50 ? ' (p99)' : ''}${errors ? ' (errors)' : ''}`) : '-';
    return [
      first.name, rps.toFixed(0), ls.map((l) => l.rps.toFixed(0)).join(' / '), String(median(ls.map((l) => l.p50))), String(p99),
      String(ls.reduce((n, l) => n + l.errors, 0)), String(ls.reduce((n, l) => n + l.non2xx, 0)),
      median(ls.map((l) => l.apiCpu)).toFixed(3), `${(median(ls.map((l) => l.apiBusy)) * 100).toFixed(0)}%`, median(ls.map((l) => l.redisCpu)).toFixed(3),
      median(ls.map((l) => l.genCpu)).toFixed(3),
      (median(ls.map((l) => l.bodyBytes)) / 1024).toFixed(1),
      t ? `>= ${t.rps.toLocaleString('en-US')} req/s, p99 <= 50 ms, 0 errors` : 'baseline', met,
    ];
  });
  const lines = [
    '## http',
    '',
    `Rerun: \`npm run bench:http -- --duration=${DURATION} --connections=${CONNECTIONS} --rounds=${ROUNDS} --jobs=${JOBS} --hosts=${HOSTS.length}\` (defaults: \`npm run bench:http\`; \`--cpu-prof\`: the profiles, section http-profile).`,
    '',
    ...(await machineLines(redis)),
    `- load average (1/5/15 min) at the start -> at the end: ${load0} -> ${loadAverage()}`,
    '',
    `One API process (\`bench/out/src/main.js\`, LOG_LEVEL=${LOG_LEVEL}: one JSON log line per request, to a pipe) with ${JOBS.toLocaleString('en-US')} stored jobs (bench/lib/fixtures: 80% finished with a 2 KB output, `
      + 'request ~560 B; filled through the store\'s create/start/end scripts); autocannon in the benchmark process, '
      + `${CONNECTIONS} connections, ${DURATION} s per load (the baseline ${BASELINE_DURATION} s), loads one after the other, ${ROUNDS} rounds; figures are medians over rounds. `
      + `Submits: pinned jobs for ${HOSTS.length} hosts (127.0.30.x, closed port) placed on one worker node process (FIFO_CONCURRENCY=0) whose pinned workers are suspended, so the `
      + `${queued.toLocaleString('en-US')} submitted jobs stayed queued and the node took no CPU from the API. `
      + 'All processes (API, autocannon, Redis, the idle node) share the 2 CPUs. API CPU: /proc of the API process; Redis CPU: `INFO cpu` (shared Redis).',
    '',
    ...table(['request', 'req/s (median)', 'per round', 'p50 ms', 'p99 ms', 'errors', 'non-2xx', 'API CPU ms/req', 'API process on CPU', 'Redis CPU ms/req', 'autocannon CPU ms/req', 'KB per response', 'target', 'met'], rows),
    '',
  ];
  publishSection('http', lines);
}

guard(main, async () => {
  await stopAllChildren();
  await removePrefix(redis, prefix);
  redis.disconnect();
  fillRedis.disconnect();
});
