import type { FastifyReply } from 'fastify';
import { ApiError } from '../common/api-error';
import { JobEventsService } from './job-events.service';
import { FeedEvent } from './job-feed';

/** A comment line this often keeps proxies from closing an idle stream. */
const KEEPALIVE_MS = 15_000;
const EVENT_ID = /^\d{1,20}-\d{1,20}$/;

/**
 * Writes a job's events as Server-Sent Events on the raw response. Checks come first (a bad Last-Event-ID is a 400,
 * an unknown job a 404, both in the envelope); once the stream is open it ends with the job, at API shutdown, or
 * when the client goes.
 */
export async function streamJobEvents(events: JobEventsService, jobId: string, lastEventId: string | undefined, reply: FastifyReply): Promise<void> {
  if (lastEventId !== undefined && !EVENT_ID.test(lastEventId)) {
    throw ApiError.badRequest('Last-Event-ID must be an event id this stream sent', [{ field: 'Last-Event-ID', error: 'must look like 1733140000000-0' }]);
  }
  const raw = reply.raw;
  let open = false;
  let ended = false;
  const timers: { keepalive?: NodeJS.Timeout } = {};
  const pending: string[] = [];
  const write = (text: string) => {
    if (ended) return;
    if (open) raw.write(text);
    else pending.push(text);
  };
  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(timers.keepalive);
    if (open) raw.end();
  };
  // Followed first: a 404 is thrown before any header is written (the events wait in `pending` meanwhile).
  const stop = await events.follow(jobId, lastEventId, { send: (event, id) => write(sseFrame(event, id)), close: end });
  reply.hijack();
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    // nginx and similar proxies would buffer the stream otherwise
    'x-accel-buffering': 'no',
    'x-request-id': String(reply.request.id),
  });
  open = true;
  raw.write(`retry: 2000\n\n${pending.join('')}`);
  if (ended) {
    raw.end();
    return;
  }
  timers.keepalive = setInterval(() => raw.write(': keep-alive\n\n'), KEEPALIVE_MS);
  raw.on('close', () => {
    stop();
    end();
  });
}

/** One event as the stream writes it: its id (the output position a reconnect resumes from), name and JSON data. */
function sseFrame(event: FeedEvent, id: string | undefined): string {
  const data = event.kind === 'output' ? { command: event.entry.command, data: event.entry.data } : event.job;
  return `${id !== undefined ? `id: ${id}\n` : ''}event: ${event.kind}\ndata: ${JSON.stringify(data)}\n\n`;
}
