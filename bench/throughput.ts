/**
 * Pipeline throughput: N no-op jobs through the real path (JobSubmitter.submit in an API-side context, BullMQ,
 * a worker node's FIFO workers, every job-store transition) at FIFO_CONCURRENCY 1, 10 and 100, beside RQ
 * (python3-rq: SimpleWorker and the forking Worker, no-op function) on the same Redis, in the same run.
 *
 *   npm run bench:throughput [-- --jobs=20000 --rounds=3 --concurrency=1,10,100 --inflight=200 --bull-concurrency=10 --modes=e2e,drain
 *                               --rq-jobs=20000 --rq-fork-jobs=2000 --mode=two|one --profile --cpu-prof --no-rq]
 *
 * BullMQ alone (the same adds and workers, no Nest, no job store) runs beside ours at --bull-concurrency as the
 * floor under our pipeline. --profile is a diagnostic run of its own (section throughput-profile, instead of the
 * measured rounds): a MONITORed run (Redis requests per job by script), a --cpu-prof run of both processes, the
 * Redis steps of one job timed alone, and A/B runs (ioredis auto-pipelining on, as before 13f2503; BullMQ pool shapes).
 *
 * --mode=two (default): the submitter (ApiModule context) and the worker node (WorkerModule context) are two
 * processes, as in production; --mode=one: both contexts in one process. --cpu-prof writes V8 profiles of both
 * into bench/out/profiles (the figures of a profiled run are slower: do not compare them with the others).
 */
import { execFileSync } from 'node:child_process';
import Redis from 'ioredis';
import { machineLines } from './lib/machine';
import { IpcChild as PipelineChild, startPipelineChild } from './lib/pipeline';
import type { ThroughputReply } from './lib/pipeline-child';
import { baseEnv, cpuMsOf, stopAllChildren } from './lib/procs';
import { MonitorSummary, startMonitor } from './lib/monitor';
import { latestProfile, profileLines, summarizeProfile } from './lib/profile-summary';
import { CommandDelta, redisStats, statsDelta } from './lib/redis-stats';
import { measureStepCosts, StepCost } from './lib/step-costs';
import { guard } from './lib/guard';
import { RqDatabase, RQ_URL, runPythonBaseline } from './lib/python';
import { benchPrefix, REDIS_URL, removePrefix } from './lib/redis-keys';
import { publishSection, table } from './lib/report';
import { median } from './lib/stats';
import { args } from './lib/args';

const JOBS = Number(args.jobs ?? 20000);
const ROUNDS = Number(args.rounds ?? 3);
const CONCURRENCY = String(args.concurrency ?? '1,10,100').split(',').map(Number);
const INFLIGHT = Number(args.inflight ?? 200);
const RQ_JOBS = Number(args['rq-jobs'] ?? JOBS);
const RQ_FORK_JOBS = Number(args['rq-fork-jobs'] ?? 2000);
const MODE = args.mode === 'one' ? 'one' : 'two';
const CPU_PROF = args['cpu-prof'] === 'true';
const WITH_RQ = args['no-rq'] !== 'true';
/** Instead of the measured rounds: a MONITORed run, a --cpu-prof run, the step costs and A/B runs (own section). */
const PROFILE = args.profile === 'true';
const PROFILE_JOBS = Number(args['profile-jobs'] ?? 2000);
/** Rounds of each A/B experiment of the profile pass. */
const AB_ROUNDS = Number(args['ab-rounds'] ?? 3);
/** Concurrencies at which BullMQ alone runs as the reference (none: --bull-concurrency=). */
const BULL_CONCURRENCY = String(args['bull-concurrency'] ?? '10').split(',').filter(Boolean).map(Number);
/** Which runs each round makes: end to end (e2e) and drain (queued first). */
const RUN_DRAIN = String(args.modes ?? 'e2e,drain').split(',').filter((m) => m === 'e2e' || m === 'drain').map((m) => m === 'drain');

const redis = new Redis(REDIS_URL);
const rqDb = new RqDatabase();
const prefixes = new Set<string>();

