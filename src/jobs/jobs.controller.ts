import { Controller, Delete, Get, Headers, Param, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiExtraModels, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiSecurity, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { WithExtras } from '../common/envelope';
import { JsonText } from '../common/json-text';
import { CancelJobsQuery } from './dto/cancel-jobs.query';
import { BatchDto, CancelResultDto, JobDto, PageDto } from './dto/job.response';
import { BatchIdParam } from './dto/batch-id.param';
import { ListJobsQuery } from './dto/list-jobs.query';
import { CancelOutcome, JobsService } from './jobs.service';
import { JobEventsQuery, JobIdParam } from './dto/job-events.query';
import { JobEventsService } from './job-events.service';
import { streamJobEvents } from './job-event-stream';

@ApiTags('jobs')
@ApiSecurity('api-key')
@ApiExtraModels(JobDto, PageDto, CancelResultDto, BatchDto)
@Controller('job')
export class JobsController {
  constructor(
    private readonly jobs: JobsService,
    private readonly events: JobEventsService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List jobs, newest first', description: 'Filters combine with AND; `id` wins over the others. Cursor pagination.' })
  @ApiOkResponse({
    schema: {
      properties: {
        code: { example: 200 }, message: { example: 'success' },
        data: { type: 'array', items: { $ref: getSchemaPath(JobDto) } },
        page: { $ref: getSchemaPath(PageDto) },
      },
    },
  })
  async list(@Query() query: ListJobsQuery): Promise<WithExtras<JsonText>> {
    const { jobs, page } = await this.jobs.list(query);
    return new WithExtras(jobs, { page });
  }

  @Get('batch/:id')
  @ApiOperation({
    summary: 'A bulk\'s jobs counted by status',
    description: 'The batch_id POST /device/bulk returned. done: no job of it is queued, scheduled or running. List its jobs with GET /job?batch=, '
      + 'cancel its queued jobs with DELETE /job?batch=.',
  })
  @ApiOkResponse({ schema: { properties: { code: { example: 200 }, message: { example: 'success' }, data: { $ref: getSchemaPath(BatchDto) } } } })
  @ApiNotFoundResponse({ description: 'Unknown batch, or every job of it has expired' })
  batch(@Param() params: BatchIdParam): Promise<BatchDto> {
    return this.jobs.batch(params.id);
  }

  @Get(':id/events')
  @ApiOperation({
    summary: 'Follow a job: Server-Sent Events',
    description: 'Events: `status` (each transition, with the job), `output` ({command, data} as the device sends it; '
      + 'config jobs per line), `end` (the final job), then the stream closes. `id:` is the position in the output: '
      + 'reconnect with Last-Event-ID to resume without losing or repeating output. An ended job answers `end` at once.',
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this event id' })
  @ApiOkResponse({ description: 'text/event-stream', content: { 'text/event-stream': { example: 'id: 1733140000000-0\nevent: output\ndata: {"command":"show version","data":"Cisco IOS Software..."}\n\n' } } })
  @ApiNotFoundResponse({ description: 'No such job' })
  async follow(@Param() params: JobIdParam, @Query() _query: JobEventsQuery, @Headers('last-event-id') lastEventId: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    await streamJobEvents(this.events, params.id, lastEventId, reply);
  }

  @Delete()
  @ApiOperation({
    summary: 'Cancel queued jobs',
    description: 'By id (wins), batch, queue or host; at least one is required (batch combines with host, not with queue). Only jobs not yet started are cancelled. '
      + 'Unknown id: 404; an id already started or ended: 409.',
  })
  @ApiOkResponse({ schema: { properties: { code: { example: 200 }, message: { example: 'success' }, data: { $ref: getSchemaPath(CancelResultDto) } } } })
  cancel(@Query() query: CancelJobsQuery): Promise<CancelOutcome> {
    return this.jobs.cancel(query);
  }
}
