import { Controller, Delete, Get, Query } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { WithExtras } from '../common/envelope';
import { JsonText } from '../common/json-text';
import { CancelJobsQuery } from './dto/cancel-jobs.query';
import { CancelResultDto, JobDto, PageDto } from './dto/job.response';
import { ListJobsQuery } from './dto/list-jobs.query';
import { CancelOutcome, JobsService } from './jobs.service';

@ApiTags('jobs')
@ApiSecurity('api-key')
@ApiExtraModels(JobDto, PageDto, CancelResultDto)
@Controller('job')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

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

  @Delete()
  @ApiOperation({
    summary: 'Cancel queued jobs',
    description: 'By id (wins), queue or host; at least one is required. Only jobs not yet started are cancelled. '
      + 'Unknown id: 404; an id already started or ended: 409.',
  })
  @ApiOkResponse({ schema: { properties: { code: { example: 200 }, message: { example: 'success' }, data: { $ref: getSchemaPath(CancelResultDto) } } } })
  cancel(@Query() query: CancelJobsQuery): Promise<CancelOutcome> {
    return this.jobs.cancel(query);
  }
}
