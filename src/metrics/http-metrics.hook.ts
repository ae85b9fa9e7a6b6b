import type { FastifyInstance } from 'fastify';
import { MetricsService } from './metrics.service';
import { RequestStats } from './request-stats';

/** Times every request: the HTTP histogram (by route template, not raw path) and the health report's figures. */
export function recordHttpMetrics(fastify: FastifyInstance, metrics: MetricsService, stats: RequestStats): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const ms = reply.elapsedTime;
    metrics.observeHttp(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, ms / 1000);
    stats.record(ms, reply.statusCode);
    done();
  });
}
