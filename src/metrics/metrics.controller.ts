import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PublicWhenConfigured } from '../common/public.decorator';
import { RawResponse } from '../common/raw-response.decorator';
import { MetricsService } from './metrics.service';

@ApiTags('metrics')
@ApiSecurity('api-key')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @PublicWhenConfigured()
  @RawResponse()
  @Header('cache-control', 'no-store')
  @ApiProduces('text/plain')
  @ApiOperation({ summary: 'Prometheus metrics (public when METRICS_PUBLIC=true, else the API key is required)' })
  @ApiOkResponse({ description: 'Prometheus text exposition format' })
  async scrape(@Res({ passthrough: true }) res: FastifyReply): Promise<string> {
    res.type(this.metrics.contentType);
    return this.metrics.render();
  }
}
