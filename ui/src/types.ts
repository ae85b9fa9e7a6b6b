/** The API's shapes as the dashboard reads them (see shared/API.md); extra fields are tolerated. */
export interface JobError {
  type: string;
  message: string;
}

export interface JobResult {
  type: string;
  retval: unknown;
  raw?: unknown;
  error: JobError | null;
}

export interface Job {
  id: string;
  status: string;
  queue: string;
  host: string;
  node: string | null;
  worker: string | null;
  created_at: string;
  enqueued_at: string | null;
  started_at: string | null;
  ended_at: string | null;
  result: JobResult | null;
  duration: number | null;
  queue_time: number | null;
  driver?: string | null;
  device_type?: string | null;
  command?: string[] | null;
  config?: string[] | null;
  webhook?: { url: string; method: string } | null;
  parsing?: Record<string, unknown> | null;
  rendering?: Record<string, unknown> | null;
  [extra: string]: unknown;
}

export interface Worker {
  name: string;
  status: string;
  pid: number;
  hostname: string;
  node: string;
  queues: string[];
  host: string | null;
  last_heartbeat: string;
  birth_at: string;
  successful_job_count: number;
  failed_job_count: number;
  current_job: string | null;
}

export const JOB_STATUSES = ['queued', 'started', 'finished', 'failed', 'cancelled', 'scheduled'] as const;
/** Statuses after which a job no longer changes. */
export const ENDED = new Set(['finished', 'failed', 'cancelled']);
