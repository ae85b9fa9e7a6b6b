import { Controller, Get, Headers, HttpStatus, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { HealthCheckResult, HealthCheckService, HealthIndicatorFunction } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { ApiError } from '../common/api-error';
import { Public } from '../common/public.decorator';
import { RawResponse } from '../common/raw-response.decorator';
import { MetricsService } from '../metrics/metrics.service';
import { HealthReport, HealthReporter } from './health.reporter';
import { RedisHealthIndicator } from './redis.health';

/** Accept values that ask for the Prometheus exposition format instead of JSON (the seed scrapes /health). */
const PROMETHEUS_ACCEPT = /text\/plain|application\/openmetrics-text/;

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly redis: RedisHealthIndicator,
    private readonly reporter: HealthReporter,
    private readonly metrics: MetricsService,
  ) {}

  @Get()
  @ApiSecurity('api-key')
  @ApiProduces('application/json', 'text/plain')
  @ApiOperation({
    summary: "The operator's health report: API, Redis, workers, queues",
    description: 'status ok | degraded (200) or down (503). With Accept: text/plain (Prometheus) it answers the metrics exposition, as /metrics.',
  })
  async report(@Headers('accept') accept: string | undefined, @Res({ passthrough: true }) res: FastifyReply): Promise<HealthReport | string> {
    if (accept && PROMETHEUS_ACCEPT.test(accept) && !/application\/json/.test(accept)) {
      res.type(this.metrics.contentType);
      return this.metrics.render();
    }
    const report = await this.reporter.report();
    if (report.status === 'down') throw new ApiError(HttpStatus.SERVICE_UNAVAILABLE, 'Redis is unreachable', report);
    return report;
  }

  @Get('live')
  @Public()
  @RawResponse()
  @ApiOperation({ summary: 'Liveness (Kubernetes): the process answers; checks no dependency. Terminus shape.' })
  live(@Res({ passthrough: true }) res: FastifyReply): Promise<HealthCheckResult> {
    return this.probe(res, []);
  }

  @Get('ready')
  @Public()
  @RawResponse()
  @ApiOperation({ summary: 'Readiness (Kubernetes): Redis reachable. Terminus shape, 503 when not ready.' })
  ready(@Res({ passthrough: true }) res: FastifyReply): Promise<HealthCheckResult> {
    return this.probe(res, [() => this.redis.isHealthy()]);
  }

  /** Runs Terminus checks and answers its body as is, 503 when a check is down. */
  private async probe(res: FastifyReply, checks: HealthIndicatorFunction[]): Promise<HealthCheckResult> {
    try {
      return await this.health.check(checks);
    } catch (err) {
      if (!(err instanceof ServiceUnavailableException)) throw err;
      res.status(HttpStatus.SERVICE_UNAVAILABLE);
      return err.getResponse() as HealthCheckResult;
    }
  }
}
