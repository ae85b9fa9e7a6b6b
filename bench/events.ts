/**
 * Following jobs without polling (issue 16), on the real API (main.js), a real worker node (worker.js) and a fake
 * SSH device in a process of its own:
 *   - output -> client: the device writes `show ticks` lines stamped with the wall clock; the time each reaches an
 *     SSE client of GET /job/{id}/events (p50/p99);
 *   - end -> client: when a client learns a job ended (the job's ended_at as reference): the SSE `end` event and
 *     `GET /job?id=&wait=60`, against the baseline, the seed's client polling `GET /job?id=` every 2 s;
 *   - 1,000 idle SSE listeners on one running job: the API process's memory and CPU, against 1,000 clients polling
 *     that job every 2 s (the seed's way), and the Redis subscriptions they cost.
 * Rounds are repeated (the machine is shared and noisy); medians are reported.
 *
 *   npm run bench:events [-- --jobs=20 --lines=50 --every=20 --listeners=1000 --window=10 --rounds=3]
 */
import Redis from 'ioredis';
import { request } from 'node:http';
import { openSse, SseStream } from '../test/support/sse-client';
import { guard } from './lib/guard';
import { machineLines } from './lib/machine';
import { DEVICE_LOGIN, DeviceHost, startDevices } from './lib/pipeline';
import { ApiChild, BENCH_API_KEY, baseEnv, cpuMsOf, NodeChild, rssOf, startApi, startWorkerNode, stopAllChildren } from './lib/procs';
import { benchPrefix, REDIS_URL, removePrefix } from './lib/redis-keys';
import { publishSection, table } from './lib/report';
import { median, ms, percentile, ratio } from './lib/stats';
import { args } from './lib/args';

const JOBS = Number(args.jobs ?? 20);
const LINES = Number(args.lines ?? 50);
const EVERY_MS = Number(args.every ?? 20);
const LISTENERS = Number(args.listeners ?? 1000);
const WINDOW_S = Number(args.window ?? 10);
const ROUNDS = Number(args.rounds ?? 3);
/** The seed's client examples poll every 2 seconds. */
const POLL_MS = 2000;

const redis = new Redis(REDIS_URL);
const prefixes: string[] = [];
const now = () => performance.timeOrigin + performance.now();
const sleep = (msec: number) => new Promise((r) => setTimeout(r, msec));

interface Stack {
  api: ApiChild;
  node: NodeChild;
  devices: DeviceHost;
  prefix: string;
}

