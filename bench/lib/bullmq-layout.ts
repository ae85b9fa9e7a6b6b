import { Queue, Worker } from 'bullmq';
import { JobResult } from '../../src/jobs/job.model';
import { PlannedJob } from './fixtures';

/**
 * BullMQ keeping the jobs itself (the "BullMQ alone"): the request as job data and the result as
 * return value, processed by a real worker and kept after completion (BullMQ's default). Ours instead adds
 * BullMQ jobs with removeOnComplete, so a finished job leaves nothing in BullMQ.
 */
export async function runBullJobs(redisUrl: string, prefix: string, jobs: PlannedJob[], result: JobResult): Promise<void> {
  const url = new URL(redisUrl);
  const connection = { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null };
  const queue = new Queue('FifoQ', { connection, prefix: `${prefix}:bull` });
  let done = 0;
  let resolveAll: () => void = () => undefined;
  const all = new Promise<void>((r) => (resolveAll = r));
  const worker = new Worker('FifoQ', () => Promise.resolve(result), { connection, prefix: `${prefix}:bull`, concurrency: 50, autorun: false });
  worker.on('completed', () => {
    if (++done === jobs.length) resolveAll();
  });
  try {
    for (let i = 0; i < jobs.length; i += 1000) {
      await queue.addBulk(jobs.slice(i, i + 1000).map((j) => ({ name: 'run', data: j.job.request })));
    }
    void worker.run();
    await all;
  } finally {
    await worker.close();
    await queue.close();
  }
}
