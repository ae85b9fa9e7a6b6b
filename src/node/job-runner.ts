import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { ConfigOutcome, ConnectionArgs, DeviceDriver, DeviceError, DeviceSession, DeviceType } from '../devices/drivers/device-driver';
import { JobRequest, JobResult } from '../jobs/job.model';
import { JobSecrets, JobStore, LoginReport } from '../jobs/job-store';
import { JobOutputLog } from '../jobs/job-output-log';
import { OutputParser } from '../templates/output-parser';
import { OutputRelay } from './output-relay';
import { DriverRegistry } from './driver-registry';
import { QueueRegistry } from '../redis/queue-registry';
import { FIFO_QUEUE } from '../redis/redis.constants';
import { AbortReason, Postponed, RunSlot } from './node-worker';
import { SessionSource } from './session-source';
import { WebhookSender } from './webhook-sender';
import { CredentialStore } from '../credentials/credential-store';
import { retryDelayMs } from '../jobs/job-retry';
import { configJobResult, configOptions, isConfigOutcome, readTimeoutMs, runOptions, withConfigAccount } from './config-result';

type Retval = string | Record<string, string>;

/** Fallback delay of a FIFO job waiting for a session on its host: base, plus this much per job waiting before it, at most max. */
const PARK_BASE_MS = 2000;
const PARK_PER_WAITER_MS = 100;
const PARK_MAX_MS = 60_000;

const STOP_MESSAGES: Record<Exclude<AbortReason, 'timeout'>, string> = {
  stopped: 'the job was stopped by an operator (DELETE /worker or DELETE /job?force=true)',
  shutdown: 'the worker node shut down before the job finished',
};

/** One job's run as the runner passes it down: what to do, how to stop, where output goes. */
interface JobRun {
  request: JobRequest;
  secrets: JobSecrets;
  signal: AbortSignal;
  /** output of each command done, for the result of a job that fails half way */
  progress: Record<string, string>;
  login: { outcome: LoginReport['login'] };
  onOutput: (command: string, chunk: string) => void;
  /** set once the session is open: a failure after it may have reached the device, and is never retried */
  connected: boolean;
}

/**
 * Runs one job on a worker: takes it in the job store (unless it was cancelled or waited too long),
 * drives the device through a session, records the result and sends the webhook. Never throws for
 * a device failure: that is the job's result.
 */
@Injectable()
export class JobRunner {
  private readonly logger = new Logger(JobRunner.name);

  constructor(
    private readonly store: JobStore,
    private readonly drivers: DriverRegistry,
    private readonly webhooks: WebhookSender,
    private readonly queues: QueueRegistry,
    private readonly config: AppConfig,
    private readonly parser: OutputParser,
    private readonly outputLog: JobOutputLog,
    private readonly credentials: CredentialStore,
  ) {}

