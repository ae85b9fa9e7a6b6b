/** Job states and result kinds of the contract (../shared/API.md, "Job model"). */
export const JOB_STATUSES = ['queued', 'started', 'finished', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const ENDED_STATUSES: readonly JobStatus[] = ['finished', 'failed', 'cancelled'];

export type ResultType = 'success' | 'failed' | 'stopped' | 'timeout';

export interface JobError {
  type: string;
  message: string;
}

export interface JobResult {
  type: ResultType;
  /** output: a string for one command, an object keyed by command for several */
  retval: string | Record<string, string> | null;
  error: JobError | null;
}

/** What a job was asked to do, as stored and returned: never a password, secret, key or webhook credential. */
export interface JobRequest {
  kind: 'execute' | 'test_connection';
  driver: string;
  device_type: string;
  host: string;
  port: number;
  username: string;
  /** connect timeout, seconds */
  connect_timeout?: number;
  host_key_fingerprint?: string;
  command?: string[];
  /** true when `command` was a single string: retval is then a string */
  single_command?: boolean;
  config?: string[];
  driver_args?: { read_timeout?: number };
  queue_strategy: 'fifo' | 'pinned';
  /** run timeout, seconds */
  timeout: number;
  webhook?: { url: string; method: string };
}

/** The job store's record, times in epoch milliseconds (Redis clock). */
export interface JobRecord {
  id: string;
  status: JobStatus;
  queue: string;
  host: string;
  node: string | null;
  worker: string | null;
  created_at: number;
  enqueued_at: number | null;
  started_at: number | null;
  ended_at: number | null;
  request: JobRequest | null;
  result: JobResult | null;
  /** `result` as the JSON text stored, on records read from the store (list pages send it without parsing) */
  resultJson?: string | null;
}

/** The job as the API returns it. */
export interface JobView {
  id: string;
  status: JobStatus;
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
  driver: string | null;
  device_type: string | null;
  command: string[] | null;
  config: string[] | null;
  /** where the job is sent when it ends (credentials never shown) */
  webhook: { url: string; method: string } | null;
}
