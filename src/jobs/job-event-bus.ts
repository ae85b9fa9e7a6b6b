import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { RedisConnections } from '../redis/redis-connections';
import { jobEventChannel, JobSignal } from './job-signals';

type SignalListener = (signal: JobSignal) => void;

/**
 * The API process's one subscriber connection: each job someone follows (SSE listeners, `wait=`) is one
 * SUBSCRIBE however many follow it, dropped when the last one leaves. At shutdown every follower is told to
 * finish (SSE streams end cleanly and clients resume elsewhere with Last-Event-ID).
 */
@Injectable()
export class JobEventBus implements BeforeApplicationShutdown {
  private readonly logger = new Logger(JobEventBus.name);
  private subscriber: Redis | undefined;
  private readonly channels = new Map<string, { listeners: Set<SignalListener>; subscribed: Promise<unknown> }>();
  private readonly onShutdown = new Set<() => void>();
  private shuttingDown = false;

  constructor(private readonly connections: RedisConnections) {}

  /**
   * Calls `listener` with every signal of the job until the returned function is called. Resolves once Redis
   * confirmed the subscription, so state read after it cannot miss a later signal.
   */
  async listen(jobId: string, listener: SignalListener): Promise<() => void> {
    const channel = jobEventChannel(this.connections.keyPrefix, jobId);
    let entry = this.channels.get(channel);
    if (!entry) {
      entry = { listeners: new Set(), subscribed: this.connection().subscribe(channel) };
      this.channels.set(channel, entry);
    }
    entry.listeners.add(listener);
    const own = entry;
    const leave = () => {
      own.listeners.delete(listener);
      if (own.listeners.size > 0 || this.channels.get(channel) !== own) return;
      this.channels.delete(channel);
      this.subscriber?.unsubscribe(channel).catch((err: Error) => this.logger.debug(`unsubscribe ${channel}: ${err.message}`));
    };
    try {
      await entry.subscribed;
    } catch (err) {
      leave();
      throw err;
    }
    return leave;
  }

  /** How many jobs this process follows (one subscription each). */
  get followedJobs(): number {
    return this.channels.size;
  }

  /** `finish` runs when the API shuts down; the returned function unregisters it. */
  atShutdown(finish: () => void): () => void {
    if (this.shuttingDown) {
      finish();
      return () => undefined;
    }
    this.onShutdown.add(finish);
    return () => this.onShutdown.delete(finish);
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /** Before Nest closes the HTTP server (which waits for open responses): open streams end first. */
  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
    for (const finish of [...this.onShutdown]) finish();
    this.onShutdown.clear();
  }

  private connection(): Redis {
    if (!this.subscriber) {
      // A connection of its own: a subscribed connection takes no other command. ioredis resubscribes after a reconnect.
      this.subscriber = this.connections.dedicatedConnection('events', { maxRetriesPerRequest: null });
      this.subscriber.on('message', (channel: string, message: string) => this.dispatch(channel, message));
    }
    return this.subscriber;
  }

  private dispatch(channel: string, message: string): void {
    const entry = this.channels.get(channel);
    if (!entry) return;
    for (const listener of [...entry.listeners]) listener(message as JobSignal);
  }
}
