/**
 * Server-Sent Events over fetch(): EventSource cannot send the X-API-KEY header. Standard framing (`id:`, `event:`,
 * `data:`, `retry:`, comments, events separated by a blank line, CRLF/LF/CR line ends, split anywhere between
 * chunks); a dropped stream is reopened with Last-Event-ID so output is neither lost nor repeated.
 * DOM-free (fetch, TextDecoder, AbortSignal): the unit tests run it in Node against a real HTTP server.
 */
export interface SseEvent {
  id: string | null;
  event: string;
  data: string;
}

export class SseParser {
  lastEventId: string | null = null;
  retryMs: number | null = null;
  private buffer = '';
  private skipLf = false;
  private started = false;
  private data: string[] = [];
  private event = '';
  /** the id read in the event being parsed: it becomes lastEventId only when that event is complete */
  private idBuffer: string | null = null;

  /** A new connection: what an event cut off by the old one had is dropped; the last id and retry stay. */
  reconnected(): void {
    this.buffer = '';
    this.skipLf = false;
    this.started = false;
    this.data = [];
    this.event = '';
    this.idBuffer = this.lastEventId;
  }

  /** Feeds decoded text; returns the events it completed. */
  feed(text: string): SseEvent[] {
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const out: SseEvent[] = [];
    let i = 0;
    if (this.skipLf && text[0] === '\n') i = 1;
    this.skipLf = false;
    for (;;) {
      const end = nextLineEnd(text, i);
      if (end < 0) break;
      this.line(this.buffer + text.slice(i, end), out);
      this.buffer = '';
      i = end + 1;
      // CRLF is one line end, even split between two chunks
      if (text[end] === '\r') {
        if (i === text.length) this.skipLf = true;
        else if (text[i] === '\n') i++;
      }
    }
    this.buffer += text.slice(i);
    return out;
  }

  private line(line: string, out: SseEvent[]): void {
    if (line === '') return this.dispatch(out);
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.data.push(value);
        break;
      case 'event':
        this.event = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.idBuffer = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
      default:
        break;
    }
  }

  private dispatch(out: SseEvent[]): void {
    const had = this.data.length > 0;
    this.lastEventId = this.idBuffer;
    const event: SseEvent = { id: this.lastEventId, event: this.event || 'message', data: this.data.join('\n') };
    this.data = [];
    this.event = '';
    if (had) out.push(event);
  }
}

function nextLineEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i;
  }
  return -1;
}

export type FollowOutcome = 'ended' | 'unsupported' | 'aborted';

export interface FollowOptions {
  url: string;
  headers: Record<string, string>;
  /** called for each event; return true to stop following (the job ended) */
  onEvent(event: SseEvent): boolean | void;
  /** called when the stream is (re)connected or lost, for the page's status line */
  onState?(state: 'open' | 'reconnecting'): void;
  signal: AbortSignal;
  /** first reconnect delay; doubles up to maxDelayMs, reset by each event; the server's retry: field wins */
  retryMs?: number;
  maxDelayMs?: number;
  fetchImpl?: typeof fetch;
}

export class UnauthorizedError extends Error {}

/**
 * Follows an SSE URL until onEvent says stop, the signal aborts, or the route is not there: `unsupported` when the
 * first answer is a 404 or not an event stream (the events route is newer than this dashboard may be talking to),
 * so the caller can poll instead. Network errors and dropped streams reconnect with Last-Event-ID.
 */
export async function followEvents(opts: FollowOptions): Promise<FollowOutcome> {
  const doFetch = opts.fetchImpl ?? fetch;
  const parser = new SseParser();
  let delay = opts.retryMs ?? 1000;
  let connected = false;
  while (!opts.signal.aborted) {
    const headers: Record<string, string> = { ...opts.headers, Accept: 'text/event-stream' };
    if (parser.lastEventId !== null) headers['Last-Event-ID'] = parser.lastEventId;
    try {
      const res = await doFetch(opts.url, { headers, signal: opts.signal, cache: 'no-store', credentials: 'omit' });
      if (res.status === 401) throw new UnauthorizedError('The API key was refused');
      const isStream = /^text\/event-stream/i.test(res.headers.get('content-type') ?? '');
      if (!connected && (res.status === 404 || (res.ok && !isStream))) {
        await res.body?.cancel();
        return 'unsupported';
      }
      if (!res.ok || !res.body || !isStream) throw new Error(`HTTP ${res.status}`);
      connected = true;
      parser.reconnected();
      opts.onState?.('open');
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        for (const event of parser.feed(decoder.decode(value, { stream: true }))) {
          delay = opts.retryMs ?? 1000;
          if (opts.onEvent(event) === true) {
            await reader.cancel().catch(() => undefined);
            return 'ended';
          }
        }
      }
    } catch (err) {
      if (err instanceof UnauthorizedError) throw err;
      if (opts.signal.aborted) break;
    }
    opts.onState?.('reconnecting');
    await sleep(parser.retryMs ?? delay, opts.signal);
    delay = Math.min(delay * 2, opts.maxDelayMs ?? 10000);
  }
  return 'aborted';
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
