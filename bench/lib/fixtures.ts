import { JobRequest, JobResult } from '../../src/jobs/job.model';
import { JobStore, NewJob } from '../../src/jobs/job-store';

/**
 * The data both benchmarks store: a realistic request (~560 B of JSON) and a 2 KB command output,
 * spread over 50 hosts, FIFO and pinned queues and 3 worker nodes.
 */
export const HOSTS = Array.from({ length: 50 }, (_, i) => `10.20.${Math.floor(i / 10)}.${11 + (i % 10) * 7}`);
export const NODES = ['worker-node-a', 'worker-node-b', 'worker-node-c'];
export const FIFO_QUEUE = 'FifoQ';
export const pinnedQueue = (host: string): string => `pinned_${host}`;
/** Share of jobs sent to the FIFO queue; the rest go to their host's pinned queue. */
const FIFO_SHARE = 0.4;
/** Long enough that nothing expires or becomes overdue while a benchmark runs. */
export const DAY_MS = 86_400_000;

const COMMANDS = [
  'show version',
  'show running-config | section interface GigabitEthernet1/0/24',
  'show ip interface brief',
  'show interfaces GigabitEthernet1/0/24 counters errors',
  'show cdp neighbors detail',
  'show logging | include LINEPROTO-5-UPDOWN',
];

export function makeRequest(host: string, pinned: boolean): JobRequest {
  return {
    kind: 'execute', driver: 'netmiko', device_type: 'cisco_ios', host, port: 22, username: 'netops-automation',
    connect_timeout: 10, command: COMMANDS, single_command: false, driver_args: { read_timeout: 30 },
    queue_strategy: pinned ? 'pinned' : 'fifo', timeout: 300,
    webhook: { url: 'https://hooks.example.net/netpulse', method: 'POST' },
  };
}

/** 2 KB of `show version`-like text: the stored command output of a finished job. */
export const OUTPUT_BYTES = 2048;
const OUTPUT = (() => {
  const line = 'Cisco IOS XE Software, Version 17.09.04a - GigabitEthernet1/0/24 is up, line protocol is up (connected)\n';
  return line.repeat(Math.ceil(OUTPUT_BYTES / line.length)).slice(0, OUTPUT_BYTES);
})();
export const SUCCESS: JobResult = { type: 'success', retval: OUTPUT, error: null };
const FAILURE: JobResult = {
  type: 'failed', retval: null,
  error: { type: 'CommandError', message: "% Invalid input detected at '^' marker. (show spanning-tree interface)" },
};

export type Fate = 'finished' | 'failed' | 'queued' | 'started';

/** 80% finished, 10% failed, 5% queued, 5% started. */
export function mixedFate(r = Math.random()): Fate {
  if (r < 0.8) return 'finished';
  if (r < 0.9) return 'failed';
  if (r < 0.95) return 'queued';
  return 'started';
}

/** A job to store: what is submitted, how it ends, where it runs. */
export interface PlannedJob {
  job: NewJob;
  fate: Fate;
  runNode: string;
  worker: string;
}

export function planJob(fate: Fate): PlannedJob {
  const hi = Math.floor(Math.random() * HOSTS.length);
  const host = HOSTS[hi];
  const fifo = Math.random() < FIFO_SHARE;
  const pinnedNode = NODES[hi % NODES.length];
  const runNode = fifo ? NODES[Math.floor(Math.random() * NODES.length)] : pinnedNode;
  const queue = fifo ? FIFO_QUEUE : pinnedQueue(host);
  return {
    job: { queue, host, node: fifo ? undefined : pinnedNode, request: makeRequest(host, !fifo), secrets: { password: 'bench-secret' }, queuedTtlMs: DAY_MS },
    fate,
    runNode,
    worker: fifo ? `${FIFO_QUEUE}@${runNode}#${Math.floor(Math.random() * 10)}` : `${queue}@${runNode}`,
  };
}

export interface FilledJob extends PlannedJob {
  id: string;
}

/**
 * Adds `count` jobs through the store's real transitions (create, start, end), `batch` at a time:
 * each batch's calls are issued together, so ioredis pipelines them. `onBatch` sees each batch once
 * stored (the list benchmark writes the original's layout of the same jobs from it).
 */
export async function fill(
  store: JobStore, count: number, fate: () => Fate, onBatch?: (jobs: FilledJob[]) => Promise<void>, batch = 2000,
): Promise<void> {
  for (let done = 0; done < count; done += batch) {
    const plans = Array.from({ length: Math.min(batch, count - done) }, () => planJob(fate()));
    const ids = await Promise.all(plans.map((p) => store.create(p.job, DAY_MS)));
    const running = plans.map((p, i) => ({ p, id: ids[i] })).filter(({ p }) => p.fate !== 'queued');
    await Promise.all(running.map(({ p, id }) => store.start(id, p.worker, p.runNode, DAY_MS, DAY_MS)));
    const ending = running.filter(({ p }) => p.fate === 'finished' || p.fate === 'failed');
    const ended = await Promise.all(ending.map(({ p, id }) =>
      store.end(id, p.fate as 'finished' | 'failed', p.fate === 'finished' ? SUCCESS : FAILURE, DAY_MS, p.worker)));
    if (ended.some((ok) => !ok)) throw new Error('a job did not end: the fill is not what it claims');
    if (onBatch) await onBatch(plans.map((p, i) => ({ ...p, id: ids[i] })));
  }
}
