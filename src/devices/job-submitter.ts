import { HttpStatus, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ApiError } from '../common/api-error';
import { Messages } from '../common/messages';
import { TimeFormatter } from '../common/time-format';
import { AppConfig } from '../config/app-config';
import { DEFAULT_PRIORITY, JobRecord, JobRequest, ParsingSpec, RenderingSpec } from '../jobs/job.model';
import { retryBudgetMs } from '../jobs/job-retry';
import { CredentialStore } from '../credentials/credential-store';
import { MAX_SCHEDULE_AHEAD_SEC } from './dto/time-options.dto';
import { HostLockedError, HostUnpinnedError, JobSecrets, JobStore, NewJob } from '../jobs/job-store';
import { QueueRegistry } from '../redis/queue-registry';
import { FIFO_QUEUE, pinnedQueueName } from '../redis/redis.constants';
import { NodeDirectory } from '../workers/node-directory';
import { PinnedPlacement } from '../workers/pinned-placement';
import { ConnectionArgsDto } from './dto/connection-args.dto';
import { ExecuteDto } from './dto/execute.dto';
import { configRules } from './config-rules';
import { HostAllowList } from './host-allowlist';

/** What the templates made of a request before it becomes a job: the parsing to store, the rendered config. */
export interface JobTemplates {
  parsing?: ParsingSpec;
  rendering?: { spec: RenderingSpec; lines: string[] };
}

/** A device job before it is stored: the request without secrets, and the secrets apart. */
export interface DeviceJobSpec {
  request: JobRequest;
  secrets: JobSecrets;
  /** options.run_at/delay: when the job becomes queued (ms, Redis clock) */
  runAt?: number;
}

/** How many times a pinned submit places its host when the placement it read was released meanwhile. */
const PLACE_ATTEMPTS = 3;

/** Secrets stay in Redis at most this much longer than the job could possibly live. */
const SECRET_SLACK_MS = 60_000;

/**
 * Turns a validated request into a stored, queued job: allow-list, queue choice, placement of the
 * pinned worker, then the job store and BullMQ. Nothing is written when a check fails.
 */
@Injectable()
export class JobSubmitter implements OnModuleInit {
  private readonly logger = new Logger(JobSubmitter.name);
  private readonly time: TimeFormatter;
  readonly allowList: HostAllowList;

  constructor(
    private readonly store: JobStore,
    private readonly queues: QueueRegistry,
    private readonly placement: PinnedPlacement,
    private readonly nodes: NodeDirectory,
    private readonly config: AppConfig,
    private readonly credentials: CredentialStore,
  ) {
    this.allowList = new HostAllowList(config.allowedHosts);
    this.time = new TimeFormatter(config.timeZone);
  }

  onModuleInit(): void {
    if (this.allowList.allowsAll) {
      this.logger.warn('ALLOWED_HOSTS is empty: jobs may target any host. Set it to the device networks in production.');
    }
  }

  /** Splits a request into what is stored with the job and the secrets kept apart. */
  spec(dto: ExecuteDto, kind: JobRequest['kind'] = 'execute', templates: JobTemplates = {}): DeviceJobSpec {
    const args = dto.connection_args;
    if (kind === 'execute' && (dto.command === undefined) === (dto.config === undefined)) {
      throw ApiError.badRequest(Messages.commandOrConfig, [{ field: 'command', error: Messages.commandOrConfig }]);
    }
    const request: JobRequest = {
      kind,
      driver: dto.driver,
      device_type: args.device_type,
      host: args.host,
      port: args.port ?? 22,
      username: args.username,
      queue_strategy: kind === 'test_connection' ? 'fifo' : (dto.options?.queue_strategy ?? 'pinned'),
      timeout: dto.options?.ttl ?? this.config.jobTimeoutSec,
    };
    if (dto.command !== undefined) {
      request.command = typeof dto.command === 'string' ? [dto.command] : dto.command;
      request.single_command = typeof dto.command === 'string';
    }
    if (templates.rendering) {
      request.config = templates.rendering.lines;
      request.rendering = templates.rendering.spec;
    } else if (dto.config !== undefined) {
      request.config = typeof dto.config === 'string' ? [dto.config] : (dto.config as string[]);
    }
    if (templates.parsing) request.parsing = templates.parsing;
    if (args.timeout !== undefined) request.connect_timeout = args.timeout;
    if (args.host_key_fingerprint !== undefined) request.host_key_fingerprint = args.host_key_fingerprint;
    if (kind === 'execute') Object.assign(request, configRules(request.config !== undefined, args.device_type, dto.driver_args, dto.options));
    const webhook = dto.options?.webhook;
    if (webhook) request.webhook = { url: redactUrl(webhook.url), method: webhook.method ?? 'POST' };
    const spec: DeviceJobSpec = { request, secrets: this.secretsOf(args, dto) };
    this.timeAndCredential(spec, dto);
    return spec;
  }