  async run(jobId: string, slot: RunSlot): Promise<Postponed | void> {
    const worker = slot.name;
    const resultTtlMs = this.config.jobResultTtlSec * 1000;
    const maxSessions = slot.kind === 'fifo' ? this.config.maxSessionsPerHost : 0;
    const graceMs = this.config.jobRunGraceSec * 1000;
    const taken = await this.store.start(jobId, worker, this.config.nodeName, resultTtlMs, graceMs, maxSessions);
    if (taken.kind === 'wait') return this.postpone(jobId, taken.host, taken.waiters, maxSessions);
    // A scheduled job handed over before its time (clocks differ): back to the delayed set until then, unchanged.
    if (taken.kind === 'early') return { delayMs: Math.max(0, taken.runAt - this.store.redisNow()), parked: async () => undefined };
    if (taken.kind === 'expired') this.logger.warn({ job: jobId, worker }, 'job waited longer than JOB_TTL; not run');
    if (taken.kind === 'locked') this.logger.warn({ job: jobId, worker }, `job failed without trying the device: its host is locked until ${new Date(taken.until).toISOString()}`);
    if (taken.kind !== 'ok') return;

    const { request, secrets } = taken;
    const abort = new AbortController();
    slot.track({ id: jobId, abort });
    const timeout: AbortReason = 'timeout';
    const timer = setTimeout(() => abort.abort(timeout), request.timeout * 1000);
    const progress: Record<string, string> = {};
    const login: { outcome: LoginReport['login'] } = { outcome: 'none' };
    // Live output for GET /job/{id}/events, kept until END gives it the job's own TTL.
    const relay = new OutputRelay(this.outputLog, jobId, (request.timeout + this.config.jobResultTtlSec) * 1000);
    let status: 'finished' | 'failed' = 'finished';
    let result: JobResult;
    const run: JobRun = { request, secrets, signal: abort.signal, progress, login, onOutput: relay.push, connected: false };
    let retryIn: number | null = null;
    try {
      const retval = await this.execute(run, slot.sessions);
      result = isConfigOutcome(retval) ? configJobResult(retval) : this.parsed(request, retval);
      if (result.type === 'failed') status = 'failed';
    } catch (err) {
      status = 'failed';
      result = withConfigAccount(this.failure(err, request, abort.signal, progress, jobId), err);
      if (err instanceof DeviceError && err.type === 'AuthenticationError') login.outcome = 'failed';
      retryIn = retryDelay(err, run, taken.attempt);
    } finally {
      clearTimeout(timer);
    }
    // Followers must have every piece of output before they hear that the job ended.
    await relay.close();
    if (retryIn !== null) {
      const postponed = await this.retry(jobId, worker, retryIn, result);
      slot.track(null);
      if (postponed) return postponed;
    }
    const report: LoginReport = { host: request.host, login: login.outcome, limit: this.config.authFailureLimit, lockoutMs: this.config.authLockoutSec * 1000 };
    const { ended, lockedUntil, woken } = await this.store.finish(jobId, status, result, resultTtlMs, worker, report);
    // This job freed a session on its host that a FIFO job waits for: wake it (it may be waiting for its delay still).
    if (woken) void this.queues.promote(FIFO_QUEUE, woken).catch(() => undefined);
    if (lockedUntil !== null) {
      this.logger.warn({ job: jobId, host: request.host }, `host ${request.host} locked until ${new Date(lockedUntil).toISOString()} after ${this.config.authFailureLimit} consecutive authentication failures`);
    }
    slot.track(null);
    // Structured fields (job, worker) so one job's story can be found in the logs; debug: one line per job.
    this.logger.debug({ job: jobId, worker, status, result: result.type, error: result.error?.type, ms: Date.now() - taken.startedAt }, 'job ended');
    if (ended && secrets.webhook) await this.webhooks.enqueue(jobId, secrets.webhook);
  }

  /** The success result, with each output replaced by its records when the job asks for parsing (the raw text kept). */
  private parsed(request: JobRequest, retval: Retval): JobResult {
    if (!request.parsing || !request.command) return { type: 'success', retval, error: null };
    try {
      const records = this.parser.parseJobOutput(request.parsing, request.device_type, request.command, retval);
      return { type: 'success', retval: records, raw: retval, error: null };
    } catch (err) {
      // Nothing is lost: the output the device gave stays in retval.
      return { type: 'failed', retval, error: { type: 'ParseError', message: (err as Error).message } };
    }
  }

  /**
   * The job's host already runs MAX_SESSIONS_PER_HOST FIFO jobs: the job stays queued, goes back to BullMQ's delayed
   * set (the slot takes another job, no busy loop) and joins the host's waiters; the job that frees a session wakes
   * the oldest. The delay is only the fallback for a wake-up that never comes (a session freed by a sweeper or by a
   * node's takeover rather than by its job's end): longer as more jobs wait, so waiters never poll in a tight loop.
   */
  private postpone(jobId: string, host: string, waiters: number, maxSessions: number): Postponed {
    return {
      delayMs: Math.min(PARK_MAX_MS, PARK_BASE_MS + waiters * PARK_PER_WAITER_MS),
      parked: async () => {
        if ((await this.store.awaitSession(host, jobId, maxSessions)) === 'now') await this.queues.promote(FIFO_QUEUE, jobId);
      },
    };
  }

  /**
   * options.retry: the attempt is scheduled again (START takes it when its time comes); the worker puts BullMQ's job
   * in the delayed set for as long. Null when the job was no longer this worker's (it then ends as usual, and END skips).
   */
  private async retry(jobId: string, worker: string, delayMs: number, result: JobResult): Promise<Postponed | null> {
    const { retried, woken } = await this.store.retry(jobId, worker, delayMs);
    if (woken) void this.queues.promote(FIFO_QUEUE, woken).catch(() => undefined);
    if (!retried) return null;
    this.logger.log({ job: jobId, worker, error: result.error?.type, retry_in_ms: delayMs }, 'connection failed before any command reached the device: retrying');
    return { delayMs, parked: async () => undefined };
  }

