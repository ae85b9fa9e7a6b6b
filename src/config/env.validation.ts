import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateIf, validateSync } from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));

/**
 * Every environment variable the service reads, validated once at boot.
 * Nothing else in the code reads process.env (AppConfig exposes typed getters).
 */
export class EnvVars {
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(65535)
  PORT = 9000;

  @IsOptional() @IsString() @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must start with redis:// or rediss://' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** a Redis command on the shared connection that gets no answer within this many ms fails (503 on the API) */
  @IsOptional() @Transform(toInt) @IsInt() @Min(100)
  REDIS_COMMAND_TIMEOUT_MS = 2000;

  /** TLS to Redis (with rediss:// URLs): CA bundle, and a client certificate and key where Redis asks for one */
  @IsOptional() @IsString()
  REDIS_TLS_CA_FILE?: string;

  @IsOptional() @IsString()
  REDIS_TLS_CERT_FILE?: string;

  @IsOptional() @IsString()
  REDIS_TLS_KEY_FILE?: string;

  /** Sentinel: comma-separated host:port of the sentinels, and the master's name; REDIS_URL then gives only credentials and db */
  @IsOptional() @IsString() @Matches(/^[A-Za-z0-9.:_[\]-]+(,[A-Za-z0-9.:_[\]-]+)*$/, { message: 'REDIS_SENTINELS must be host:port,host:port' })
  REDIS_SENTINELS?: string;

  @IsOptional() @IsString()
  REDIS_SENTINEL_NAME = 'mymaster';

  @IsOptional() @IsString()
  REDIS_SENTINEL_PASSWORD?: string;

  /** comma-separated API keys; this or NETPULSE_API_KEYS_FILE is required */
  @ValidateIf((env: EnvVars) => !env.NETPULSE_API_KEYS_FILE)
  @IsString() @IsNotEmpty({ message: 'NETPULSE_API_KEYS is required (a comma-separated list of API keys), unless NETPULSE_API_KEYS_FILE is set' })
  NETPULSE_API_KEYS = '';

  /** a file of API keys (comma- or line-separated), re-read when it changes: rotation without restart */
  @IsOptional() @IsString()
  NETPULSE_API_KEYS_FILE?: string;

  /** requests per minute per API key, per API process; 0 = no limit */
  @IsOptional() @Transform(toInt) @IsInt() @Min(0)
  RATE_LIMIT_PER_MINUTE = 0;

