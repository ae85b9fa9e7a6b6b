import { ClientRequest, IncomingMessage, request } from 'node:http';
import { TEST_API_KEY } from './test-env';

/** One Server-Sent Event as received, with when it arrived. */
export interface SseEvent {
  id?: string;
  event: string;
  data: string;
  at: number;
}

export interface SseStream {
  status: number;
  events: SseEvent[];
  /** resolves when the server ends the stream */
  ended: Promise<void>;
  /** resolves once an event matching `check` arrived (already or later) */
  waitFor(check: (e: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  close(): void;
}

/**
 * Opens GET `path` on `origin` as an EventSource would (with the API key, and Last-Event-ID to resume). Events are
 * stamped with the wall clock in fractions of a millisecond (bench:events compares them with the device's stamps).
 */
export function openSse(origin: string, path: string, lastEventId?: string, apiKey = TEST_API_KEY): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'x-api-key': apiKey, accept: 'text/event-stream' };
    if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
    const req: ClientRequest = request(`${origin}${path}`, { headers, agent: false }, (res: IncomingMessage) => {
      const events: SseEvent[] = [];
      const waiters: { check: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void }[] = [];
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = parseFrame(frame);
          if (!event) continue;
          events.push(event);
          for (const w of [...waiters]) if (w.check(event)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(event);
          }
        }
      });
      const ended = new Promise<void>((done) => res.on('end', () => done()).on('close', () => done()));
      resolve({
        status: res.statusCode ?? 0,
        events,
        ended,
        close: () => req.destroy(),
        waitFor: (check, timeoutMs = 20_000) => {
          const seen = events.find(check);
          if (seen) return Promise.resolve(seen);
          return new Promise((ok, fail) => {
            const timer = setTimeout(() => fail(new Error(`no such event within ${timeoutMs} ms; got ${JSON.stringify(events.map((e) => e.event))}`)), timeoutMs);
            waiters.push({ check, resolve: (e) => { clearTimeout(timer); ok(e); } });
          });
        },
      });
    });
    req.on('error', reject);
    req.end();
  });
}

function parseFrame(frame: string): SseEvent | null {
  const event: SseEvent = { event: 'message', data: '', at: performance.timeOrigin + performance.now() };
  const data: string[] = [];
  for (const line of frame.split('\n')) {
    if (line.startsWith(':') || line === '') continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') event.id = value;
    else if (field === 'event') event.event = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0) return null;
  event.data = data.join('\n');
  return event;
}
