import { Logger } from '@nestjs/common';
import { OutputEntry, streamIdAfter } from './job-output-log';
import { JobView } from './job.model';
import { JobSignal } from './job-signals';

/** What a follower is sent: the SSE events of `GET /job/{id}/events`. */
export type FeedEvent =
  | { kind: 'status'; job: JobView }
  | { kind: 'output'; entry: OutputEntry }
  | { kind: 'end'; job: JobView };

/** Where a follower's events go (an SSE response). */
export interface FeedSink {
  /** `id` is the last output entry sent (the SSE event id a reconnect resumes from) */
  send(event: FeedEvent, id: string | undefined): void;
  close(): void;
}

/** How a feed reads what changed (the job store and the output log, behind the service). */
export interface FeedSource {
  job(): Promise<JobView | null>;
  outputAfter(afterId: string): Promise<OutputEntry[]>;
}

/**
 * One follower: its events are held until its catch-up (the output it missed, read on its own) was sent, then it
 * takes the feed's events, skipping output it already has. So nothing is lost and nothing repeated, whichever of
 * the two reads saw an entry first.
 */
export class FeedFollower {
  private lastSent: string | undefined;
  private held: FeedEvent[] | null = [];
  private closed = false;

  constructor(private readonly sink: FeedSink, resumeAfter: string | undefined) {
    this.lastSent = resumeAfter;
  }

  get position(): string {
    return this.lastSent ?? '0-0';
  }

  /** Sends the catch-up, then what the feed broadcast meanwhile. */
  catchUp(events: FeedEvent[]): void {
    const held = this.held ?? [];
    this.held = null;
    for (const event of [...events, ...held]) this.deliver(event);
  }

  offer(event: FeedEvent): void {
    if (this.held) this.held.push(event);
    else this.deliver(event);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.sink.close();
  }

  private deliver(event: FeedEvent): void {
    if (this.closed) return;
    if (event.kind === 'output') {
      if (this.lastSent !== undefined && !streamIdAfter(event.entry.id, this.lastSent)) return;
      this.lastSent = event.entry.id;
    }
    this.sink.send(event, this.lastSent);
    if (event.kind === 'end') this.close();
  }
}

/**
 * Everything one API process's followers of one job share: one subscription, one read of each new output piece
 * and each new state, whatever the number of followers. Signals are handled one at a time, in order.
 */
export class JobFeed {
  private readonly logger = new Logger(JobFeed.name);
  private readonly followers = new Set<FeedFollower>();
  private lastRead: string;
  private chain: Promise<void> = Promise.resolve();
  private ended = false;
  private disposed = false;

  constructor(
    private readonly source: FeedSource,
    startAfter: string,
    private readonly dispose: () => void,
  ) {
    this.lastRead = startAfter;
  }

  get size(): number {
    return this.followers.size;
  }

  /** False when the feed was already disposed (its last follower left a moment ago): open a new one. */
  add(follower: FeedFollower): boolean {
    if (this.disposed) return false;
    this.followers.add(follower);
    return true;
  }

  remove(follower: FeedFollower): void {
    this.followers.delete(follower);
    if (this.followers.size === 0) this.close();
  }

  signal(signal: JobSignal): void {
    this.chain = this.chain.then(() => this.handle(signal)).catch((err: Error) => this.logger.warn(`job feed: ${err.message}`));
  }

  private async handle(signal: JobSignal): Promise<void> {
    if (this.ended) return;
    if (signal === 'o' || signal === 'e') await this.readOutput();
    if (signal === 'o') return;
    const job = await this.source.job();
    if (job === null) {
      // Expired while followed: nothing more will come.
      for (const follower of this.followers) follower.close();
      return this.finish();
    }
    const over = signal === 'e' || ['finished', 'failed', 'cancelled'].includes(job.status);
    if (over) await this.readOutput();
    this.broadcast(over ? { kind: 'end', job } : { kind: 'status', job });
    if (over) this.finish();
  }

  private async readOutput(): Promise<void> {
    const entries = await this.source.outputAfter(this.lastRead);
    if (entries.length > 0) this.lastRead = entries[entries.length - 1].id;
    for (const entry of entries) this.broadcast({ kind: 'output', entry });
  }

  private broadcast(event: FeedEvent): void {
    for (const follower of this.followers) follower.offer(event);
  }

  /** No more signals matter: followers close on the end event (one still catching up gets it after its catch-up). */
  private finish(): void {
    this.ended = true;
    this.followers.clear();
    this.close();
  }

  private close(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.dispose();
  }
}
