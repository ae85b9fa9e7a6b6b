import { HttpStatus, Injectable } from '@nestjs/common';
import { ApiError } from '../common/api-error';
import { Messages } from '../common/messages';
import { TimeFormatter } from '../common/time-format';
import { AppConfig } from '../config/app-config';
import { JobEventBus } from './job-event-bus';
import { FeedEvent, FeedFollower, FeedSink, FeedSource, JobFeed } from './job-feed';
import { JobOutputLog } from './job-output-log';
import { JobStore } from './job-store';
import { toJobView } from './job-view';
import { ENDED_STATUSES, JobRecord } from './job.model';

/** A feed checks its job this often besides the signals (a signal lost in a Redis failover must not hang a stream). */
const FEED_RECHECK_MS = 15_000;

/**
 * Following jobs without polling: `GET /job/{id}/events` (a follower per client, a feed per job and process) and
 * `GET /job?id=&wait=` (answer when the job ends).
 */
@Injectable()
export class JobEventsService {
  private readonly feeds = new Map<string, Promise<JobFeed>>();
  private readonly time: TimeFormatter;

  constructor(
    private readonly store: JobStore,
    private readonly output: JobOutputLog,
    private readonly bus: JobEventBus,
    config: AppConfig,
  ) {
    this.time = new TimeFormatter(config.timeZone);
  }

  /**
   * Follows a job for one client: its current status and the output it has not seen (after `resumeAfter`), then
   * every change until the end. An unknown job is a 404 before anything is sent. Returns a function that stops.
   */
  async follow(jobId: string, resumeAfter: string | undefined, sink: FeedSink): Promise<() => void> {
    const follower = new FeedFollower(sink, resumeAfter);
    let feed = await this.feedFor(jobId);
    while (!feed.add(follower)) feed = await this.feedFor(jobId);
    const stop = () => {
      follower.close();
      feed.remove(follower);
    };
    try {
      const job = await this.store.get(jobId);
      if (!job) throw new ApiError(HttpStatus.NOT_FOUND, Messages.jobNotFound(jobId));
      const view = toJobView(job, this.time);
      const ended = ENDED_STATUSES.includes(job.status);
      // An ended job answers at once: the output after the client's position if it resumes, then the end.
      const missed = ended && resumeAfter === undefined ? [] : await this.output.after(jobId, follower.position);
      const events: FeedEvent[] = ended ? [] : [{ kind: 'status', job: view }];
      for (const entry of missed) events.push({ kind: 'output', entry });
      if (ended) events.push({ kind: 'end', job: view });
      follower.catchUp(events);
    } catch (err) {
      stop();
      throw err;
    }
    const unregister = this.bus.atShutdown(stop);
    return () => {
      unregister();
      stop();
    };
  }

  /** The job once it has ended, or after `ms` as it is then; null if it does not exist. */
  async waitForEnd(jobId: string, ms: number): Promise<JobRecord | null> {
    let wake: () => void = () => undefined;
    const woken = new Promise<void>((resolve) => (wake = resolve));
    const leave = await this.bus.listen(jobId, (signal) => signal === 'e' && wake());
    const unregister = this.bus.atShutdown(wake);
    try {
      // Read after subscribing: an end between the two is either seen here or signalled.
      const job = await this.store.get(jobId);
      if (!job || ENDED_STATUSES.includes(job.status)) return job;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([woken, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
      clearTimeout(timer);
      return this.store.get(jobId);
    } finally {
      unregister();
      leave();
    }
  }

  private feedFor(jobId: string): Promise<JobFeed> {
    let feed = this.feeds.get(jobId);
    if (!feed) {
      const opening: Promise<JobFeed> = this.openFeed(jobId, () => {
        if (this.feeds.get(jobId) === opening) this.feeds.delete(jobId);
      });
      feed = opening;
      this.feeds.set(jobId, feed);
      feed.catch(() => this.feeds.delete(jobId));
    }
    return feed;
  }

  private async openFeed(jobId: string, forget: () => void): Promise<JobFeed> {
    const source: FeedSource = {
      job: async () => {
        const job = await this.store.get(jobId);
        return job ? toJobView(job, this.time) : null;
      },
      outputAfter: (afterId) => this.output.after(jobId, afterId),
    };
    // Signals may come before the feed exists: they find it here once it does.
    const state: { feed?: JobFeed; recheck?: NodeJS.Timeout } = {};
    const leave = await this.bus.listen(jobId, (signal) => state.feed?.signal(signal));
    // Read the position after subscribing: later output is signalled, earlier output each follower reads itself.
    const startAfter = await this.output.lastId(jobId).catch((err) => {
      leave();
      throw err;
    });
    const feed = new JobFeed(source, startAfter, () => {
      clearInterval(state.recheck);
      leave();
      forget();
    });
    state.feed = feed;
    state.recheck = setInterval(() => feed.signal('s'), FEED_RECHECK_MS);
    state.recheck.unref();
    return feed;
  }
}
