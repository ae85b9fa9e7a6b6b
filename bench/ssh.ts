/**
 * Devices over SSH: 200 fake cisco_ios devices (test/support/fake-device, in a process of their own) on
 * 127.0.10.1..200, the real API and one worker node process (NODE_CAPACITY=256, FIFO_CONCURRENCY=10):
 *   - throughput: 10 `show version` jobs per device (POST /device/bulk, one request per command over the 200
 *     devices), pinned (one worker per device, its session kept open) versus FIFO (a new connection per job);
 *   - SSH sessions open on the node and memory per session (RSS of the node before and after opening them);
 *   - per job and per command, one at a time: our driver (SshDriver, in this process) and the whole pipeline over
 *     HTTP, beside netmiko (python3-netmiko, fast_cli=True) against the same device: a FIFO-style job (connect,
 *     enable, one command, disconnect) and one command over a kept-open session.
 *
 *   npm run bench:ssh [-- --devices=200 --commands=10 --fifo-jobs=2000 --rounds=3 --samples=20 --kept-samples=200]
 */
import Redis from 'ioredis';
import { Logger } from '@nestjs/common';
import { SshDriver } from '../src/devices/drivers/ssh/ssh.driver';
import { machineLines } from './lib/machine';
import { DEVICE_LOGIN, DeviceHost, startDevices } from './lib/pipeline';
import { ApiChild, BENCH_API_KEY, baseEnv, cpuMsOf, NodeChild, rssOf, startApi, startWorkerNode, stopAllChildren, loadAverage } from './lib/procs';
import { redisStats } from './lib/redis-stats';
import { guard } from './lib/guard';
import { ensurePythonModule, runPythonBaseline } from './lib/python';
import { benchPrefix, REDIS_URL, removePrefix } from './lib/redis-keys';
import { publishSection, table } from './lib/report';
import { median, ms, percentile } from './lib/stats';
import { args } from './lib/args';

const DEVICES = Number(args.devices ?? 200);
const COMMANDS = Number(args.commands ?? 10);
const FIFO_JOBS = Number(args['fifo-jobs'] ?? DEVICES * COMMANDS);
const ROUNDS = Number(args.rounds ?? 3);
const SAMPLES = Number(args.samples ?? 20);
const KEPT_SAMPLES = Number(args['kept-samples'] ?? 200);
const FIFO_CONCURRENCY = Number(args['fifo-concurrency'] ?? 10);
const HOSTS = Array.from({ length: DEVICES }, (_, i) => `127.0.10.${i + 1}`);
const CLOSED_PORT = 9;

const prefix = benchPrefix('ssh');
const redis = new Redis(REDIS_URL);
const headers = { 'X-API-KEY': BENCH_API_KEY, 'content-type': 'application/json' };
Logger.overrideLogger(['error']);

async function api<T>(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
  return { status: res.status, body: (await res.json()) as T };
}

const ended = async () => {
  const [[, f], [, x]] = (await redis.pipeline().zcard(`${prefix}:ix:s:finished`).zcard(`${prefix}:ix:s:failed`).exec()) as [unknown, number][];
  return { finished: f, failed: x };
};

