import { Body, Controller, Delete, Headers, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import {
  ApiBody, ApiCreatedResponse, ApiExtraModels, ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiSecurity, ApiServiceUnavailableResponse, ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { JobView } from '../jobs/job.model';
import { BulkExecuteDto } from './dto/bulk.dto';
import { LockoutClearedDto, LockoutQuery } from './dto/lockout.dto';
import { ExecuteDto } from './dto/execute.dto';
import { TestConnectionDto, TestConnectionResultDto } from './dto/test-connection.dto';
import { DevicesService } from './devices.service';
import { BulkOutcome } from './bulk-jobs';
import { idempotencyOf } from './idempotency';

const LOCKED = {
  status: HttpStatus.LOCKED,
  description: 'The host is locked after AUTH_FAILURE_LIMIT consecutive authentication failures: message says why and until when',
};

@ApiTags('devices')
@ApiSecurity('api-key')
@ApiExtraModels(LockoutClearedDto)
@Controller('device')
export class DevicesController {
  constructor(private readonly devices: DevicesService) {}

  @Post('execute')
  @ApiOperation({ summary: 'Submit one job that runs commands (command) or config lines (config) on a device' })
  @ApiBody({ type: ExecuteDto })
  @ApiCreatedResponse({ description: 'The queued job' })
  @ApiServiceUnavailableResponse({ description: 'No FIFO worker, or no node with capacity for a pinned worker' })
  @ApiResponse(LOCKED)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key returns the first job instead of a second one (24 h)' })
  execute(@Body() dto: ExecuteDto, @Headers('idempotency-key') key?: string, @Headers('x-api-key') apiKey?: string): Promise<JobView> {
    return this.devices.execute(dto, idempotencyOf(key, apiKey));
  }

  @Post('bulk')
  @ApiOperation({
    summary: 'Submit a job to many devices, as one batch',
    description: 'Each entry of devices is merged over connection_args and may carry its own command or config (it wins over the shared one; '
      + 'with rendering, config is the device\'s own variables). Every job carries batch_id: GET /job?batch=, GET /job/batch/{id}, DELETE /job?batch=.',
  })
  @ApiCreatedResponse({ description: '{batch_id, succeeded: [jobs], failed: [{host, error}]}; batch_id is null when no job was stored; a locked host is an entry of failed with the 423 reason' })
  bulk(@Body() dto: BulkExecuteDto): Promise<BulkOutcome> {
    return this.devices.bulk(dto);
  }

  @Post('test-connection')
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in to a device and report how long it took', description: 'Runs on a FIFO worker; bounded by connection_args.timeout.' })
  @ApiOkResponse({ type: TestConnectionResultDto })
  @ApiResponse(LOCKED)
  testConnection(@Body() dto: TestConnectionDto): Promise<TestConnectionResultDto> {
    return this.devices.testConnection(dto);
  }

  @Delete('lockout')
  @ApiOperation({
    summary: "Clear a host's authentication lockout",
    description: 'After AUTH_FAILURE_LIMIT consecutive authentication failures a host refuses new jobs (423) for AUTH_LOCKOUT seconds. '
      + 'This clears the lock and the count of failures at once (fix the credentials first). A host that is not locked answers 200 '
      + 'with cleared: false.',
  })
  @ApiOkResponse({ description: 'The host, and whether it was locked', schema: { properties: { code: { example: 200 }, message: { example: 'success' }, data: { $ref: getSchemaPath(LockoutClearedDto) } } } })
  clearLockout(@Query() query: LockoutQuery): Promise<LockoutClearedDto> {
    return this.devices.clearLockout(query.host);
  }
}