  /** Issue 17: priority, retry, run time and the credential reference of a request, checked (400 before anything is stored). */
  private timeAndCredential(spec: DeviceJobSpec, dto: ExecuteDto): void {
    const { request } = spec;
    const options = dto.options;
    if (options?.priority !== undefined) request.priority = options.priority;
    if (options?.retry) request.retry = { attempts: options.retry.attempts, backoff: options.retry.backoff ?? 'fixed', delay: options.retry.delay ?? DEFAULT_RETRY_DELAY_SEC };
    spec.runAt = runAtOf(options, this.store.redisNow());
    const credential = dto.connection_args.credential;
    if (credential === undefined) return;
    if (!this.credentials.has(credential)) {
      const error = this.credentials.configured ? Messages.unknownCredential(credential) : Messages.noCredentialsFile;
      throw ApiError.badRequest(error, [{ field: 'connection_args.credential', error }]);
    }
    request.credential = credential;
    // Taken from the set on the worker node at each run (a rotation may change it too); an inline username wins.
    request.username = dto.connection_args.username ?? '';
  }

  /** Checks, stores and enqueues one job; returns it as stored (status queued). */
  async submit(spec: DeviceJobSpec): Promise<JobRecord> {
    const { request } = spec;
    if (!this.allowList.allows(request.host)) {
      throw ApiError.badRequest(Messages.hostNotAllowed(request.host), [{ field: 'connection_args.host', error: 'not in ALLOWED_HOSTS' }]);
    }
    const queuedTtlMs = this.config.jobTtlSec * 1000;
    const secretTtlMs = Math.ceil(queuedTtlMs + request.timeout * 1000 + SECRET_SLACK_MS + timeAheadMs(spec, this.store.redisNow()));
    for (let attempt = 1; ; attempt++) {
      const route = await this.route(request);
      const id = this.store.newId();
      // A record Redis only gets to after this submit has timed out (and answered 503) must not be written: half the
      // command timeout is left for the reply to come back.
      const notAfter = this.store.redisNow() + this.config.redisCommandTimeoutMs / 2;
      const job: NewJob = {
        queue: route.queue, host: request.host, node: route.node, request, secrets: spec.secrets, queuedTtlMs, pinned: route.node !== undefined,
        batch: request.batch_id, runAt: spec.runAt,
      };
      try {
        const createdAt = await this.storeAndEnqueue(id, job, secretTtlMs, notAfter);
        const scheduled = spec.runAt !== undefined && spec.runAt > createdAt;
        return {
          id, status: scheduled ? 'scheduled' : 'queued', queue: route.queue, host: request.host, node: route.node ?? null, worker: null,
          created_at: createdAt, enqueued_at: scheduled ? null : createdAt, started_at: null, ended_at: null, request, result: null,
          run_at: spec.runAt ?? null, attempts: 0,
        };
      } catch (err) {
        // The host's idle pinned worker was released between reading its placement and storing the job (the insert
        // checks the pin): nothing was stored; place the host anew (a new id: the first one's BullMQ copy may linger).
        // The host is locked after repeated authentication failures (checked by the insert itself, no extra round trip).
        if (err instanceof HostLockedError) throw new ApiError(HttpStatus.LOCKED, Messages.hostLocked(err.host, err.failures, this.time.format(err.until)));
        if (!(err instanceof HostUnpinnedError)) throw err;
        if (attempt >= PLACE_ATTEMPTS) throw new ApiError(HttpStatus.SERVICE_UNAVAILABLE, Messages.placementRaced(request.host));
      }
    }
  }

