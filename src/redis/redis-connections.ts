import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis, { RedisOptions } from 'ioredis';
import { AppConfig } from '../config/app-config';

const QUIT_WAIT_MS = 2000;

/**
 * Owns every ioredis connection of the process. Other modules get the shared command
 * connection through the REDIS token, or ask here for a dedicated one (blocking reads).
 */
@Injectable()
export class RedisConnections implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisConnections.name);
  private readonly dedicated = new Set<Redis>();
  private readonly lastWrites: (() => Promise<void>)[] = [];
  readonly command: Redis;
  /** Prefix of every key this service writes, e.g. `netpulse`. */
  readonly keyPrefix: string;

  constructor(private readonly config: AppConfig) {
    this.keyPrefix = config.keyPrefix;
    // Request paths must fail fast while Redis is paused or partitioned: a bounded wait per command.
    this.command = this.open('command', { commandTimeout: config.redisCommandTimeoutMs });
  }

  /** Key prefix of BullMQ's own keys, under ours so one prefix removes everything. */
  get bullPrefix(): string {
    return `${this.keyPrefix}:bull`;
  }

  /**
   * A connection of its own, for a consumer that blocks (BLPOP, a BullMQ worker); closed at shutdown.
   * Blocking consumers pass `{ maxRetriesPerRequest: null }` so a Redis restart does not kill their loop.
   */
  dedicatedConnection(name: string, overrides: RedisOptions = {}): Redis {
    const client = this.open(name, overrides);
    this.dedicated.add(client);
    client.once('end', () => this.dedicated.delete(client));
    return client;
  }

  /**
   * A write to make on the command connection when the process shuts down, after every other module's
   * shutdown work and just before the connections close (e.g. the job metrics tallied since the last flush).
   */
  beforeClose(write: () => Promise<void>): void {
    this.lastWrites.push(write);
  }

  /** The last writes, then QUIT each connection (pending replies first); one that does not answer in QUIT_WAIT_MS is dropped. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.lastWrites.map((write) => write().catch((err: Error) => this.logger.warn(`last write before closing failed: ${err.message}`))));
    const all = [...this.dedicated, this.command];
    await Promise.all(all.map(async (c) => {
      const quit = c.quit().then(() => true, () => false);
      const timer = new Promise<false>((r) => setTimeout(() => r(false), QUIT_WAIT_MS).unref());
      if (!(await Promise.race([quit, timer]))) c.disconnect();
    }));
  }

  private baseOptions(): RedisOptions {
    // No auto-pipelining: ioredis builds each auto-pipeline by copying every defined Lua script (we define ~80),
    // which cost 15% of a worker node's CPU in the throughput profile. The price: one socket write per command
    // (7% of a submit's API CPU in the http profile), less than the copies cost.
    const options: RedisOptions = { lazyConnect: false, enableAutoPipelining: false, maxRetriesPerRequest: 2 };
    const tls = this.config.redisTls;
    if (tls || this.config.redisUrl.startsWith('rediss://')) options.tls = { ...tls };
    return options;
  }

  /**
   * REDIS_URL gives host, port, credentials (password, ACL user) and db; rediss:// or REDIS_TLS_* files turn on
   * TLS; REDIS_SENTINELS switches to Sentinel discovery of the master named REDIS_SENTINEL_NAME.
   */
  private open(name: string, overrides: RedisOptions = {}): Redis {
    const options: RedisOptions = { ...this.baseOptions(), connectionName: `netpulse:${name}`, ...overrides };
    const sentinels = this.config.redisSentinels;
    const client = sentinels.length > 0
      ? new Redis({ ...fromUrl(this.config.redisUrl), ...options, sentinels, name: this.config.redisSentinelName, sentinelPassword: this.config.redisSentinelPassword })
      : new Redis(this.config.redisUrl, options);
    // The URL may carry a password: log only host and port.
    client.on('error', (err: Error) => this.logger.warn(`redis ${name}: ${err.message}`));
    return client;
  }
}

/** Credentials and db of a redis:// URL, for Sentinel mode where the sentinels give host and port. */
function fromUrl(url: string): RedisOptions {
  const u = new URL(url);
  return {
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : undefined,
  };
}
