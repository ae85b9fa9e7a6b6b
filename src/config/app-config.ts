import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { EnvVars } from './env.validation';

/** Typed, validated settings. The only reader of the environment (through ConfigService). */
@Injectable()
export class AppConfig {
  constructor(private readonly config: ConfigService<EnvVars, true>) {}

  private get<K extends keyof EnvVars>(key: K): EnvVars[K] {
    return this.config.get(key, { infer: true });
  }

  get port(): number { return this.get('PORT'); }
  get redisUrl(): string { return this.get('REDIS_URL'); }
  /** TLS material for Redis, read from the configured files (null when none is set). */
  get redisTls(): { ca?: Buffer; cert?: Buffer; key?: Buffer } | null {
    const read = (key: 'REDIS_TLS_CA_FILE' | 'REDIS_TLS_CERT_FILE' | 'REDIS_TLS_KEY_FILE') => {
      const file = this.get(key);
      return file ? readFileSync(file) : undefined;
    };
    const tls = { ca: read('REDIS_TLS_CA_FILE'), cert: read('REDIS_TLS_CERT_FILE'), key: read('REDIS_TLS_KEY_FILE') };
    return tls.ca || tls.cert || tls.key ? tls : null;
  }
  get redisSentinels(): { host: string; port: number }[] {
    return (this.get('REDIS_SENTINELS') ?? '').split(',').filter(Boolean).map((hp) => {
      const i = hp.lastIndexOf(':');
      return { host: hp.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(hp.slice(i + 1)) };
    });
  }
  get redisCommandTimeoutMs(): number { return this.get('REDIS_COMMAND_TIMEOUT_MS'); }
  get redisSentinelName(): string { return this.get('REDIS_SENTINEL_NAME'); }
  get redisSentinelPassword(): string | undefined { return this.get('REDIS_SENTINEL_PASSWORD'); }
  get apiKeys(): string[] {
    return this.get('NETPULSE_API_KEYS').split(',').map((k) => k.trim()).filter((k) => k.length > 0);
  }
  get apiKeysFile(): string | undefined { return this.get('NETPULSE_API_KEYS_FILE'); }
  get rateLimitPerMinute(): number { return this.get('RATE_LIMIT_PER_MINUTE'); }
  get keyPrefix(): string { return this.get('NETPULSE_KEY_PREFIX'); }
  get nodeName(): string { return this.get('NETPULSE_NODE_NAME') ?? hostname().replace(/[^A-Za-z0-9_.-]/g, '-'); }
  get timeZone(): string { return this.get('TZ'); }
  get jobTtlSec(): number { return this.get('JOB_TTL'); }
  get jobTimeoutSec(): number { return this.get('JOB_TIMEOUT'); }
  get jobResultTtlSec(): number { return this.get('JOB_RESULT_TTL'); }
  get jobRunGraceSec(): number { return this.get('JOB_RUN_GRACE'); }
  get workerTtlSec(): number { return this.get('WORKER_TTL'); }
  get deadWorkerRetentionSec(): number { return this.get('DEAD_WORKER_RETENTION'); }
  get schedulerStrategy(): string { return this.get('SCHEDULER_STRATEGY'); }
  get shutdownGraceSec(): number { return this.get('SHUTDOWN_GRACE'); }
  get controlTimeoutMs(): number { return this.get('CONTROL_TIMEOUT_MS'); }
  get heartbeatIntervalSec(): number { return this.get('HEARTBEAT_INTERVAL'); }
  get nodeCapacity(): number { return this.get('NODE_CAPACITY'); }
  get fifoConcurrency(): number { return this.get('FIFO_CONCURRENCY'); }
  get pinnedIdleTimeoutSec(): number { return this.get('PINNED_IDLE_TIMEOUT'); }
  get pinnedReleaseAfterSec(): number { return this.get('PINNED_RELEASE_AFTER'); }
  get authFailureLimit(): number { return this.get('AUTH_FAILURE_LIMIT'); }
  get authLockoutSec(): number { return this.get('AUTH_LOCKOUT'); }
  get maxSessionsPerHost(): number { return this.get('MAX_SESSIONS_PER_HOST'); }
  get maxOutputBytes(): number { return this.get('MAX_OUTPUT_BYTES'); }
  get readTimeoutSec(): number { return this.get('READ_TIMEOUT'); }
  get allowedHosts(): string[] {
    return this.get('ALLOWED_HOSTS').split(',').map((h) => h.trim()).filter((h) => h.length > 0);
  }
  get bodyLimitBytes(): number { return this.get('BODY_LIMIT'); }
  get sweepIntervalMs(): number { return this.get('SWEEP_INTERVAL_MS'); }
  get logLevel(): string { return this.get('LOG_LEVEL'); }
  get metricsPublic(): boolean { return this.get('METRICS_PUBLIC') === 'true'; }
  get healthCacheMs(): number { return this.get('HEALTH_CACHE_MS'); }
  get sshUnknownHosts(): string { return this.get('SSH_UNKNOWN_HOSTS'); }
  get webhookSigningSecret(): string | undefined { return this.get('WEBHOOK_SIGNING_SECRET') || undefined; }
  get templatesDir(): string | undefined { return this.get('TEMPLATES_DIR') || undefined; }
  get ntcTemplatesDir(): string | undefined { return this.get('NTC_TEMPLATES_DIR') || undefined; }
  get templateUrlAllowList(): string[] {
    return this.get('TEMPLATE_URL_ALLOWLIST').split(',').map((h) => h.trim().toLowerCase()).filter((h) => h.length > 0);
  }
  get templateMaxBytes(): number { return this.get('TEMPLATE_MAX_BYTES'); }
  get templateFetchTimeoutMs(): number { return this.get('TEMPLATE_FETCH_TIMEOUT_MS'); }
  get workerProbePort(): number { return this.get('WORKER_PROBE_PORT'); }
  /** issue 17: named credential sets (connection_args.credential), and how late a schedule's occurrence may still run */
  get credentialsFile(): string | undefined { return this.get('CREDENTIALS_FILE') || undefined; }
  get scheduleMisfireGraceSec(): number { return this.get('SCHEDULE_MISFIRE_GRACE'); }
}
