/** Job states and result kinds of the contract (../shared/API.md, "Job model"). */
export const JOB_STATUSES = ['queued', 'started', 'finished', 'failed', 'cancelled', 'scheduled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const ENDED_STATUSES: readonly JobStatus[] = ['finished', 'failed', 'cancelled'];

/** options.priority: 1 runs first, 10 last; a job without one has this. */
export const DEFAULT_PRIORITY = 5;

export type ResultType = 'success' | 'failed' | 'stopped' | 'timeout';

export interface JobError {
  type: string;
  message: string;
}

/** Records parsed from one command's output (TextFSM): Value names as keys, List values as arrays. */
export type ParsedRecords = Record<string, string | string[]>[];

/** Output in the job's shape: a string (or its records) for one command, an object keyed by command for several. */
export type JobOutput<T> = T | Record<string, T>;

export interface JobResult {
  type: ResultType;
  /** output: a string for one command, an object keyed by command for several; with `parsing`, records instead */
  retval: JobOutput<string> | JobOutput<ParsedRecords> | null;
  /** with `parsing`: the raw output, in retval's shape (absent otherwise) */
  raw?: JobOutput<string>;
  error: JobError | null;
}

/** How a command job's output is parsed on the worker node (`parsing` of the request, template resolved at submit). */
export interface ParsingSpec {
  name: 'textfsm';
  /** the template text, read from its source when the job was submitted */
  template?: string;
  /** where the template came from: `inline`, `file://NAME` or the URL (without credentials) */
  source?: string;
  use_ntc_template?: boolean;
  /** ntc-templates' platform and command; absent: the job's device_type and each command sent */
  ntc_template_args?: { platform: string; command: string };
}

/** How a config job's lines were rendered in the API (audit: the rendered lines are `config`). */
export interface RenderingSpec {
  name: 'jinja2';
  source: string;
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
  parsing?: ParsingSpec;
  rendering?: RenderingSpec;
  /** the bulk (POST /device/bulk) the job was submitted in */
  batch_id?: string;
  /** time options (issue 17): BullMQ priority 1 (first)..10, the schedule that made the job, the retry policy */
  priority?: number;
  schedule?: string;
  retry?: RetrySpec;
  /** the name of a credential set of CREDENTIALS_FILE, resolved on the worker node at each run (never stored resolved) */
  credential?: string;
}

/** options.retry: attempts in all (1..10), and the wait before each new attempt, seconds (doubled each time when exponential). */
export interface RetrySpec {
  attempts: number;
  backoff: 'fixed' | 'exponential';
  delay: number;
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
  /** when a scheduled job becomes queued (ms), null when it never was scheduled */
  run_at?: number | null;
  /** runs started so far (retries included) */
  attempts?: number;
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
  /** how the output is parsed (the template's source, not its text) */
  parsing: Omit<ParsingSpec, 'template'> | null;
  /** how `config` was rendered from a template */
  rendering: RenderingSpec | null;
  /** the bulk the job was submitted in (GET /job?batch=, GET /job/batch/{id}) */
  batch_id: string | null;
  /** time and credentials (issue 17) */
  run_at: string | null;
  priority: number;
  schedule: string | null;
  attempts: number;
  retry: RetrySpec | null;
  credential: string | null;
}

/** Every field of JobView, in its order: what `fields=` may name (GET /job). */
const JOB_VIEW_KEYS: Record<keyof JobView, true> = {
  id: true, status: true, queue: true, host: true, node: true, worker: true, created_at: true, enqueued_at: true,
  started_at: true, ended_at: true, result: true, duration: true, queue_time: true, driver: true, device_type: true,
  command: true, config: true, webhook: true, parsing: true, rendering: true, batch_id: true,
  run_at: true, priority: true, schedule: true, attempts: true, retry: true, credential: true,
};
export const JOB_VIEW_FIELDS = Object.keys(JOB_VIEW_KEYS) as (keyof JobView)[];

/** The fields of JobView read from the job's document (request and result); the others come from its record alone. */
export const DOCUMENT_FIELDS: ReadonlySet<keyof JobView> = new Set<keyof JobView>([
  'result', 'driver', 'device_type', 'command', 'config', 'webhook', 'parsing', 'rendering', 'batch_id',
  'priority', 'schedule', 'retry', 'credential',
]);