interface OursRun {
  c: number;
  rate: number;
  submitRate: number;
  totalMs: number;
  failed: number;
  submitErrors: number;
  /** CPU ms per 1,000 jobs: submitter, worker node, Redis */
  cpu: { submitter: number; node: number; redis: number };
  commands: CommandDelta[];
}

interface RqRun {
  kind: 'simple' | 'fork';
  jobs: number;
  drainRate: number;
  enqueueRate: number;
  e2eRate: number;
  finished: number;
}

/**
 * One run of ours. End to end (default): submits and runs overlap, as in production. drain: the node's FIFO workers
 * are suspended while every job is submitted, then resumed; the rate is of the runs alone, as RQ's is measured.
 */
async function runOurs(c: number, round: number | string, opts: { cpuProf?: boolean; monitor?: boolean; jobs?: number; env?: Record<string, string>; drain?: boolean } = {}): Promise<OursRun & { monitor?: MonitorSummary }> {
  const jobs = opts.jobs ?? JOBS;
  const cpuProf = opts.cpuProf ?? CPU_PROF;
  const prefix = benchPrefix(`tp${c}`);
  prefixes.add(prefix);
  const env = baseEnv(REDIS_URL, prefix, {
    FIFO_CONCURRENCY: String(c), NETPULSE_NODE_NAME: 'bench-node', JOB_RESULT_TTL: '3600', HEARTBEAT_INTERVAL: '5', ...opts.env,
  });
  const children: PipelineChild[] = [];
  const kind = opts.drain ? 'drain' : 'e2e';
  try {
    let submitter: PipelineChild;
    let node: PipelineChild;
    if (MODE === 'one') {
      submitter = node = await startPipelineChild('both', `tp-both-c${c}-r${round}-${kind}`, env, { cpuProf });
      children.push(node);
    } else {
      node = await startPipelineChild('worker', `tp-node-c${c}-r${round}-${kind}`, env, { cpuProf });
      children.push(node);
      submitter = await startPipelineChild('submitter', `tp-submitter-c${c}-r${round}-${kind}`, env, { cpuProf });
      children.push(submitter);
    }
    let queued: { firstSubmitAt: number; lastSubmitAt: number; submitErrors: number; firstError?: string } | null = null;
    if (opts.drain) {
      await node.request({ type: 'hold' });
      queued = await submitter.request({ type: 'submit-all', jobs, inflight: INFLIGHT });
    }
    const cpu0 = { s: cpuMsOf(submitter.pid), n: cpuMsOf(node.pid) };
    const monitor = opts.monitor ? await startMonitor(REDIS_URL, prefix) : null;
    const stats0 = await redisStats(redis);
    let reply: ThroughputReply;
    if (queued) {
      const released = await node.request<{ at: number }>({ type: 'release' });
      const done = await submitter.request<{ doneAt: number; finished: number; failed: number }>({ type: 'wait-ended', jobs: jobs - queued.submitErrors });
      // The clock of the drain starts when the workers are resumed.
      reply = { type: 'throughput', ...queued, ...done, firstSubmitAt: released.at };
    } else {
      reply = await submitter.request<ThroughputReply>({ type: 'throughput', jobs, inflight: INFLIGHT });
    }
    const stats1 = await redisStats(redis);
    const monitored = monitor ? await monitor.stop() : undefined;
    const cpu1 = { s: cpuMsOf(submitter.pid), n: cpuMsOf(node.pid) };
    const delta = statsDelta(stats0, stats1);
    const totalMs = reply.doneAt - reply.firstSubmitAt;
    const per1k = (ms: number) => (ms / jobs) * 1000;
    const run: OursRun & { monitor?: MonitorSummary } = {
      monitor: monitored,
      c,
      rate: (reply.finished / totalMs) * 1000,
      submitRate: queued ? (jobs / (queued.lastSubmitAt - queued.firstSubmitAt)) * 1000 : (jobs / (reply.lastSubmitAt - reply.firstSubmitAt)) * 1000,
      totalMs,
      failed: reply.failed,
      submitErrors: reply.submitErrors,
      cpu: MODE === 'one'
        ? { submitter: per1k(cpu1.s - cpu0.s), node: 0, redis: per1k(delta.cpuMs) }
        : { submitter: per1k(cpu1.s - cpu0.s), node: per1k(cpu1.n - cpu0.n), redis: per1k(delta.cpuMs) },
      commands: delta.commands,
    };
    if (reply.finished < jobs) {
      throw new Error(`c=${c}: only ${reply.finished} of ${jobs} finished (${reply.failed} failed, ${reply.submitErrors} submit errors: ${reply.firstError ?? ''})`);
    }
    return run;
  } finally {
    for (const ch of children.reverse()) await ch.close();
    await removePrefix(redis, prefix);
    prefixes.delete(prefix);
  }
}

