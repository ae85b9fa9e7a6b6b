import { Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import { JobView } from '../jobs/job.model';
import { BulkExecuteDto } from './dto/bulk.dto';
import { ExecuteDto } from './dto/execute.dto';
import { TestConnectionDto, TestConnectionResultDto } from './dto/test-connection.dto';
import { BulkOutcome, DevicesService } from './devices.service';
import { idempotencyOf } from './idempotency';

@ApiTags('devices')
@ApiSecurity('api-key')
@Controller('device')
export class DevicesController {
  constructor(private readonly devices: DevicesService) {}

  @Post('execute')
  @ApiOperation({ summary: 'Submit one job that runs commands (command) or config lines (config) on a device' })
  @ApiBody({ type: ExecuteDto })
  @ApiCreatedResponse({ description: 'The queued job' })
  @ApiServiceUnavailableResponse({ description: 'No FIFO worker, or no node with capacity for a pinned worker' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key returns the first job instead of a second one (24 h)' })
  execute(@Body() dto: ExecuteDto, @Headers('idempotency-key') key?: string, @Headers('x-api-key') apiKey?: string): Promise<JobView> {
    return this.devices.execute(dto, idempotencyOf(key, apiKey));
  }

  @Post('bulk')
  @ApiOperation({ summary: 'Submit the same job to many devices', description: 'Each entry of devices is merged over connection_args.' })
  @ApiCreatedResponse({ description: '{succeeded: [jobs], failed: [{host, error}]}' })
  bulk(@Body() dto: BulkExecuteDto): Promise<BulkOutcome> {
    return this.devices.bulk(dto);
  }

  @Post('test-connection')
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in to a device and report how long it took', description: 'Runs on a FIFO worker; bounded by connection_args.timeout.' })
  @ApiOkResponse({ type: TestConnectionResultDto })
  testConnection(@Body() dto: TestConnectionDto): Promise<TestConnectionResultDto> {
    return this.devices.testConnection(dto);
  }
}
