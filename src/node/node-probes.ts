import { Injectable } from '@nestjs/common';
import { IncomingMessage, ServerResponse } from 'node:http';
import { AppConfig } from '../config/app-config';
import { RedisHealthIndicator } from '../health/redis.health';
import { NodeLifecycle } from './node-lifecycle';

/**
 * The worker node's probes, in Terminus' response shape: live checks nothing external;
 * ready needs Redis and a heartbeat younger than the worker TTL.
 */
@Injectable()
export class NodeProbes {
  constructor(
    private readonly redis: RedisHealthIndicator,
    private readonly node: NodeLifecycle,
    private readonly config: AppConfig,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/health/live') return send(res, 200, { status: 'ok', info: {}, error: {}, details: {} });
    if (path !== '/health/ready') return send(res, 404, { status: 'error', message: 'not found' });
    const redis = await this.redis.isHealthy();
    const ageMs = Date.now() - this.node.lastHeartbeatAt;
    const heartbeat = { heartbeat: { status: ageMs <= this.config.workerTtlSec * 1000 ? 'up' : 'down', age_ms: ageMs } };
    const checks = { ...redis, ...heartbeat };
    const down = Object.fromEntries(Object.entries(checks).filter(([, v]) => v.status !== 'up'));
    const up = Object.fromEntries(Object.entries(checks).filter(([, v]) => v.status === 'up'));
    const ok = Object.keys(down).length === 0;
    send(res, ok ? 200 : 503, { status: ok ? 'ok' : 'error', info: up, error: down, details: checks });
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