async function http(api: ApiChild, method: string, path: string, body?: unknown): Promise<{ status: number; json: { data: unknown } }> {
  const res = await fetch(`${api.base}${path}`, {
    method,
    headers: { 'x-api-key': BENCH_API_KEY, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as { data: unknown } };
}

async function submit(stack: Stack, command: string): Promise<string> {
  const { host, port } = stack.devices.devices[0];
  const res = await http(stack.api, 'POST', '/device/execute', {
    driver: 'netmiko', command, connection_args: { device_type: 'cisco_ios', host, port, ...DEVICE_LOGIN },
    options: { ttl: 600 },
  });
  if (res.status !== 201) throw new Error(`submit: ${res.status} ${JSON.stringify(res.json)}`);
  return (res.json.data as { id: string }).id;
}

type JobState = { status: string; ended_at: string | null };
const jobState = async (stack: Stack, id: string, wait = ''): Promise<JobState> =>
  ((await http(stack.api, 'GET', `/job?id=${id}${wait}`)).json.data as JobState[])[0];

/** The time from each `tick` line's stamp on the device to its arrival at the SSE client, ms. */
function tickDelays(sse: SseStream): number[] {
  const delays: number[] = [];
  for (const e of sse.events.filter((x) => x.event === 'output')) {
    const data = (JSON.parse(e.data) as { data: string }).data;
    for (const m of data.matchAll(/tick \d+ (\d+\.\d+)/g)) delays.push(e.at - Number(m[1]));
  }
  return delays;
}

/** The seed's client: GET /job?id= every 2 s from submit until it reads an ended job; when it learnt it. */
async function pollUntilEnded(stack: Stack, id: string): Promise<number> {
  for (;;) {
    const job = await jobState(stack, id);
    if (job.ended_at) return now();
    await sleep(POLL_MS);
  }
}

/** One job followed three ways at once: SSE, wait=, and the 2 s poller. */
async function followOne(stack: Stack): Promise<{ ticks: number[]; sse: number; wait: number; poll: number }> {
  const id = await submit(stack, `show ticks ${LINES} ${EVERY_MS}`);
  const polled = pollUntilEnded(stack, id);
  const waited = jobState(stack, id, '&wait=60').then(() => now());
  const sse = await openSse(stack.api.base, `/job/${id}/events`, undefined, BENCH_API_KEY);
  await sse.ended;
  const [pollAt, waitAt] = await Promise.all([polled, waited]);
  const endedAt = Date.parse((await jobState(stack, id)).ended_at!);
  const endEvent = sse.events.find((e) => e.event === 'end');
  const ticks = tickDelays(sse);
  if (ticks.length !== LINES || !endEvent) throw new Error(`job ${id}: ${ticks.length} of ${LINES} ticks, end ${endEvent ? 'seen' : 'missing'}`);
  return { ticks, sse: endEvent.at - endedAt, wait: waitAt - endedAt, poll: pollAt - endedAt };
}

interface IdleCost {
  openMs: number;
  rssDelta: number;
  cpuPct: number;
  pollCpuPct: number;
  idleCpuPct: number;
  subscriptions: number;
}

/** CPU the process uses over the window, % of one core. */
async function cpuPercent(pid: number, windowS: number): Promise<number> {
  const before = cpuMsOf(pid);
  await sleep(windowS * 1000);
  return ((cpuMsOf(pid) - before) / (windowS * 1000)) * 100;
}

/** 1,000 SSE listeners on one running job, then 1,000 pollers of it, each measured on the API process. */
async function idleListeners(stack: Stack): Promise<IdleCost> {
  const id = await submit(stack, 'show hang');
  while ((await jobState(stack, id)).status !== 'started') await sleep(50);
  const pid = stack.api.pid;
  const idleCpuPct = await cpuPercent(pid, WINDOW_S);
  const rssBefore = rssOf(pid);
  const t0 = now();
  const streams: SseStream[] = [];
  for (let i = 0; i < LISTENERS; i += 100) {
    streams.push(...(await Promise.all(Array.from({ length: Math.min(100, LISTENERS - i) }, () => openSse(stack.api.base, `/job/${id}/events`, undefined, BENCH_API_KEY)))));
  }
  await Promise.all(streams.map((s) => s.waitFor((e) => e.event === 'status')));
  const openMs = now() - t0;
  await sleep(2000);
  const rssDelta = rssOf(pid) - rssBefore;
  const [, numsub] = (await redis.pubsub('NUMSUB', `${stack.prefix}:jobev:${id}`)) as [string, number];
  const cpuPct = await cpuPercent(pid, WINDOW_S);
  for (const s of streams) s.close();
  await sleep(1000);
  const pollCpuPct = await pollersCpu(stack, id, pid);
  await http(stack.api, 'DELETE', `/job?id=${id}&force=true`);
  return { openMs, rssDelta, cpuPct, pollCpuPct, idleCpuPct, subscriptions: Number(numsub ?? 0) };
}

/** LISTENERS clients each polling the job every 2 s, spread evenly over the interval; the API's CPU meanwhile. */
async function pollersCpu(stack: Stack, id: string, pid: number): Promise<number> {
  let running = true;
  const agentless = (): Promise<void> => new Promise((resolve) => {
    const req = request(`${stack.api.base}/job?id=${id}`, { headers: { 'x-api-key': BENCH_API_KEY } }, (res) => res.resume().on('end', resolve));
    req.on('error', () => resolve());
    req.end();
  });
  const clients = Array.from({ length: LISTENERS }, async (_, i) => {
    await sleep((POLL_MS * i) / LISTENERS);
    while (running) {
      const started = Date.now();
      await agentless();
      await sleep(Math.max(0, POLL_MS - (Date.now() - started)));
    }
  });
  await sleep(POLL_MS);
  const pct = await cpuPercent(pid, WINDOW_S);
  running = false;
  await Promise.all(clients);
  return pct;
}

async function startStack(round: number, devices: DeviceHost): Promise<Stack> {
  const prefix = benchPrefix('events');
  prefixes.push(prefix);
  const env = baseEnv(REDIS_URL, prefix, { JOB_RESULT_TTL: '600' });
  const node = await startWorkerNode(`events-node-r${round}`, env);
  const api = await startApi(env, { name: `events-api-r${round}` });
  return { api, node, devices, prefix };
}

async function main(): Promise<void> {
  const devices = await startDevices(['127.0.0.1']);
  const rounds: { ticks: number[]; sse: number[]; wait: number[]; poll: number[]; idle: IdleCost }[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const stack = await startStack(round, devices);
    await followOne(stack); // warm-up: the pinned worker, its session, the API's first SSE
    const r = { ticks: [] as number[], sse: [] as number[], wait: [] as number[], poll: [] as number[] };
    for (let j = 0; j < JOBS; j++) {
      const one = await followOne(stack);
      r.ticks.push(...one.ticks);
      r.sse.push(one.sse);
      r.wait.push(one.wait);
      r.poll.push(one.poll);
    }
    const idle = await idleListeners(stack);
    rounds.push({ ...r, idle });
    console.log(`round ${round}: output->SSE p50 ${ms(percentile(r.ticks, 50))} ms p99 ${ms(percentile(r.ticks, 99))} ms; end: SSE ${ms(median(r.sse))} ms, wait ${ms(median(r.wait))} ms, poll ${ms(median(r.poll))} ms; `
      + `${LISTENERS} listeners: +${(idle.rssDelta / 1048576).toFixed(1)} MB, ${idle.cpuPct.toFixed(2)}% CPU (pollers ${idle.pollCpuPct.toFixed(1)}%), ${idle.subscriptions} subscription(s)`);
    await Promise.all([stack.api.stop(), stack.node.stop()]);
  }
  await devices.stop();
  report(rounds);
}

function report(rounds: { ticks: number[]; sse: number[]; wait: number[]; poll: number[]; idle: IdleCost }[]): void {
  const med = (f: (r: (typeof rounds)[number]) => number) => median(rounds.map(f));
  const p = (xs: number[], q: number) => percentile(xs, q);
  const tickP50 = med((r) => p(r.ticks, 50));
  const tickP99 = med((r) => p(r.ticks, 99));
  const end = (k: 'sse' | 'wait' | 'poll') => [med((r) => p(r[k], 50)), med((r) => p(r[k], 99))];
  const [sse50, sse99] = end('sse');
  const [wait50, wait99] = end('wait');
  const [poll50, poll99] = end('poll');
  const idle = (k: keyof IdleCost) => med((r) => r.idle[k]);
  publishSection('events', [
    '## Following jobs: live output, wait, idle listeners (`npm run bench:events`)',
    '',
    `${ROUNDS} rounds, medians of the rounds' figures. Each round: a new API process and worker node, ${JOBS} jobs of \`show ticks ${LINES} ${EVERY_MS}\` `
      + `(${LINES} lines, one every ${EVERY_MS} ms, stamped by the device), each followed at once by SSE, \`wait=60\` and a 2 s poller; then ${LISTENERS} `
      + `SSE listeners on one running job, then ${LISTENERS} clients polling it every 2 s, over ${WINDOW_S} s windows. The issue names no target figure.`,
    '',
    ...table(['measure', 'p50', 'p99', 'baseline (2 s poller) p50', 'ratio (baseline / ours) p50'], [
      ['device output -> SSE client, ms', ms(tickP50), ms(tickP99), 'output only at the end', '-'],
      ['job end -> SSE `end`, ms', ms(sse50), ms(sse99), ms(poll50), ratio(poll50 / sse50)],
      ['job end -> `wait=` answer, ms', ms(wait50), ms(wait99), ms(poll50), ratio(poll50 / wait50)],
      ['job end -> 2 s poller, ms (baseline)', ms(poll50), ms(poll99), '', ''],
    ]),
    '',
    ...table(['idle API process, one running job', `${LISTENERS} SSE listeners`, `${LISTENERS} pollers every 2 s (baseline)`, 'ratio', 'no client'], [
      ['CPU, % of one core', idle('cpuPct').toFixed(2), idle('pollCpuPct').toFixed(1), ratio(idle('pollCpuPct') / Math.max(idle('cpuPct'), 0.01)), idle('idleCpuPct').toFixed(2)],
      ['memory (RSS growth)', `${(idle('rssDelta') / 1048576).toFixed(1)} MB (${(idle('rssDelta') / LISTENERS / 1024).toFixed(1)} KB each)`, '-', '', ''],
      ['Redis subscriptions for the job', String(idle('subscriptions')), '0', '', ''],
      [`time to open all ${LISTENERS} (first \`status\` received)`, `${ms(idle('openMs'))} ms`, '', '', ''],
    ]),
    '',
    ...machineLinesSync,
  ]);
}

let machineLinesSync: string[] = [];

guard(async () => {
  machineLinesSync = await machineLines(redis);
  await main();
}, async () => {
  await stopAllChildren();
  for (const prefix of prefixes) await removePrefix(redis, prefix);
  redis.disconnect();
}, Number(process.env.BENCH_BUDGET_SEC ?? 900));