interface BullRun {
  c: number;
  rate: number;
  cpu: { submitter: number; node: number; redis: number };
}

/**
 * BullMQ alone (the floor under ours): the same adds and the same workers, no Nest, no job store, no-op processor.
 * drain: the workers start once every job is added (the rate is of the runs alone).
 */
async function runBull(c: number, round: number | string, opts: { perSlot?: boolean; drain?: boolean } = {}): Promise<BullRun> {
  const prefix = benchPrefix(`bull${c}`);
  prefixes.add(prefix);
  const env = baseEnv(REDIS_URL, prefix, { FIFO_CONCURRENCY: String(c), ...(opts.perSlot ? { BULL_PER_SLOT: '1' } : {}), ...(opts.drain ? { BULL_HOLD: '1' } : {}) });
  const children: PipelineChild[] = [];
  try {
    const worker = await startPipelineChild('bull-worker', `bull-worker-c${c}-r${round}`, env);
    children.push(worker);
    const submitter = await startPipelineChild('bull-submitter', `bull-submitter-c${c}-r${round}`, env);
    children.push(submitter);
    worker.send({ type: 'bull-expect', jobs: JOBS });
    // drain: fill the queue first, then measure from the workers' start; end to end: from the first add.
    if (opts.drain) await submitter.request({ type: 'bull-throughput', jobs: JOBS, inflight: INFLIGHT });
    const done = opts.drain ? null : worker.next<{ doneAt: number }>();
    const cpu0 = { s: cpuMsOf(submitter.pid), n: cpuMsOf(worker.pid) };
    const stats0 = await redisStats(redis);
    let startedAt: number;
    let d: { doneAt: number };
    if (done) {
      startedAt = (await submitter.request<{ firstSubmitAt: number }>({ type: 'bull-throughput', jobs: JOBS, inflight: INFLIGHT })).firstSubmitAt;
      d = await done;
    } else {
      startedAt = (await worker.request<{ at: number }>({ type: 'bull-run' })).at;
      d = await worker.next<{ doneAt: number }>();
    }
    const stats1 = await redisStats(redis);
    const cpu1 = { s: cpuMsOf(submitter.pid), n: cpuMsOf(worker.pid) };
    const per1k = (ms: number) => (ms / JOBS) * 1000;
    return {
      c, rate: (JOBS / (d.doneAt - startedAt)) * 1000,
      cpu: { submitter: per1k(cpu1.s - cpu0.s), node: per1k(cpu1.n - cpu0.n), redis: per1k(stats1.cpuMs - stats0.cpuMs) },
    };
  } finally {
    for (const ch of children.reverse()) await ch.close();
    await removePrefix(redis, prefix);
    prefixes.delete(prefix);
  }
}

async function runRq(kind: 'simple' | 'fork', jobs: number): Promise<RqRun> {
  const queue = `bench_rq_${process.pid}_${kind}`;
  const r = await runPythonBaseline<{ enqueue_s: number; drain_s: number; finished: number }>(
    'rq_baseline.py', [kind, jobs, RQ_URL, queue], `RQ ${kind}`, 280_000);
  await rqDb.empty();
  return {
    kind, jobs,
    drainRate: r.finished / r.drain_s,
    enqueueRate: jobs / r.enqueue_s,
    e2eRate: r.finished / (r.enqueue_s + r.drain_s),
    finished: r.finished,
  };
}