  /**
   * The record and BullMQ's add in one round trip: both go out on the shared command connection (the queues use
   * it too, see QueueRegistry), the record first, so Redis has stored the job before BullMQ can hand it to a
   * worker. When either fails, the error goes to the caller.
   */
  private async storeAndEnqueue(id: string, job: NewJob, secretTtlMs: number, notAfter: number): Promise<number> {
    // Priority is BullMQ's (1 first; equal ones in submit order); every job carries one, the default included, because
    // BullMQ serves jobs without a priority before all prioritised ones. The delay is BullMQ's too (counted on this
    // process's clock: a worker handed the job early puts it off until the run time on the Redis clock, see START).
    const delay = job.runAt === undefined ? 0 : Math.max(0, Math.round(job.runAt - this.store.redisNow()));
    const opts = { priority: job.request.priority ?? DEFAULT_PRIORITY, ...(delay > 0 ? { delay } : {}) };
    const [stored, queued] = await Promise.allSettled([this.store.insert(id, job, secretTtlMs, notAfter), this.queues.add(job.queue, id, opts)]);
    if (stored.status === 'fulfilled' && queued.status === 'fulfilled') return stored.value;
    // A record without its BullMQ job would wait out its TTL: cancel it, kept no longer than the sweeper's next pass.
    // (A BullMQ job without its record needs nothing: its worker finds no record, skips it, and BullMQ drops it.)
    if (stored.status === 'fulfilled') await this.store.cancelIds([id], 0).catch(() => undefined);
    // A refused insert's BullMQ copy may have no worker to skip it (the host's worker was released): drop it.
    // (Refused for a lock, it would only cost a worker a fetch: dropped too.)
    else if (queued.status === 'fulfilled' && (stored.reason instanceof HostUnpinnedError || stored.reason instanceof HostLockedError)) {
      await this.queues.removeMany(job.queue, [id]);
    }
    throw stored.status === 'rejected' ? stored.reason : (queued as PromiseRejectedResult).reason;
  }

  private async route(request: JobRequest): Promise<{ queue: string; node?: string }> {
    if (request.queue_strategy === 'fifo') {
      if (!(await this.nodes.hasFifoWorker())) throw new ApiError(HttpStatus.SERVICE_UNAVAILABLE, Messages.noFifoWorker);
      return { queue: FIFO_QUEUE };
    }
    const node = await this.placement.nodeFor(request.host);
    if (!node) throw new ApiError(HttpStatus.SERVICE_UNAVAILABLE, Messages.noCapacity);
    return { queue: pinnedQueueName(request.host), node };
  }

  private secretsOf(args: ConnectionArgsDto, dto: ExecuteDto): JobSecrets {
    const secrets: JobSecrets = {};
    if (args.password !== undefined) secrets.password = args.password;
    if (args.secret !== undefined) secrets.secret = args.secret;
    if (args.private_key !== undefined) secrets.private_key = args.private_key;
    if (args.passphrase !== undefined) secrets.passphrase = args.passphrase;
    const webhook = dto.options?.webhook;
    if (webhook) {
      const auth = Array.isArray(webhook.auth) ? { username: webhook.auth[0], password: webhook.auth[1] } : webhook.auth;
      secrets.webhook = { url: webhook.url, method: webhook.method ?? 'POST', headers: webhook.headers, timeout: webhook.timeout, auth, max_retries: webhook.max_retries };
    }
    return secrets;
  }
}

/** options.retry without a delay waits this long before the second attempt, seconds. */
const DEFAULT_RETRY_DELAY_SEC = 10;

/** When a job with options.run_at or options.delay becomes queued (ms on the Redis clock), or undefined. */
function runAtOf(options: ExecuteDto['options'], now: number): number | undefined {
  if (options?.run_at !== undefined && options.delay !== undefined) {
    throw ApiError.badRequest(Messages.runAtOrDelay, [{ field: 'options.delay', error: Messages.runAtOrDelay }]);
  }
  if (options?.delay !== undefined) return Math.round(now + options.delay * 1000);
  if (options?.run_at === undefined) return undefined;
  const at = Date.parse(options.run_at);
  if (Number.isNaN(at) || at - now > MAX_SCHEDULE_AHEAD_SEC * 1000) {
    throw ApiError.badRequest(Messages.runAtRange, [{ field: 'options.run_at', error: Messages.runAtRange }]);
  }
  return at;
}

/** How much longer than an immediate job's this job may need its secrets: its wait until run_at, and its retries. */
function timeAheadMs(spec: DeviceJobSpec, now: number): number {
  const ahead = spec.runAt === undefined ? 0 : Math.max(0, spec.runAt - now);
  return ahead + retryBudgetMs(spec.request);
}

/** The commands of a request, as a list (a single string is one command). */
export function commandsOf(dto: Pick<ExecuteDto, 'command'>): string[] {
  return typeof dto.command === 'string' ? [dto.command] : (dto.command ?? []);
}

/** The webhook URL as stored with the job: user:password removed. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return '';
  }
}
