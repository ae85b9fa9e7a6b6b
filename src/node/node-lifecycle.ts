import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { hostname } from 'node:os';
import { AppConfig } from '../config/app-config';
import { RedisConnections } from '../redis/redis-connections';
import { ControlMessage, FleetStore } from '../workers/fleet-store';
import { PinnedPool } from './pinned-pool';

/** How long one blocking read of the control list waits, so shutdown is never held up longer. */
const CONTROL_POLL_SEC = 1;

/**
 * The node's membership of the fleet: registers and heartbeats (Redis clock), restores the pinned
 * workers placed on it, takes commands from its control list, and deregisters on shutdown.
 */
@Injectable()
export class NodeLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NodeLifecycle.name);
  private readonly startedAt = Date.now();
  private timer: NodeJS.Timeout | null = null;
  private control: Redis | null = null;
  private stopping = false;
  lastHeartbeatAt = 0;

  constructor(
    private readonly fleet: FleetStore,
    private readonly pool: PinnedPool,
    private readonly redis: RedisConnections,
    private readonly config: AppConfig,
  ) {}

  get name(): string {
    return this.config.nodeName;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.beat();
    for (const host of await this.fleet.hostsOf(this.name)) this.pool.ensure(host);
    this.timer = setInterval(() => void this.beat(), this.config.heartbeatIntervalSec * 1000);
    this.control = this.redis.dedicatedConnection(`control:${this.name}`, { maxRetriesPerRequest: null });
    void this.readControl(this.control);
    this.logger.log(`node ${this.name} up: capacity ${this.config.nodeCapacity} pinned workers, FIFO concurrency ${this.config.fifoConcurrency}`);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.fleet.deregister(this.name).catch((err: Error) => this.logger.warn(`deregister failed: ${err.message}`));
    this.control?.disconnect();
  }

  private async beat(): Promise<void> {
    try {
      await this.fleet.heartbeat(this.name, {
        hostname: hostname(),
        pid: process.pid,
        capacity: this.config.nodeCapacity,
        fifo_concurrency: this.config.fifoConcurrency,
        pinned_count: this.pool.size,
        started_at: this.startedAt,
      });
      this.lastHeartbeatAt = Date.now();
    } catch (err) {
      this.logger.warn(`heartbeat failed: ${(err as Error).message}`);
    }
  }

  private async readControl(conn: Redis): Promise<void> {
    const key = this.fleet.controlKey(this.name);
    while (!this.stopping) {
      try {
        const popped = await conn.blpop(key, CONTROL_POLL_SEC);
        if (popped) this.handle(JSON.parse(popped[1]) as ControlMessage);
      } catch (err) {
        if (this.stopping) return;
        this.logger.warn(`control channel: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  private handle(message: ControlMessage): void {
    switch (message.type) {
      case 'start_pinned':
        this.pool.ensure(message.host);
        break;
    }
  }
}