const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const x = (a: number, b: number) => `${(a / b).toFixed(a / b >= 100 ? 0 : 1)}x`;

async function main(): Promise<void> {
  if (PROFILE) {
    const load0 = readLoad();
    const lines = await profilePass();
    const section = [
      '## throughput-profile',
      '',
      `Rerun: \`npm run bench:throughput -- --profile --jobs=${JOBS} --profile-jobs=${PROFILE_JOBS} --ab-rounds=${AB_ROUNDS}\` (a diagnostic run of its own: no RQ, not the measured rounds of the throughput section).`,
      '',
      ...(await machineLines(redis)),
      `- load average before -> after: ${load0} -> ${readLoad()}`,
      '',
      ...lines,
    ];
    publishSection('throughput-profile', section);
    return;
  }
  if (WITH_RQ) {
    await rqDb.claim();
  }
  const ours = new Map<number, OursRun[]>(CONCURRENCY.map((c) => [c, []]));
  const oursDrain = new Map<number, OursRun[]>(CONCURRENCY.map((c) => [c, []]));
  const bull = new Map<number, BullRun[]>(BULL_CONCURRENCY.map((c) => [c, []]));
  const bullDrain = new Map<number, BullRun[]>(BULL_CONCURRENCY.map((c) => [c, []]));
  const rq = { simple: [] as RqRun[], fork: [] as RqRun[] };
  const load0 = readLoad();
  for (let round = 1; round <= ROUNDS; round++) {
    for (const c of CONCURRENCY) {
      for (const drain of RUN_DRAIN) {
        const r = await runOurs(c, round, { drain });
        (drain ? oursDrain : ours).get(c)!.push(r);
        console.log(`round ${round} ours c=${c}: ${fmt(r.rate)} jobs/s ${drain ? 'drain' : 'end to end'} (${(r.totalMs / 1000).toFixed(2)} s for ${JOBS}; submits ${fmt(r.submitRate)}/s)`
          + `; CPU ms per 1k jobs: submitter ${r.cpu.submitter.toFixed(0)}, node ${r.cpu.node.toFixed(0)}, redis ${r.cpu.redis.toFixed(0)}`);
      }
      if (BULL_CONCURRENCY.includes(c)) {
        for (const drain of RUN_DRAIN) {
          const b = await runBull(c, round, { drain });
          (drain ? bullDrain : bull).get(c)!.push(b);
          console.log(`round ${round} BullMQ alone c=${c}: ${fmt(b.rate)} jobs/s ${drain ? 'drain' : 'end to end'}; CPU ms per 1k jobs: adder ${b.cpu.submitter.toFixed(0)}, workers ${b.cpu.node.toFixed(0)}, redis ${b.cpu.redis.toFixed(0)}`);
        }
      }
    }
    if (WITH_RQ) {
      const s = await runRq('simple', RQ_JOBS);
      rq.simple.push(s);
      console.log(`round ${round} RQ SimpleWorker: ${fmt(s.drainRate)} jobs/s drain (${RQ_JOBS} jobs; enqueue ${fmt(s.enqueueRate)}/s)`);
      const f = await runRq('fork', RQ_FORK_JOBS);
      rq.fork.push(f);
      console.log(`round ${round} RQ Worker (fork): ${fmt(f.drainRate)} jobs/s drain (${RQ_FORK_JOBS} jobs; enqueue ${fmt(f.enqueueRate)}/s)`);
    }
  }
  const load1 = readLoad();
  await report({ e2e: ours, drain: oursDrain }, rq, `${load0} -> ${load1}`, [], { e2e: bull, drain: bullDrain });
}

function readLoad(): string {
  try {
    return execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).split(' ').slice(0, 3).join(' ');
  } catch {
    return '?';
  }
}