async function waitEnded(total: number, timeoutMs: number): Promise<{ finished: number; failed: number; at: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const e = await ended();
    if (e.finished + e.failed >= total) return { ...e, at: Date.now() };
    if (Date.now() > deadline) throw new Error(`only ${e.finished + e.failed} of ${total} jobs ended within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** One POST /device/bulk per command round over the given devices; returns when every job has ended. */
async function runBatch(base: string, devices: { host: string; port: number }[], perDevice: number, strategy: 'pinned' | 'fifo', expectEnded: number) {
  const t0 = Date.now();
  const before = await ended();
  const posts = Array.from({ length: perDevice }, () => api<{ data: { succeeded: unknown[]; failed: unknown[] } }>(base, 'POST', '/device/bulk', {
    driver: 'netmiko',
    connection_args: { device_type: 'cisco_ios', ...DEVICE_LOGIN, timeout: 10 },
    devices: devices.map((d) => ({ host: d.host, port: d.port })),
    command: 'show version',
    options: { queue_strategy: strategy },
  }));
  for (const p of await Promise.all(posts)) {
    if (p.status !== 201 || p.body.data.failed.length > 0) throw new Error(`bulk: ${p.status} ${JSON.stringify(p.body).slice(0, 500)}`);
  }
  const submittedAt = Date.now();
  const after = await waitEnded(before.finished + before.failed + expectEnded, 240_000);
  return { ms: after.at - t0, submitMs: submittedAt - t0, failed: after.failed - before.failed, jobs: expectEnded };
}

/** One job at a time over HTTP: POST /device/execute, then GET /job?id= until it ended. */
async function jobLatency(base: string, device: { host: string; port: number }, strategy: 'pinned' | 'fifo', n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    const r = await api<{ data: { id: string } }>(base, 'POST', '/device/execute', {
      driver: 'netmiko', connection_args: { device_type: 'cisco_ios', host: device.host, port: device.port, ...DEVICE_LOGIN, timeout: 10 },
      command: 'show version', options: { queue_strategy: strategy },
    });
    let status = 'queued';
    while (status !== 'finished' && status !== 'failed') {
      status = (await api<{ data: { status: string }[] }>(base, 'GET', `/job?id=${r.body.data.id}`)).body.data[0].status;
    }
    if (status !== 'finished') throw new Error(`a ${strategy} job failed`);
    out.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return out;
}

/** Our driver alone, in this process: a FIFO-style job n times, then kept commands over one session. */
async function driverTimes(device: { host: string; port: number }, n: number, kept: number): Promise<{ fifo: number[]; kept: number[] }> {
  const driver = new SshDriver();
  const argsOf = { device_type: 'cisco_ios' as const, host: device.host, port: device.port, ...DEVICE_LOGIN, timeout: 10 };
  const opts = { readTimeoutMs: 10_000 };
  const fifo: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    const s = await driver.connect(argsOf);
    const out = await s.run('show version', opts);
    await s.close();
    fifo.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (!out.includes('Cisco IOS')) throw new Error('unexpected output');
  }
  const s = await driver.connect(argsOf);
  const keptMs: number[] = [];
  for (let i = 0; i < kept; i++) {
    const t0 = process.hrtime.bigint();
    await s.run('show version', opts);
    keptMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  await s.close();
  return { fifo, kept: keptMs };
}


async function netmikoTimes(device: { host: string; port: number }, n: number, kept: number): Promise<{ version: string; fifo: number[]; kept: number[] }> {
  const r = await runPythonBaseline<{ version: string; fifo_ms: number[]; kept_ms: number[] }>('netmiko_baseline.py',
    [device.host, device.port, DEVICE_LOGIN.username, DEVICE_LOGIN.password, DEVICE_LOGIN.secret, n, kept], 'netmiko baseline', 200_000);
  return { version: r.version, fifo: r.fifo_ms, kept: r.kept_ms };
}

async function main(): Promise<void> {
  const load0 = loadAverage();
  ensurePythonModule('netmiko', 'python3-netmiko');
  let devices: DeviceHost | null = null;
  let apiChild: ApiChild | null = null;
  let node: NodeChild | null = null;
  try {
    devices = await startDevices(HOSTS);
    const env = baseEnv(REDIS_URL, prefix, { JOB_RESULT_TTL: '3600', PINNED_IDLE_TIMEOUT: '3600', SWEEP_INTERVAL_MS: '1000' });
    node = await startWorkerNode('ssh-node', { ...env, NODE_CAPACITY: String(Math.max(256, DEVICES + 8)), FIFO_CONCURRENCY: String(FIFO_CONCURRENCY) });
    apiChild = await startApi(env, { name: 'ssh-api' });
    const base = apiChild.base;
    await new Promise((r) => setTimeout(r, 1000));
    const rss0 = rssOf(node.pid);
    // Placement: one pinned job per device to a closed port of its host: the pinned workers start, no session.
    await runBatch(base, HOSTS.map((host) => ({ host, port: CLOSED_PORT })), 1, 'pinned', DEVICES);
    await new Promise((r) => setTimeout(r, 1000));
    const rssWorkers = rssOf(node.pid);
    // Warm-up: one job per device opens its session, kept open afterwards.
    await devices.stats();
    const warm = await runBatch(base, devices.devices, 1, 'pinned', DEVICES);
    if (warm.failed > 0) throw new Error(`${warm.failed} warm-up jobs failed`);
    await new Promise((r) => setTimeout(r, 1000));
    const rssSessions = rssOf(node.pid);
    const afterWarm = await devices.stats();
    console.log(`node RSS: ${(rss0 / 2 ** 20).toFixed(1)} MiB idle, ${(rssWorkers / 2 ** 20).toFixed(1)} MiB with ${DEVICES} pinned workers, `
      + `${(rssSessions / 2 ** 20).toFixed(1)} MiB with their ${afterWarm.open} SSH sessions open`);

    type Cpu = { node: number; devices: number; api: number; redis: number };
    const rounds: { pinned: number; fifo: number; pinnedOpened: number; fifoOpened: number; pinnedFailed: number; fifoFailed: number; open: number; pinnedCpu: Cpu; fifoCpu: Cpu }[] = [];
    /** CPU ms per job of the node, the devices, the API and Redis between two snapshots. */
    const snap = async () => ({ node: cpuMsOf(node!.pid), devices: cpuMsOf(devices!.pid), api: cpuMsOf(apiChild!.pid), redis: (await redisStats(redis)).cpuMs });
    const perJob = (a: Cpu, b: Cpu, jobs: number): Cpu => ({
      node: (b.node - a.node) / jobs, devices: (b.devices - a.devices) / jobs, api: (b.api - a.api) / jobs, redis: (b.redis - a.redis) / jobs,
    });
    const fifoDevices = Array.from({ length: FIFO_JOBS }, (_, i) => devices!.devices[i % DEVICES]);
    for (let round = 1; round <= ROUNDS; round++) {
      const s0 = await devices.stats();
      const c0 = await snap();
      const pinned = await runBatch(base, devices.devices, COMMANDS, 'pinned', DEVICES * COMMANDS);
      const c1 = await snap();
      const s1 = await devices.stats();
      // FIFO: the same command, a new connection per job; FIFO_JOBS jobs spread over the devices.
      const fifoT0 = Date.now();
      const before = await ended();
      for (let i = 0; i < FIFO_JOBS; i += DEVICES) {
        const chunk = fifoDevices.slice(i, i + DEVICES);
        const r = await api<{ data: { failed: unknown[] } }>(base, 'POST', '/device/bulk', {
          driver: 'netmiko', connection_args: { device_type: 'cisco_ios', ...DEVICE_LOGIN, timeout: 10 },
          devices: chunk.map((d) => ({ host: d.host, port: d.port })), command: 'show version', options: { queue_strategy: 'fifo' },
        });
        if (r.status !== 201 || r.body.data.failed.length) throw new Error(`FIFO bulk: ${r.status}`);
      }
      const done = await waitEnded(before.finished + before.failed + FIFO_JOBS, 240_000);
      const fifoMs = done.at - fifoT0;
      const c2 = await snap();
      const s2 = await devices.stats();
      const r = {
        pinned: (DEVICES * COMMANDS) / (pinned.ms / 1000), fifo: FIFO_JOBS / (fifoMs / 1000),
        pinnedOpened: s1.opened - s0.opened, fifoOpened: s2.opened - s1.opened,
        pinnedFailed: pinned.failed, fifoFailed: done.failed - before.failed, open: s2.open,
        pinnedCpu: perJob(c0, c1, DEVICES * COMMANDS), fifoCpu: perJob(c1, c2, FIFO_JOBS),
      };
      rounds.push(r);
      console.log(`round ${round}: pinned ${r.pinned.toFixed(0)} commands/s (${DEVICES * COMMANDS} in ${(pinned.ms / 1000).toFixed(2)} s, submitted in ${(pinned.submitMs / 1000).toFixed(2)} s, ${r.pinnedOpened} new connections), `
        + `FIFO ${r.fifo.toFixed(1)} commands/s (${FIFO_JOBS} in ${(fifoMs / 1000).toFixed(2)} s, ${r.fifoOpened} new connections); ${r.open} sessions open`);
    }
    const rssEnd = rssOf(node.pid);

    // One at a time: the pipeline over HTTP, our driver, netmiko, against device 1.
    const d1 = devices.devices[0];
    const pipeFifo: number[] = [];
    const pipeKept: number[] = [];
    const drvFifo: number[] = [];
    const drvKept: number[] = [];
    const nmFifo: number[] = [];
    const nmKept: number[] = [];
    let nmVersion = '';
    for (let round = 1; round <= ROUNDS; round++) {
      pipeFifo.push(median(await jobLatency(base, d1, 'fifo', SAMPLES)));
      pipeKept.push(median(await jobLatency(base, d1, 'pinned', SAMPLES * 5)));
      const drv = await driverTimes(d1, SAMPLES, KEPT_SAMPLES);
      drvFifo.push(median(drv.fifo));
      drvKept.push(median(drv.kept));
      const nm = await netmikoTimes(d1, Math.max(5, Math.round(SAMPLES / 2)), KEPT_SAMPLES);
      nmVersion = nm.version;
      nmFifo.push(median(nm.fifo));
      nmKept.push(median(nm.kept));
      console.log(`round ${round} one at a time (median ms): FIFO job: pipeline ${ms(pipeFifo.at(-1)!)}, driver ${ms(drvFifo.at(-1)!)}, netmiko ${ms(nmFifo.at(-1)!)}; `
        + `kept-session command: pipeline (pinned job) ${ms(pipeKept.at(-1)!)}, driver ${ms(drvKept.at(-1)!)}, netmiko ${ms(nmKept.at(-1)!)}`);
    }
    await apiChild.stop();
    await node.stop();

    const cpuCells = (cs: Cpu[]) => {
      const m = (k: keyof Cpu) => median(cs.map((c) => c[k]));
      return [m('node'), m('devices'), m('api'), m('redis'), m('node') + m('devices') + m('api') + m('redis')].map((v) => v.toFixed(2));
    };
    const pinnedRate = median(rounds.map((r) => r.pinned));
    const fifoRate = median(rounds.map((r) => r.fifo));
    const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
    const kib = (b: number) => `${(b / 1024).toFixed(0)} KiB`;
    const rows = [
      ['pinned (kept-open sessions, one worker per device)', pinnedRate.toFixed(0), rounds.map((r) => r.pinned.toFixed(0)).join(' / '),
        `${DEVICES} x ${COMMANDS}`, String(rounds.reduce((n, r) => n + r.pinnedOpened, 0)), String(rounds.reduce((n, r) => n + r.pinnedFailed, 0)),
        `${(pinnedRate / fifoRate).toFixed(1)}x FIFO`, '>= 10x FIFO', pinnedRate >= 10 * fifoRate ? 'yes' : '**no**'],
      [`FIFO (a new connection per job, FIFO_CONCURRENCY=${FIFO_CONCURRENCY})`, fifoRate.toFixed(1), rounds.map((r) => r.fifo.toFixed(1)).join(' / '),
        `${FIFO_JOBS} (${FIFO_JOBS / DEVICES} per device)`, String(rounds.reduce((n, r) => n + r.fifoOpened, 0)), String(rounds.reduce((n, r) => n + r.fifoFailed, 0)),
        '1x', 'baseline', '-'],
    ];
    const m = (xs: number[]) => median(xs);
    const oneRows = [
      ['FIFO-style job: connect, enable, `show version`, disconnect', ms(m(nmFifo)), ms(m(drvFifo)), `${(m(nmFifo) / m(drvFifo)).toFixed(1)}x`, ms(m(pipeFifo)),
        `${(m(nmFifo) / m(pipeFifo)).toFixed(1)}x`, '>= 10x netmiko (<= 95 ms per FIFO job)',
        `driver ${m(nmFifo) / m(drvFifo) >= 10 ? 'yes' : '**no**'}; job ${m(nmFifo) / m(pipeFifo) >= 10 ? 'yes' : '**no**'}`],
      ['one command over a kept-open session', ms(m(nmKept)), ms(m(drvKept)), `${(m(nmKept) / m(drvKept)).toFixed(1)}x`, ms(m(pipeKept)),
        `${(m(nmKept) / m(pipeKept)).toFixed(1)}x`, '>= 10x netmiko (<= 6 ms per command)',
        `driver ${m(nmKept) / m(drvKept) >= 10 ? 'yes' : '**no**'}; job ${m(nmKept) / m(pipeKept) >= 10 ? 'yes' : '**no**'}`],
    ];
    const lines = [
      '## ssh',
      '',
      `Rerun: \`npm run bench:ssh -- --devices=${DEVICES} --commands=${COMMANDS} --fifo-jobs=${FIFO_JOBS} --rounds=${ROUNDS} --samples=${SAMPLES} --kept-samples=${KEPT_SAMPLES}\` (defaults: \`npm run bench:ssh\`).`,
      '',
      ...(await machineLines(redis)),
    `- load average (1/5/15 min) at the start -> at the end: ${load0} -> ${loadAverage()}`,
      '',
      `${DEVICES} fake cisco_ios devices (test/support/fake-device: ssh2 servers with a CLI emulator, login, enable, paging off) on 127.0.10.1..${DEVICES}, all in one process of their own; `
        + `the API (\`main.js\`) and one worker node (\`worker.js\`, NODE_CAPACITY=${Math.max(256, DEVICES + 8)}, FIFO_CONCURRENCY=${FIFO_CONCURRENCY}) processes. `
        + `Jobs are submitted with POST /device/bulk (${DEVICES} devices per request) and timed from the first request until the job store has them all ended. `
        + 'Connections opened: counted by the devices. Everything shares the 2 CPUs, SSH crypto of both ends included.',
      '',
      '### Throughput: pinned versus FIFO',
      '',
      ...table(['queue strategy', 'commands/s (median)', 'per round', 'jobs per round', 'SSH connections opened during the rounds', 'failed', 'ratio', 'target', 'met'], rows),
      '',
      `Why the ratio is what it is: at the driver level (measured below, one at a time) a FIFO-style job (connect, login, enable, command, disconnect) `
        + `takes ${ms(median(drvFifo))} ms against this fake device and a command over a kept session ${ms(median(drvKept))} ms (${(median(drvFifo) / median(drvKept)).toFixed(0)}x); `
        + 'every job also pays the same pipeline cost (submit, BullMQ, job store, in four processes on 2 CPUs), which is most of a pinned job. '
        + 'CPU per job (ms, median over rounds) of each process during the rounds (/proc; Redis from `INFO cpu`):',
      '',
      ...table(['queue strategy', 'worker node', 'fake devices (SSH server side)', 'API', 'Redis', 'total', 'wall ms per job'], [
        ['pinned', ...cpuCells(rounds.map((r) => r.pinnedCpu)), (1000 / pinnedRate).toFixed(2)],
        ['FIFO', ...cpuCells(rounds.map((r) => r.fifoCpu)), (1000 / fifoRate).toFixed(2)],
      ]),
      '',
      `SSH sessions open on the node (counted by the devices) after the rounds: ${rounds.at(-1)!.open} for ${DEVICES} pinned workers. `
        + `Node RSS: ${mib(rss0)} with no pinned worker; ${mib(rssWorkers)} with ${DEVICES} pinned workers and no session (+${kib((rssWorkers - rss0) / DEVICES)} per worker: a BullMQ worker with 2 Redis connections); `
        + `${mib(rssSessions)} once their ${afterWarm.open} sessions were open: **${kib((rssSessions - rssWorkers) / DEVICES)} per SSH session**; ${mib(rssEnd)} after the rounds.`,
      '',
      '### One at a time, beside netmiko',
      '',
      `Against device 127.0.10.1, median ms (the median of ${ROUNDS} rounds of each round's median). netmiko ${nmVersion} (Debian python3-netmiko) with fast_cli=True in its own process: `
        + `${Math.max(5, Math.round(SAMPLES / 2))} FIFO-style jobs and ${KEPT_SAMPLES} kept-session commands per round. Ours: the driver (\`SshDriver\`, in the benchmark process: ${SAMPLES} jobs, ${KEPT_SAMPLES} commands per round) `
        + `and the whole pipeline over HTTP (POST /device/execute, then GET /job?id= until finished: ${SAMPLES} FIFO jobs and ${SAMPLES * 5} pinned jobs per round).`,
      '',
      ...table(['what', 'netmiko ms', 'ours: driver ms', 'netmiko / driver', 'ours: job over HTTP ms', 'netmiko / job', 'target', 'met'], oneRows),
      '',
      `Per round: pipeline FIFO ${pipeFifo.map(ms).join(' / ')}, driver FIFO ${drvFifo.map(ms).join(' / ')}, netmiko FIFO ${nmFifo.map(ms).join(' / ')}; `
        + `pipeline kept ${pipeKept.map(ms).join(' / ')}, driver kept ${drvKept.map(ms).join(' / ')}, netmiko kept ${nmKept.map(ms).join(' / ')}.`,
    ];
    void percentile;
    publishSection('ssh', lines);
  } finally {
    await apiChild?.stop();
    await node?.stop();
    await devices?.close();
  }
}

guard(main, async () => {
  await stopAllChildren();
  await removePrefix(redis, prefix);
  redis.disconnect();
});
