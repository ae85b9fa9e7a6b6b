import { Controller, Get, HttpStatus, ServiceUnavailableException } from '@nestjs/common';
import { Res } from '@nestjs/common';
import { ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { HealthCheckResult, HealthCheckService, HealthIndicatorFunction } from '@nestjs/terminus';
import { Response } from 'express';
import { Public } from '../common/public.decorator';
import { RawResponse } from '../common/raw-response.decorator';
import { HealthReport, HealthReporter } from './health.reporter';
import { RedisHealthIndicator } from './redis.health';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly redis: RedisHealthIndicator,
    private readonly reporter: HealthReporter,
  ) {}

  @Get()
  @ApiSecurity('api-key')
  @ApiOperation({ summary: "The operator's health report: API, Redis, workers, queues" })
  report(): Promise<HealthReport> {
    return this.reporter.report();
  }

  @Get('live')
  @Public()
  @RawResponse()
  @ApiOperation({ summary: 'Liveness (Kubernetes): the process answers; checks no dependency. Terminus shape.' })
  live(@Res({ passthrough: true }) res: Response): Promise<HealthCheckResult> {
    return this.probe(res, []);
  }

  @Get('ready')
  @Public()
  @RawResponse()
  @ApiOperation({ summary: 'Readiness (Kubernetes): Redis reachable. Terminus shape, 503 when not ready.' })
  ready(@Res({ passthrough: true }) res: Response): Promise<HealthCheckResult> {
    return this.probe(res, [() => this.redis.isHealthy()]);
  }

  /** Runs Terminus checks and answers its body as is, 503 when a check is down. */
  private async probe(res: Response, checks: HealthIndicatorFunction[]): Promise<HealthCheckResult> {
    try {
      return await this.health.check(checks);
    } catch (err) {
      if (!(err instanceof ServiceUnavailableException)) throw err;
      res.status(HttpStatus.SERVICE_UNAVAILABLE);
      return err.getResponse() as HealthCheckResult;
    }
  }
}
