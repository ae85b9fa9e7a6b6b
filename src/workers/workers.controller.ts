import { Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { ListWorkersQuery, WorkerTargetQuery } from './dto/worker-filter.query';
import { WorkerDto, WorkerStateDto, WorkerStopDto } from './dto/worker.response';
import { WorkerView, WorkerStatus } from './worker.model';
import { StoppedWorker, WorkersService } from './workers.service';

const envelopeOf = (items: string) => ({
  schema: { properties: { code: { example: 200 }, message: { example: 'success' }, data: { type: 'array', items: { $ref: getSchemaPath(items) } } } },
});

@ApiTags('workers')
@ApiSecurity('api-key')
@ApiExtraModels(WorkerDto, WorkerStopDto, WorkerStateDto)
@Controller('worker')
export class WorkersController {
  constructor(private readonly workers: WorkersService) {}

  @Get()
  @ApiOperation({ summary: 'List workers', description: 'Filters: queue (wins), node, host. Dead workers stay listed for DEAD_WORKER_RETENTION seconds.' })
  @ApiOkResponse(envelopeOf('WorkerDto'))
  list(@Query() query: ListWorkersQuery): Promise<WorkerView[]> {
    return this.workers.list(query.queue ? { queue: query.queue } : query);
  }

  @Delete()
  @ApiOperation({
    summary: 'Force-stop workers',
    description: 'Filters: name (wins), queue, node, host; at least one. The stop travels through Redis to the node; a running '
      + 'job is interrupted and ends failed with result.type "stopped". Returns once the nodes confirmed, or after CONTROL_TIMEOUT_MS '
      + '(unconfirmed workers are then marked dead and their jobs failed).',
  })
  @ApiOkResponse(envelopeOf('WorkerStopDto'))
  stop(@Query() query: WorkerTargetQuery): Promise<StoppedWorker[]> {
    return this.workers.stop(query);
  }

  @Post('suspend')
  @HttpCode(200)
  @ApiOperation({ summary: 'Suspend workers: each finishes its current job and takes no new one', description: 'Same filters as DELETE /worker.' })
  @ApiOkResponse(envelopeOf('WorkerStateDto'))
  suspend(@Query() query: WorkerTargetQuery): Promise<{ worker: string; status: WorkerStatus }[]> {
    return this.workers.setSuspended(query, true);
  }

  @Post('resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume suspended workers', description: 'Same filters as DELETE /worker.' })
  @ApiOkResponse(envelopeOf('WorkerStateDto'))
  resume(@Query() query: WorkerTargetQuery): Promise<{ worker: string; status: WorkerStatus }[]> {
    return this.workers.setSuspended(query, false);
  }
}
