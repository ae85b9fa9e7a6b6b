import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { JOB_STATUSES } from '../job.model';

class JobErrorDto {
  @ApiProperty({ example: 'AuthenticationError' }) type!: string;
  @ApiProperty({ example: 'Authentication failed for admin@192.168.1.1:22' }) message!: string;
}

class ConfigLineDto {
  @ApiProperty({ example: 'description uplink' }) line!: string;
  @ApiProperty({ enum: ['applied', 'rejected', 'skipped'], example: 'applied' }) status!: string;
  @ApiProperty({ description: 'What the device answered to the line', example: '' }) output!: string;
}

class JobResultDto {
  @ApiProperty({ enum: ['success', 'failed', 'stopped', 'timeout'] }) type!: string;
  @ApiProperty({
    description: 'Command output: a string for one command, an object keyed by command for several',
    oneOf: [{ type: 'string' }, { type: 'object', additionalProperties: { type: 'string' } }],
    nullable: true,
    example: 'Cisco IOS Software, C2960 Software (C2960-LANBASEK9-M), Version 15.2(7)E4',
  })
  retval!: unknown;
  @ApiPropertyOptional({
    description: 'With parsing: the raw output in the shape of retval (retval then holds the parsed records)',
    oneOf: [{ type: 'string' }, { type: 'object', additionalProperties: { type: 'string' } }],
    example: 'Cisco IOS Software, C2960 Software (C2960-LANBASEK9-M), Version 15.2(7)E4',
  })
  raw?: unknown;
  @ApiProperty({ type: JobErrorDto, nullable: true }) error!: JobErrorDto | null;
  @ApiPropertyOptional({ type: () => [ConfigLineDto], description: 'Config jobs: each line\'s fate, in order' })
  lines?: ConfigLineDto[];
  @ApiPropertyOptional({ description: 'Config dry runs: the device\'s own diff of the candidate against the running config', example: '[edit interfaces ge-0/0/1]\n+   description uplink;' })
  diff?: string;
}

export class JobDto {
  @ApiProperty({ example: '018f3c2a9b1e4f9a2c7d' }) id!: string;
  @ApiProperty({ enum: JOB_STATUSES, example: 'finished', description: 'scheduled: waiting for options.run_at/delay or a retry' }) status!: string;
  @ApiProperty({ example: 'pinned_192.168.1.1' }) queue!: string;
  @ApiProperty({ example: '192.168.1.1' }) host!: string;
  @ApiProperty({ nullable: true, example: 'worker-node-1' }) node!: string | null;
  @ApiProperty({ nullable: true, example: 'pinned_192.168.1.1@worker-node-1' }) worker!: string | null;
  @ApiProperty({ example: '2024-01-01T12:00:00.000+08:00' }) created_at!: string;
  @ApiProperty({ nullable: true }) enqueued_at!: string | null;
  @ApiProperty({ nullable: true }) started_at!: string | null;
  @ApiProperty({ nullable: true }) ended_at!: string | null;
  @ApiProperty({ type: JobResultDto, nullable: true }) result!: JobResultDto | null;
  @ApiProperty({ nullable: true, example: 3.0, description: 'ended_at - started_at, seconds' }) duration!: number | null;
  @ApiProperty({ nullable: true, example: 1.0, description: 'started_at - enqueued_at, seconds' }) queue_time!: number | null;
  @ApiPropertyOptional({ nullable: true, example: 'netmiko' }) driver!: string | null;
  @ApiPropertyOptional({ nullable: true, example: 'cisco_ios' }) device_type!: string | null;
  @ApiPropertyOptional({ nullable: true, type: [String], example: ['show version'] }) command!: string[] | null;
  @ApiPropertyOptional({ nullable: true, type: [String] }) config!: string[] | null;
  @ApiPropertyOptional({ nullable: true, description: 'Webhook target without credentials', example: { url: 'https://hooks.example.com/netpulse', method: 'POST' } })
  webhook!: { url: string; method: string } | null;
  @ApiPropertyOptional({ nullable: true, description: 'How the output is parsed (template source, not its text)', example: { name: 'textfsm', use_ntc_template: true } })
  parsing!: object | null;
  @ApiPropertyOptional({ nullable: true, description: 'How config was rendered', example: { name: 'jinja2', source: 'file://interfaces.j2' } })
  rendering!: object | null;
  @ApiPropertyOptional({ nullable: true, description: 'When a scheduled job becomes (or became) queued: options.run_at/delay, or a retry\'s next attempt' })
  run_at!: string | null;
  @ApiPropertyOptional({ example: 5, description: '1 runs first, 10 last' }) priority!: number;
  @ApiPropertyOptional({ nullable: true, example: 'nightly-backup', description: 'The schedule that made the job' }) schedule!: string | null;
  @ApiPropertyOptional({ example: 1, description: 'Runs started so far, retries included' }) attempts!: number;
  @ApiPropertyOptional({ nullable: true, example: { attempts: 3, backoff: 'exponential', delay: 10 } }) retry!: object | null;
  @ApiPropertyOptional({ nullable: true, example: 'core-routers', description: 'The credential set named (never its content)' }) credential!: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'The bulk this job was submitted in', example: '018f3c2a9b1e4f9a0b11' })
  batch_id!: string | null;
}

class BatchCountsDto {
  @ApiProperty({ example: 998 }) queued!: number;
  @ApiProperty({ example: 2 }) started!: number;
  @ApiProperty({ example: 0 }) finished!: number;
  @ApiProperty({ example: 0 }) failed!: number;
  @ApiProperty({ example: 0 }) cancelled!: number;
  @ApiProperty({ example: 0, description: 'waiting for options.run_at/delay or a retry' }) scheduled!: number;
}

/** GET /job/batch/{id}: a bulk's jobs counted by status. */
export class BatchDto {
  @ApiProperty({ example: '018f3c2a9b1e4f9a0b11' }) id!: string;
  @ApiProperty({ example: 1000, description: 'Jobs the bulk stored (devices in failed are not jobs)' }) total!: number;
  @ApiProperty({ type: BatchCountsDto, description: 'Jobs in each status now (ended jobs past JOB_RESULT_TTL are no longer counted)' })
  counts!: BatchCountsDto;
  @ApiProperty({ example: '2024-01-01T12:00:00.000+08:00' }) created_at!: string;
  @ApiProperty({ example: false, description: 'No job of the batch is waiting or running' }) done!: boolean;
}

export class PageDto {
  @ApiProperty({ example: 100 }) limit!: number;
  @ApiProperty({ nullable: true, type: String, description: 'Pass as cursor for the next page; null on the last page' })
  next_cursor!: string | null;
}

export class CancelResultDto {
  @ApiProperty({ example: 2 }) cancelled_count!: number;
  @ApiProperty({ type: [String], example: ['018f3c2a9b1e4f9a2c7d', '018f3c2a9b1e4f9a2c7e'] }) cancelled_jobs!: string[];
}
