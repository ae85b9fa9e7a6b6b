import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { TimeFormatter } from '../common/time-format';
import { AppConfig } from '../config/app-config';
import { JobStore, WebhookTarget } from '../jobs/job-store';
import { WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER, webhookSignature } from '../common/webhook-signature';
import { DEFAULT_WEBHOOK_RETRIES } from '../devices/dto/execute.dto';
import { toJobView } from '../jobs/job-view';
import { QueueRegistry } from '../redis/queue-registry';
import { WorkerFactory } from '../redis/worker-factory';

export const WEBHOOK_QUEUE = 'webhooks';
const FIRST_RETRY_MS = 1000;

/** What a webhook call says happened: the body's `event_type` and the X-NetPulse-Event header. */
export type WebhookEvent = 'job.finished' | 'job.failed';

interface Delivery {
  url: string;
  method: string;
  headers?: Record<string, string>;
  auth?: { username: string; password: string };
  event: WebhookEvent;
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
  private readonly signingSecret: string | undefined;

  constructor(
    private readonly queues: QueueRegistry,
    private readonly workers: WorkerFactory,
    private readonly store: JobStore,
    config: AppConfig,
  ) {
    this.time = new TimeFormatter(config.timeZone);
    this.signingSecret = config.webhookSigningSecret;
  }

  onApplicationBootstrap(): void {
    this.workers.create(WEBHOOK_QUEUE, (job: Job) => this.deliver(job.data as Delivery), { concurrency: 20 });
  }

  async enqueue(jobId: string, webhook: WebhookTarget): Promise<void> {
    const record = await this.store.get(jobId);
    if (!record) return;
    const event: WebhookEvent = record.status === 'finished' ? 'job.finished' : 'job.failed';
    const delivery: Delivery = {
      url: webhook.url,
      method: webhook.method,
      headers: webhook.headers,
      auth: webhook.auth,
      event,
      timeoutSec: webhook.timeout ?? 5,
      // event_type first, then the job as GET /job shows it (receivers of the job-only body keep working)
      body: JSON.stringify({ event_type: event, ...toJobView(record, this.time) }),
    };
    await this.queues.get(WEBHOOK_QUEUE).add('deliver', delivery, {
      attempts: (webhook.max_retries ?? DEFAULT_WEBHOOK_RETRIES) + 1,
      backoff: { type: 'exponential', delay: FIRST_RETRY_MS },
      removeOnComplete: true,
      removeOnFail: true,
    });
  }

  private async deliver(d: Delivery): Promise<void> {
    const res = await fetch(d.url, {
      method: d.method,
      headers: { ...this.headersOf(d), ...d.headers },
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

  /** Our headers: JSON, the event, basic auth, and (WEBHOOK_SIGNING_SECRET set) a signature made at each attempt. */
  private headersOf(d: Delivery): Record<string, string> {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'netpulse-ts', 'x-netpulse-event': d.event };
    if (d.auth) headers.authorization = `Basic ${Buffer.from(`${d.auth.username}:${d.auth.password}`).toString('base64')}`;
    if (this.signingSecret) {
      const timestamp = Math.floor(Date.now() / 1000);
      headers[WEBHOOK_TIMESTAMP_HEADER.toLowerCase()] = String(timestamp);
      headers[WEBHOOK_SIGNATURE_HEADER.toLowerCase()] = webhookSignature(this.signingSecret, timestamp, d.body);
    }
    return headers;
  }
}
