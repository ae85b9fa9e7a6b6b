import Redis from 'ioredis';
import { connect, Socket } from 'node:net';
import { RedisConnections } from '../src/redis/redis-connections';
import { FleetStore } from '../src/workers/fleet-store';
import { ApiProcess, startApiProcess } from './support/api-process';
import { REDIS_URL, removeKeys, TEST_API_KEY, testEnv, uniquePrefix, waitFor } from './support/test-env';

/** Reads HTTP/1.1 responses off one raw socket, in order (Content-Length bodies only, as the API sends). */
class ResponseReader {
  private buffer = '';
  private waiting: (() => void) | null = null;
  closed = false;

  constructor(socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      this.waiting?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.waiting?.();
    });
  }

  async next(timeoutMs: number): Promise<{ status: number; headers: string; body: string } | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end >= 0) {
        const headers = this.buffer.slice(0, end);
        const length = Number(/content-length: (\d+)/i.exec(headers)?.[1] ?? 0);
        if (this.buffer.length >= end + 4 + length) {
          const body = this.buffer.slice(end + 4, end + 4 + length);
          this.buffer = this.buffer.slice(end + 4 + length);
          return { status: Number(headers.split(' ')[1]), headers, body };
        }
      }
      if (this.closed || Date.now() > deadline) return null;
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
        setTimeout(resolve, 50);
      });
    }
  }
}

/**
 * SIGTERM on the API while a client holds a keep-alive connection with a request in flight: the request in flight
 * gets its answer, and a request the client sends on that same connection during the drain gets one too, in the
 * envelope (return503OnClosing is off: Fastify's own 503 would not be), before the process exits 0.
 */
describe('API drain with a keep-alive connection (real API process, real Redis)', () => {
  const prefix = uniquePrefix('drain');
  let api: ApiProcess;
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis(REDIS_URL);
    // A FIFO node the API believes alive, that never runs anything: a connection test then waits out its bound.
    await new FleetStore(redis, { keyPrefix: prefix } as RedisConnections)
      .heartbeat('ghost-node', { life: 'ghost', hostname: 'h', pid: 1, capacity: 1, fifo_concurrency: 1, pinned_count: 0, started_at: 0 }, []);
    api = await startApiProcess(testEnv(prefix, { WORKER_TTL: '60', HEARTBEAT_INTERVAL: '30' }));
  }, 30000);
  afterAll(async () => {
    await api?.stop('SIGKILL');
    await removeKeys(prefix);
    redis.disconnect();
  });

  it('answers the request in flight and the next one sent on its connection, then exits 0', async () => {
    const socket = connect(api.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const reader = new ResponseReader(socket);
    const request = (method: string, path: string, body = '') =>
      `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\nX-API-KEY: ${TEST_API_KEY}\r\n`
      + (body ? `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` : '') + `\r\n${body}`;

    const slow = JSON.stringify({ driver: 'netmiko', connection_args: { device_type: 'cisco_ios', host: '127.0.0.1', port: 9, username: 'u', password: 'p', timeout: 1 } });
    socket.write(request('POST', '/device/test-connection', slow));
    // in flight: the API stored the connection test's job and now waits for a worker that never comes
    await waitFor(async () => (await redis.zcard(`${prefix}:ix:all`)) === 1);
    const exit = api.stop('SIGTERM');
    // draining: the API no longer accepts new connections; the kept-alive one is still served
    await waitFor(() => new Promise<boolean>((resolve) => {
      const probe = connect(api.port, '127.0.0.1');
      probe.once('connect', () => {
        probe.destroy();
        resolve(false);
      });
      probe.once('error', () => resolve(true));
    }));
    socket.write(request('GET', '/job?limit=1'));

    const first = await reader.next(15000);
    expect(first?.status).toBe(504);
    expect(JSON.parse(first!.body)).toMatchObject({ code: 504, message: expect.stringContaining('No worker answered') });
    const second = await reader.next(5000);
    expect(second?.status).toBe(200);
    expect(JSON.parse(second!.body)).toMatchObject({ code: 200, data: [expect.objectContaining({ queue: 'FifoQ' })] });
    expect(await exit).toBe(0);
    socket.destroy();
  }, 40000);
});