  @IsOptional() @IsString() @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'NETPULSE_KEY_PREFIX may hold letters, digits, _ . - (1-64)' })
  NETPULSE_KEY_PREFIX = 'netpulse';

  @IsOptional() @IsString() @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'NETPULSE_NODE_NAME may hold letters, digits, _ . - (1-64)' })
  NETPULSE_NODE_NAME?: string;

  @IsOptional() @IsString()
  TZ = 'UTC';

  /** seconds a job may wait in its queue before it fails with result.type=timeout */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1)
  JOB_TTL = 1800;

  /** default run timeout, seconds (a request's options.ttl overrides it, 1..3600) */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(3600)
  JOB_TIMEOUT = 300;

  /**
   * seconds a started job may run past its timeout before the sweep fails it (its worker stopped answering: a frozen
   * or partitioned node the reaper has not caught, an end lost with Redis); read by worker nodes when a job starts
   */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(86400)
  JOB_RUN_GRACE = 30;

  /** seconds an ended job stays queryable */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(30 * 86400)
  JOB_RESULT_TTL = 300;

  /** a worker or node whose heartbeat is older than this many seconds is dead (2x the heartbeat interval) */
  @IsOptional() @Transform(toInt) @IsInt() @Min(2)
  WORKER_TTL = 10;

  /** dead workers stay listed this many seconds, then are pruned */
  @IsOptional() @Transform(toInt) @IsInt() @Min(0)
  DEAD_WORKER_RETENTION = 300;

  /** how a new pinned worker's node is chosen */
  @IsOptional() @IsIn(['greedy', 'least_load', 'least_load_random', 'load_weighted_random'])
  SCHEDULER_STRATEGY = 'load_weighted_random';

  /** seconds a stopping node lets running jobs finish before interrupting them */
  @IsOptional() @Transform(toInt) @IsInt() @Min(0)
  SHUTDOWN_GRACE = 30;

  /** milliseconds DELETE /worker and a forced job stop wait for the node to confirm */
  @IsOptional() @Transform(toInt) @IsInt() @Min(100)
  CONTROL_TIMEOUT_MS = 3000;

  /** heartbeat interval of nodes and workers, seconds */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1)
  HEARTBEAT_INTERVAL = 5;

  /** how many pinned workers (device sessions) one node hosts */
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(100000)
  NODE_CAPACITY = 128;

  /** concurrent FIFO jobs on one node (0 disables the FIFO worker on that node) */
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(1000)
  FIFO_CONCURRENCY = 10;

  /** a pinned worker closes its SSH session after this many idle seconds */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1)
  PINNED_IDLE_TIMEOUT = 300;

  /** a pinned worker that had no job for this many seconds is stopped and its host unpinned (its capacity freed); 0 = never */
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(30 * 86400)
  PINNED_RELEASE_AFTER = 3600;

  /** consecutive authentication failures of jobs on one host that lock it (new jobs 423, queued ones fail); 0 = never lock */
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(1000)
  AUTH_FAILURE_LIMIT = 3;

  /** seconds a host stays locked after AUTH_FAILURE_LIMIT failures (DELETE /device/lockout clears it sooner) */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(30 * 86400)
  AUTH_LOCKOUT = 300;

  /** FIFO jobs running on one host at once, across the fleet (the rest wait their turn); 0 = no limit */
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(10000)
  MAX_SESSIONS_PER_HOST = 2;

  /** output above this many bytes fails the command with OutputTooLargeError */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1024)
  MAX_OUTPUT_BYTES = 10 * 1024 * 1024;

  /** default per-command read timeout, seconds */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(3600)
  READ_TIMEOUT = 30;

  /** comma-separated hosts and CIDRs jobs may target; empty = every host (a warning is logged) */
  @IsOptional() @IsString()
  ALLOWED_HOSTS = '';

  /** largest accepted request body, bytes */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1024)
  BODY_LIMIT = 1024 * 1024;

  /** how often a node sweeps expired and overdue jobs, milliseconds */
  @IsOptional() @Transform(toInt) @IsInt() @Min(50)
  SWEEP_INTERVAL_MS = 1000;

  @IsOptional() @IsIn(['fatal', 'error', 'warn', 'log', 'info', 'debug', 'verbose'])
  LOG_LEVEL = 'log';

  /** GET /metrics answers without an API key (for Prometheus scrapers that cannot send X-API-KEY) */
  @IsOptional() @IsIn(['true', 'false'])
  METRICS_PUBLIC = 'false';

  /** how long the full GET /health report is reused, milliseconds (frequent scrapes do not hammer Redis) */
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(60000)
  HEALTH_CACHE_MS = 1500;

  /** devices whose host key is not pinned (connection_args.host_key_fingerprint): accept, or reject */
  @IsOptional() @IsIn(['accept', 'reject'])
  SSH_UNKNOWN_HOSTS = 'accept';

  /** PEM certificate and key: the API serves HTTPS when both are set */
  @IsOptional() @IsString()
  TLS_CERT_FILE?: string;

  @IsOptional() @IsString()
  TLS_KEY_FILE?: string;

  /** HMAC-SHA256 key that signs every webhook call (X-NetPulse-Timestamp, X-NetPulse-Signature); unset: unsigned */
  @IsOptional() @IsString() @MinLength(16, { message: 'WEBHOOK_SIGNING_SECRET must be at least 16 characters' })
  WEBHOOK_SIGNING_SECRET?: string;

  /** folder of `file://NAME` templates; a template path that leaves it (`..`, absolute, a link out) is refused */
  @IsOptional() @IsString()
  TEMPLATES_DIR?: string;

  /** ntc-templates folder (its `index` and templates) for `use_ntc_template`; unset: such requests get 400 */
  @IsOptional() @IsString()
  NTC_TEMPLATES_DIR?: string;

  /** comma-separated host names `http(s)://` templates may come from; empty = none (remote templates refused) */
  @IsOptional() @IsString() @Matches(/^[A-Za-z0-9.:_[\]*-]*(,[A-Za-z0-9.:_[\]*-]+)*$/, { message: 'TEMPLATE_URL_ALLOWLIST must be host names separated by commas' })
  TEMPLATE_URL_ALLOWLIST = '';

  /** largest template accepted from any source, bytes */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1024) @Max(16 * 1024 * 1024)
  TEMPLATE_MAX_BYTES = 256 * 1024;

  /** how long fetching an `http(s)://` template may take, milliseconds */
  @IsOptional() @Transform(toInt) @IsInt() @Min(100) @Max(60000)
  TEMPLATE_FETCH_TIMEOUT_MS = 5000;

  /** port of the worker node's probe listener (/health/live, /health/ready); 0 = any free port */
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(65535)
  WORKER_PROBE_PORT = 9001;

  /** JSON or YAML file of named credential sets for connection_args.credential (a mounted Secret); re-read when it changes */
  @IsOptional() @IsString()
  CREDENTIALS_FILE?: string;

  /** a schedule's occurrence that fires later than this many seconds (everything was down) is reported as missed, not run */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(86400)
  SCHEDULE_MISFIRE_GRACE = 60;
}

/** ConfigModule's validate hook: fail fast with a message naming each bad variable. */
export function validateEnv(raw: Record<string, unknown>): EnvVars {
  const env = plainToInstance(EnvVars, raw, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`);
    throw new Error(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return env;
}
