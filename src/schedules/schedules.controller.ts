import { Body, Controller, Delete, Get, Post, Query } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiExtraModels, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { CreateScheduleDto, ScheduleDto, ScheduleNameQuery } from './dto/schedule.dto';
import { SchedulesService } from './schedules.service';

@ApiTags('schedules')
@ApiSecurity('api-key')
@ApiExtraModels(ScheduleDto)
@Controller('schedule')
export class SchedulesController {
  constructor(private readonly schedules: SchedulesService) {}

  @Post()
  @ApiOperation({
    summary: 'Create or replace a recurring job',
    description: 'cron (with timezone) or every N seconds. Each occurrence submits the job once, whatever the number of API '
      + 'replicas; the schedule survives restarts. Occurrences missed while every worker node was down are counted in missed, not '
      + 'run in a burst. The job must name a credential set: inline passwords are refused (400).',
  })
  @ApiBody({ type: CreateScheduleDto })
  @ApiCreatedResponse({ schema: { properties: { code: { example: 201 }, message: { example: 'success' }, data: { $ref: getSchemaPath(ScheduleDto) } } } })
  create(@Body() dto: CreateScheduleDto): Promise<ScheduleDto> {
    return this.schedules.create(dto);
  }

  @Get()
  @ApiOperation({ summary: 'List schedules with their next occurrence and last job', description: 'Their jobs: GET /job?schedule=NAME' })
  @ApiOkResponse({ schema: { properties: { code: { example: 200 }, message: { example: 'success' }, data: { type: 'array', items: { $ref: getSchemaPath(ScheduleDto) } } } } })
  list(): Promise<ScheduleDto[]> {
    return this.schedules.list();
  }

  @Delete()
  @ApiOperation({ summary: 'Delete a schedule', description: 'Its jobs already submitted stay (GET /job?schedule=NAME).' })
  @ApiOkResponse({ schema: { properties: { code: { example: 200 }, message: { example: 'success' }, data: { example: { name: 'nightly-backup', deleted: true } } } } })
  @ApiNotFoundResponse({ description: 'No such schedule' })
  remove(@Query() query: ScheduleNameQuery): Promise<{ name: string; deleted: boolean }> {
    return this.schedules.remove(query.name);
  }
}
