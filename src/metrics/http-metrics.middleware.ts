import { Injectable, NestMiddleware } from '@nestjs/common';
import { NextFunction, Request, Response } from 'express';
import { MetricsService } from './metrics.service';
import { RequestStats } from './request-stats';

/** Times every request: the HTTP histogram (by route template, not raw path) and the health report's figures. */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: MetricsService, private readonly stats: RequestStats) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      this.metrics.observeHttp(req.method, `${req.baseUrl}${route === '/' ? '' : route}` || route, res.statusCode, ms / 1000);
      this.stats.record(ms, res.statusCode);
    });
    next();
  }
}