/** Where the time goes at FIFO_CONCURRENCY=10: Redis requests per job (MONITOR), CPU profiles, step costs. */
async function profilePass(): Promise<string[]> {
  const c = CONCURRENCY.includes(10) ? 10 : CONCURRENCY[0];
  console.log(`profile: a MONITORed run of ${PROFILE_JOBS} jobs at c=${c}...`);
  const monitored = await runOurs(c, 'mon', { monitor: true, cpuProf: false, jobs: PROFILE_JOBS });
  const mon = monitored.monitor!;
  console.log(`profile: a --cpu-prof run of ${JOBS} jobs at c=${c}...`);
  const since = Date.now();
  const profiled = await runOurs(c, 'prof', { cpuProf: true });
  console.log(`profile: step costs...`);
  const stepPrefix = benchPrefix('steps');
  prefixes.add(stepPrefix);
  let steps: StepCost[];
  try {
    steps = await measureStepCosts(REDIS_URL, stepPrefix, 1000);
  } finally {
    await removePrefix(redis, stepPrefix);
    prefixes.delete(stepPrefix);
  }
  const perJob = (n: number) => (n / PROFILE_JOBS).toFixed(2);
  const scriptRows = [...mon.scripts].sort((a, b) => b[1].calls - a[1].calls).map(([name, sc]) => {
    const inner = [...sc.inner.values()].reduce((a, b) => a + b, 0);
    const top = [...sc.inner].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, v]) => `${k} ${(v / sc.calls).toFixed(1)}`).join(', ');
    return [name, perJob(sc.calls), (inner / Math.max(1, sc.calls)).toFixed(1), perJob(inner), top];
  });
  const plainRows = [...mon.plain].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([cmd, n]) => [cmd, perJob(n)]);
  const innerTotal = [...mon.scripts.values()].reduce((n, sc) => n + [...sc.inner.values()].reduce((a, b) => a + b, 0), 0);
  const lines = [
    '### Profile (FIFO_CONCURRENCY=' + c + ')',
    '',
    `Redis requests per job, from MONITOR over a run of ${PROFILE_JOBS.toLocaleString('en-US')} jobs (only traffic naming this run's prefix; `
      + `that run: ${fmt(monitored.rate)} jobs/s, slowed by MONITOR): **${perJob(mon.requests)} requests per job**, `
      + `${perJob([...mon.scripts.values()].reduce((n, sc) => n + sc.calls, 0))} of them script calls running ${perJob(innerTotal)} commands inside Redis.`,
    '',
    ...table(['script', 'calls per job', 'commands inside per call', 'commands inside per job', 'most frequent inside (per call)'], scriptRows),
    '',
    ...table(['plain command', 'per job'], plainRows),
    '',
    `Each Redis step of one job alone, sequentially (${'1,000'} samples; round trip from a client in the benchmark process, the Redis shared):`,
    '',
    ...table(['step', 'p50 ms', 'p99 ms'], steps.map((st) => [st.step, st.p50.toFixed(3), st.p99.toFixed(3)])),
    '',
    `Sum of the p50s of the six job steps: ${steps.filter((st) => !st.step.startsWith('PING')).reduce((n, st) => n + st.p50, 0).toFixed(2)} ms.`,
    '',
    `CPU profiles of a run of ${JOBS.toLocaleString('en-US')} jobs (${fmt(profiled.rate)} jobs/s under the profiler):`,
    '',
  ];
  const prefixName = MODE === 'one' ? [`tp-both-c${c}-rprof`] : [`tp-node-c${c}-rprof`, `tp-submitter-c${c}-rprof`];
  for (const name of prefixName) {
    const file = latestProfile(name, since);
    if (file) lines.push(...profileLines(name.includes('node') ? 'worker node process' : name.includes('submitter') ? 'submitter process (ApiModule context)' : 'both contexts', summarizeProfile(file, 15), 15));
  }

  // What an auto-pipelined batch costs: scripts defined per connection, one Pipeline built (in a worker node child).
  const probeEnv = baseEnv(REDIS_URL, benchPrefix('probe'), { FIFO_CONCURRENCY: String(c), NETPULSE_NODE_NAME: 'probe-node' });
  prefixes.add(probeEnv.NETPULSE_KEY_PREFIX);
  const probe = await startPipelineChild('worker', 'probe-node', probeEnv);
  const io = await probe.request<{ commandScripts: number; workerScripts: number; autoPipelining: boolean; pipelineUs: number }>({ type: 'ioredis' });
  await probe.close();
  await removePrefix(redis, probeEnv.NETPULSE_KEY_PREFIX);
  prefixes.delete(probeEnv.NETPULSE_KEY_PREFIX);

  // A/B experiments, interleaved: ioredis auto-pipelining on as before 13f2503 (patched in the child processes only), and BullMQ
  // alone with the pool's shape (one Worker at concurrency c) versus c Workers at concurrency 1 (its shape until session 4).
  console.log(`profile: A/B experiments, ${AB_ROUNDS} rounds...`);
  const ab = { base: [] as OursRun[], auto: [] as OursRun[], bullPerSlot: [] as BullRun[], bullSingle: [] as BullRun[] };
  for (let r = 1; r <= AB_ROUNDS; r++) {
    ab.base.push(await runOurs(c, `ab${r}`, { cpuProf: false }));
    ab.auto.push(await runOurs(c, `abn${r}`, { cpuProf: false, env: { BENCH_AUTOPIPELINING: '1' } }));
    ab.bullPerSlot.push(await runBull(c, `ab${r}`, { perSlot: true }));
    ab.bullSingle.push(await runBull(c, `abs${r}`));
    console.log(`  round ${r}: ours ${fmt(ab.base[r - 1].rate)}, ours with auto-pipelining ${fmt(ab.auto[r - 1].rate)}, `
      + `BullMQ ${c}x1 ${fmt(ab.bullPerSlot[r - 1].rate)}, BullMQ 1x${c} ${fmt(ab.bullSingle[r - 1].rate)} jobs/s`);
  }
  const abRow = (name: string, runs: { rate: number; cpu: { submitter: number; node: number; redis: number } }[]) => [
    name, fmt(median(runs.map((r) => r.rate))), runs.map((r) => fmt(r.rate)).join(' / '),
    median(runs.map((r) => r.cpu.submitter)).toFixed(0), median(runs.map((r) => r.cpu.node)).toFixed(0), median(runs.map((r) => r.cpu.redis)).toFixed(0),
  ];
  lines.push(
    `#### A/B at FIFO_CONCURRENCY=${c} (${JOBS.toLocaleString('en-US')} jobs per run, ${AB_ROUNDS} rounds interleaved)`,
    '',
    'ioredis builds a `Pipeline` object for every auto-pipelined batch (`enableAutoPipelining: true` was set on every connection in '
      + '`src/redis/redis-connections.ts` until commit 13f2503, which turned it off), and the Pipeline constructor (ioredis/built/Pipeline.js, line 40) copies every script defined on the connection onto it. '
      + `Measured in a worker node context: the command connection carries ${io.commandScripts} scripts (job store, fleet store and BullMQ's, as BullMQ's Queue shares it), `
      + `each BullMQ worker connection ${io.workerScripts}; auto-pipelining ${io.autoPipelining ? 'on' : 'off'}; building one Pipeline on the command connection costs `
      + `${io.pipelineUs.toFixed(1)} µs of CPU (10,000 in a loop). The "with auto-pipelining" runs patch `
      + '`RedisConnections.baseOptions` in the child processes to `enableAutoPipelining: true` (`BENCH_AUTOPIPELINING=1`).',
    '',
    ...table(['variant', 'jobs/s (median)', 'per round', 'submitter CPU ms / 1k jobs', 'node (or BullMQ workers) CPU ms / 1k jobs', 'Redis CPU ms / 1k jobs'], [
      abRow('ours (as is)', ab.base),
      abRow('ours, enableAutoPipelining: true on every connection (as before 13f2503)', ab.auto),
      abRow(`BullMQ alone, 1 Worker at concurrency ${c} (the FIFO pool's shape)`, ab.bullSingle),
      abRow(`BullMQ alone, ${c} Workers at concurrency 1 (the pool's shape until session 4)`, ab.bullPerSlot),
    ]),
    '',
  );
  return lines;
}

