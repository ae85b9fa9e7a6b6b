import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { SseEvent, SseParser, followEvents } from './sse';

describe('SseParser', () => {
  const all = (chunks: string[]) => {
    const p = new SseParser();
    return chunks.flatMap((c) => p.feed(c));
  };

  it('frames events by blank lines, joins data lines, keeps the last id and reads retry', () => {
    const p = new SseParser();
    const events = p.feed(': comment\nretry: 2500\nid: 1\nevent: status\ndata: {"a":\ndata: 1}\n\nevent: output\ndata:x\n\ndata: no event\n\n');
    expect(events).toEqual([
      { id: '1', event: 'status', data: '{"a":\n1}' },
      { id: '1', event: 'output', data: 'x' },
      { id: '1', event: 'message', data: 'no event' },
    ]);
    expect(p.retryMs).toBe(2500);
    expect(p.lastEventId).toBe('1');
  });

  it('gives the same events however the text is split, with LF, CRLF (split between chunks) or CR line ends', () => {
    const text = 'id: 7\r\nevent: output\r\ndata: a b\r\n\r\nid: 8\rdata: c\r\r\ufeff';
    const expected = [{ id: '7', event: 'output', data: 'a b' }, { id: '8', event: 'message', data: 'c' }];
    expect(all([text])).toEqual(expected);
    for (let i = 1; i < text.length; i++) expect({ i, events: all([text.slice(0, i), text.slice(i)]) }).toEqual({ i, events: expected });
    expect(all(text.split(''))).toEqual(expected);
  });

  it('does not dispatch an event without data or before its blank line; ignores a leading BOM and unknown fields', () => {
    expect(all(['\ufeffevent: x\n\nfoo: bar\ndata: y'])).toEqual([]);
    expect(all(['\ufeffdata: y\n', '\n'])).toEqual([{ id: null, event: 'message', data: 'y' }]);
  });
});

/** followEvents against a real HTTP server in this process, with Node's fetch (the browser's API). */
describe('followEvents', () => {
  let server: Server;
  let url: string;
  let handler: (req: IncomingMessage, res: ServerResponse) => void;
  const requests: IncomingMessage[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(req);
      handler(req, res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/job/x/events`;
  });
  afterEach(() => (requests.length = 0));
  afterAll(() => new Promise<void>((r) => {
    server.closeAllConnections();
    server.close(() => r());
  }));

  const stream = (res: ServerResponse) => res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });

  it('resumes a dropped stream with Last-Event-ID: every output once, in order, then end', async () => {
    handler = (req, res) => {
      stream(res);
      const from = Number(req.headers['last-event-id'] ?? 0);
      if (from === 0) {
        res.write('event: status\ndata: {"status":"started"}\n\n');
        res.write('id: 1\nevent: output\ndata: {"command":"show version","data":"line 1\\n"}\n\n');
        res.write('id: 2\nevent: output\ndata: {"command":"show version","data":"line 2\\n"}\n\n');
        // cut mid-event, once what came before reached the socket
        res.write('id: 3\nevent: output\ndata: {"command":"show version","da', () => setTimeout(() => res.destroy(), 50));
        return;
      }
      for (let i = from + 1; i <= 4; i++) res.write(`id: ${i}\nevent: output\ndata: {"command":"show version","data":"line ${i}\\n"}\n\n`);
      res.end('id: 5\nevent: end\ndata: {"status":"finished"}\n\n');
    };
    const seen: SseEvent[] = [];
    const outcome = await followEvents({ url, headers: { 'X-API-KEY': 'k1' }, signal: new AbortController().signal, retryMs: 10, onEvent: (e) => (seen.push(e), e.event === 'end') });
    expect(outcome).toBe('ended');
    expect(seen.filter((e) => e.event === 'output').map((e) => JSON.parse(e.data).data)).toEqual(['line 1\n', 'line 2\n', 'line 3\n', 'line 4\n']);
    expect(seen.map((e) => e.event)).toEqual(['status', 'output', 'output', 'output', 'output', 'end']);
    expect(requests.map((r) => [r.headers['x-api-key'], r.headers.accept, r.headers['last-event-id']])).toEqual([
      ['k1', 'text/event-stream', undefined],
      ['k1', 'text/event-stream', '2'],
    ]);
  });

  it('reconnects when the server closes a stream without end, and honours its retry: delay', async () => {
    let calls = 0;
    handler = (_req, res) => {
      stream(res);
      calls++;
      if (calls < 3) res.end(`retry: 5\nid: ${calls}\ndata: tick\n\n`);
      else res.end('event: end\ndata: {}\n\n');
    };
    const events: string[] = [];
    const outcome = await followEvents({ url, headers: {}, signal: new AbortController().signal, retryMs: 5000, onEvent: (e) => (events.push(e.event), e.event === 'end') });
    expect(outcome).toBe('ended');
    expect(events).toEqual(['message', 'message', 'end']);
    expect(requests.map((r) => r.headers['last-event-id'])).toEqual([undefined, '1', '2']);
  });

  it('says unsupported when the route answers 404 or is not an event stream (servers without it)', async () => {
    handler = (_req, res) => res.writeHead(404, { 'content-type': 'application/json' }).end('{"code":404,"message":"No route","data":null}');
    expect(await followEvents({ url, headers: {}, signal: new AbortController().signal, onEvent: () => undefined })).toBe('unsupported');
    handler = (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>proxy page</html>');
    expect(await followEvents({ url, headers: {}, signal: new AbortController().signal, onEvent: () => undefined })).toBe('unsupported');
  });

  it('stops when aborted, and throws on a refused key instead of retrying', async () => {
    handler = (_req, res) => stream(res); // opens, never sends
    const abort = new AbortController();
    const following = followEvents({ url, headers: {}, signal: abort.signal, onEvent: () => undefined });
    await new Promise((r) => setTimeout(r, 100));
    abort.abort();
    expect(await following).toBe('aborted');
    handler = (_req, res) => res.writeHead(401).end();
    await expect(followEvents({ url, headers: {}, signal: new AbortController().signal, onEvent: () => undefined })).rejects.toThrow(/refused/);
  });
});
