import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { TimeFormatter } from '../common/time-format';
import { AppConfig } from '../config/app-config';
import { JobSecrets, JobStore } from '../jobs/job-store';
import { toJobView } from '../jobs/job-view';
import { QueueRegistry } from '../redis/queue-registry';
import { WorkerFactory } from '../redis/worker-factory';

export const WEBHOOK_QUEUE = 'webhooks';
const ATTEMPTS = 5;
const FIRST_RETRY_MS = 1000;

interface Delivery {
  url: string;
  method: string;
  headers?: Record<string, string>;
  timeoutSec: number;
  body: string;
}

/**
 * Sends the ended job to its webhook through a BullMQ queue of its own: retries with exponential
 * backoff, and the worker that ran the job never waits for the receiver.
 */
@Injectable()
export class WebhookSender implements OnApplicationBootstrap {
  private readonly logger = new Logger(WebhookSender.name);
  private readonly time: TimeFormatter;

  constructor(
    private readonly queues: QueueRegistry,
    private readonly workers: WorkerFactory,
    private readonly store: JobStore,
    config: AppConfig,
  ) {
    this.time = new TimeFormatter(config.timeZone);
  }

  onApplicationBootstrap(): void {
    this.workers.create(WEBHOOK_QUEUE, (job: Job) => this.deliver(job.data as Delivery), { concurrency: 20 });
  }

  async enqueue(jobId: string, webhook: NonNullable<JobSecrets['webhook']>): Promise<void> {
    const record = await this.store.get(jobId);
    if (!record) return;
    const delivery: Delivery = {
      url: webhook.url,
      method: webhook.method,
      headers: webhook.headers,
      timeoutSec: webhook.timeout ?? 5,
      body: JSON.stringify(toJobView(record, this.time)),
    };
    await this.queues.get(WEBHOOK_QUEUE).add('deliver', delivery, {
      attempts: ATTEMPTS,
      backoff: { type: 'exponential', delay: FIRST_RETRY_MS },
      removeOnComplete: true,
      removeOnFail: true,
    });
  }

  private async deliver(d: Delivery): Promise<void> {
    const res = await fetch(d.url, {
      method: d.method,
      headers: { 'content-type': 'application/json', 'user-agent': 'netpulse-ts', ...d.headers },
      body: d.body,
      signal: AbortSignal.timeout(d.timeoutSec * 1000),
      redirect: 'manual',
    });
    if (res.status >= 300) {
      // The URL may carry credentials: log its origin only.
      this.logger.warn(`webhook to ${new URL(d.url).origin} answered ${res.status}; will retry`);
      throw new Error(`webhook answered ${res.status}`);
    }
  }
}