  private async execute(run: JobRun, sessions: SessionSource): Promise<Retval | ConfigOutcome> {
    const { request, secrets, signal, login } = run;
    const driver = this.drivers.get(request.driver);
    // Notes a new login that succeeded (a kept session logs in only when it opens): it resets the host's count of
    // consecutive authentication failures.
    const noting: DeviceDriver = {
      connect: async (args, opts) => {
        const session = await driver.connect(args, opts);
        login.outcome = 'ok';
        return session;
      },
    };
    const session = await sessions.acquire(noting, this.connectionArgs(request, secrets), signal);
    run.connected = true;
    try {
      return await this.commands(session, run);
    } finally {
      await sessions.release(session);
    }
  }

  /**
   * How to log in: the job's own fields, over the credential set it names read now from CREDENTIALS_FILE (a rotated
   * file takes effect on the next job; the secrets never went through Redis).
   */
  private connectionArgs(request: JobRequest, secrets: JobSecrets): ConnectionArgs {
    const set = request.credential === undefined ? undefined : this.credentials.get(request.credential);
    if (request.credential !== undefined && !set) {
      throw new DeviceError('CredentialError', `credential set ${request.credential} is not in CREDENTIALS_FILE on node ${this.config.nodeName}`);
    }
    return {
      device_type: request.device_type as DeviceType,
      host: request.host,
      port: request.port,
      username: request.username || (set?.username ?? ''),
      password: secrets.password ?? set?.password,
      secret: secrets.secret ?? set?.secret,
      private_key: secrets.private_key ?? set?.private_key,
      passphrase: secrets.passphrase ?? set?.passphrase,
      timeout: request.connect_timeout,
      host_key_fingerprint: request.host_key_fingerprint,
    };
  }

  private async commands(session: DeviceSession, { request, signal, progress, onOutput }: JobRun): Promise<Retval | ConfigOutcome> {
    if (request.kind === 'test_connection') return { ...session.info };
    const opts = { readTimeoutMs: readTimeoutMs(request, this.config.readTimeoutSec), signal, maxOutputBytes: this.config.maxOutputBytes, onOutput };
    if (request.config) return session.configure(request.config, configOptions(request, opts));
    const commands = request.command ?? [];
    const run = runOptions(request, opts);
    for (const command of commands) progress[command] = await session.run(command, run);
    return request.single_command ? progress[commands[0]] : progress;
  }

  /** The result of a failed job: typed error, and whatever output arrived before the failure. */
  private failure(err: unknown, request: JobRequest, signal: AbortSignal, progress: Record<string, string>, jobId: string): JobResult {
    const partial = err instanceof DeviceError ? err.partialOutput : undefined;
    const retval = this.partialRetval(request, progress, partial);
    if (signal.aborted) {
      const reason = signal.reason as AbortReason;
      if (reason === 'timeout') {
        return { type: 'timeout', retval, error: { type: 'TimeoutError', message: `the job ran longer than its timeout of ${request.timeout} s and was aborted` } };
      }
      return { type: 'stopped', retval, error: { type: 'StoppedError', message: STOP_MESSAGES[reason] } };
    }
    if (err instanceof DeviceError) return { type: 'failed', retval, error: { type: err.type, message: err.message } };
    const e = err as Error;
    this.logger.error({ job: jobId, err: { name: e?.name, message: e?.message, stack: e?.stack } }, 'job failed unexpectedly');
    return { type: 'failed', retval, error: { type: 'InternalError', message: 'the worker failed unexpectedly; see the worker log' } };
  }

  private partialRetval(request: JobRequest, progress: Record<string, string>, partial?: string): Retval | null {
    const running = request.command?.find((c) => !(c in progress));
    if (request.single_command || request.config) return partial ?? null;
    const out = { ...progress };
    if (running && partial !== undefined) out[running] = partial;
    return Object.keys(out).length > 0 ? out : null;
  }
}

/** Failures of a connection that never opened, so no command reached the device: what options.retry retries. */
const RETRYABLE = new Set(['ConnectionRefusedError', 'ConnectionTimeoutError', 'HostUnreachableError']);

/**
 * The wait before the next attempt, or null when this failure is not retried: no retry asked or attempts used up; the
 * session had opened (a command, or a config line, may have reached the device); an authentication failure (retrying
 * it would count towards a lockout on the device); the job was stopped or timed out.
 */
function retryDelay(err: unknown, run: JobRun, attempt: number): number | null {
  const retry = run.request.retry;
  if (!retry || attempt >= retry.attempts || run.connected || run.signal.aborted) return null;
  if (!(err instanceof DeviceError) || !RETRYABLE.has(err.type)) return null;
  return retryDelayMs(retry, attempt);
}