type Modes<T> = { e2e: Map<number, T[]>; drain: Map<number, T[]> };
const MODE_NAMES = {
  e2e: { short: 'end to end', long: 'end to end (submits overlapping)' },
  drain: { short: 'drain', long: 'drain (all queued first, as RQ is measured)' },
} as const;

async function report(oursBy: Modes<OursRun>, rq: { simple: RqRun[]; fork: RqRun[] }, load: string, profile: string[], bullBy: Modes<BullRun>): Promise<void> {
  const simple = WITH_RQ ? median(rq.simple.map((r) => r.drainRate)) : NaN;
  const fork = WITH_RQ ? median(rq.fork.map((r) => r.drainRate)) : NaN;
  const ours = oursBy.e2e;
  const rows: string[][] = [];
  for (const mode of ['drain', 'e2e'] as const) {
    for (const [c, runs] of oursBy[mode]) {
      if (runs.length === 0) continue;
      const rate = median(runs.map((r) => r.rate));
      const target = c === 10 ? `>= 30x SimpleWorker and >= 100x Worker (~20,000/s)` : '(no target)';
      const met = c === 10 && WITH_RQ ? (rate >= 30 * simple && rate >= 100 * fork ? 'yes' : '**no**') : '-';
      rows.push([
        `ours, FIFO_CONCURRENCY=${c}, ${MODE_NAMES[mode].long}`, `${fmt(rate)}`, runs.map((r) => fmt(r.rate)).join(' / '),
        fmt(median(runs.map((r) => r.submitRate))),
        WITH_RQ ? x(rate, simple) : '-', WITH_RQ ? x(rate, fork) : '-', target, met,
      ]);
    }
    for (const [c, runs] of bullBy[mode]) {
      if (runs.length === 0) continue;
      const rate = median(runs.map((r) => r.rate));
      const oursRate = median((oursBy[mode].get(c) ?? []).map((r) => r.rate));
      rows.push([
        `BullMQ alone, 1 Worker at concurrency ${c}, ${MODE_NAMES[mode].short} (no Nest, no job store; ours = ${(oursRate / rate * 100).toFixed(0)}% of it)`, fmt(rate), runs.map((r) => fmt(r.rate)).join(' / '), '-',
        WITH_RQ ? x(rate, simple) : '-', WITH_RQ ? x(rate, fork) : '-', 'reference', '-',
      ]);
    }
  }
  if (WITH_RQ) {
    rows.push([`RQ SimpleWorker (${RQ_JOBS} jobs)`, fmt(simple), rq.simple.map((r) => fmt(r.drainRate)).join(' / '),
      fmt(median(rq.simple.map((r) => r.enqueueRate))), '1x', x(simple, fork), 'baseline', '-']);
    rows.push([`RQ Worker, forking (${RQ_FORK_JOBS} jobs)`, fmt(fork), rq.fork.map((r) => fmt(r.drainRate)).join(' / '),
      fmt(median(rq.fork.map((r) => r.enqueueRate))), x(fork, simple), '1x', 'baseline', '-']);
  }
  const cpuRows: string[][] = [];
  for (const mode of ['e2e', 'drain'] as const) {
    const label = `, ${MODE_NAMES[mode].short}`;
    for (const [c, runs] of oursBy[mode]) {
      if (runs.length === 0) continue;
      cpuRows.push([
        `ours, ${c}${label}`,
        median(runs.map((r) => r.cpu.submitter)).toFixed(0),
        MODE === 'one' ? '(in the same process)' : median(runs.map((r) => r.cpu.node)).toFixed(0),
        median(runs.map((r) => r.cpu.redis)).toFixed(0),
        `${(1e6 / median(runs.map((r) => r.rate))).toFixed(0)}`,
      ]);
    }
    for (const [c, runs] of bullBy[mode]) {
      if (runs.length === 0) continue;
      cpuRows.push([`BullMQ alone, ${c}${label}`, median(runs.map((r) => r.cpu.submitter)).toFixed(0), median(runs.map((r) => r.cpu.node)).toFixed(0),
        median(runs.map((r) => r.cpu.redis)).toFixed(0), `${(1e6 / median(runs.map((r) => r.rate))).toFixed(0)}`]);
    }
  }
  // Redis commands per job at concurrency 10 (median round by rate), the largest by time.
  const measured = [...ours.values()].some((r) => r.length > 0) ? ours : oursBy.drain;
  const ten = (measured.get(10)?.length ?? 0) > 0 ? measured.get(10)! : [...measured.values()].find((r) => r.length > 0)!;
  const mid = [...ten].sort((a, b) => a.rate - b.rate)[Math.floor(ten.length / 2)];
  const cmdRows = mid.commands.slice(0, 14).map((d) => [
    d.command, (d.calls / JOBS).toFixed(2), (d.usec / JOBS).toFixed(1), (d.usec / d.calls).toFixed(2),
  ]);
  const lines = [
    '## throughput',
    '',
    `Rerun: \`npm run bench:throughput -- --jobs=${JOBS} --rounds=${ROUNDS} --concurrency=${CONCURRENCY.join(',')} --inflight=${INFLIGHT} --bull-concurrency=${BULL_CONCURRENCY.join(',')}${PROFILE ? ' --profile' : ''} --rq-jobs=${RQ_JOBS} --rq-fork-jobs=${RQ_FORK_JOBS} --mode=${MODE}\``
      + ' (defaults: `npm run bench:throughput`).',
    '',
    ...(await machineLines(redis)),
    `- load average before -> after: ${load}${CPU_PROF ? '; **profiled run** (--cpu-prof): slower than normal' : ''}`,
    '',
    `Ours: ${JOBS.toLocaleString('en-US')} jobs per run submitted through \`JobSubmitter.submit\` (${MODE === 'two' ? 'an ApiModule context in one process, the worker node (WorkerModule context, FIFO_CONCURRENCY workers, no-op driver registered) in another' : 'ApiModule and WorkerModule contexts in one process'}), ${INFLIGHT} submissions in flight, `
      + 'each job: create, BullMQ add, BullMQ fetch, START, no-op run, END, BullMQ complete. Two runs per round: **end to end**, timed from the first submit until the job store\'s finished index holds them all, '
      + 'submits and runs sharing the machine; **drain**, every job submitted while the node\'s FIFO workers are suspended (POST /worker/suspend does the same), timed from their resume until all finished, as RQ is measured. '
      + `RQ ${'1.13'} (Debian python3-rq) on its own database (${RQ_URL.replace(/^redis:\/\/[^/]+/, '')}) of the same Redis: one enqueue per job, then one burst worker drains them; its rate is the drain alone (enqueue time left out, which favours RQ). `
      + `Each figure is the median of ${ROUNDS} rounds, ours and RQ interleaved in every round.`,
    '',
    ...table(['pipeline', 'jobs/s (median)', 'per round', 'submits/s (ours) or enqueues/s (RQ)', 'vs RQ SimpleWorker', 'vs RQ Worker', 'target', 'met'], rows),
    '',
    '### Where the time goes (ours)',
    '',
    'CPU time per 1,000 jobs of each process (from /proc and Redis `INFO cpu`), beside the wall time per 1,000 jobs. With 2 CPUs, the three '
      + 'together cannot use more than 2,000 ms per 1,000 ms of wall time. Drain rows count the drain alone (the submitter only polls the job store then).',
    '',
    ...table(['pipeline, FIFO_CONCURRENCY', 'submitter CPU ms / 1k jobs', 'worker node CPU ms / 1k jobs', 'Redis CPU ms / 1k jobs', 'wall ms / 1k jobs'], cpuRows),
    '',
    `Redis commands per job at FIFO_CONCURRENCY=${mid.c} (INFO commandstats delta over the run / ${JOBS}; the Redis is shared, so other runs' commands are in it too; `
      + 'commands a script calls are counted under their own names as well as inside evalsha\'s time):',
    '',
    ...table(['command', 'calls per job', 'µs per job', 'µs per call'], cmdRows),
    '',
    ...profile,
  ];
  publishSection('throughput', lines);
}

guard(main, async () => {
  await stopAllChildren();
  for (const p of prefixes) await removePrefix(redis, p);
  redis.disconnect();
  await rqDb.release();
});
