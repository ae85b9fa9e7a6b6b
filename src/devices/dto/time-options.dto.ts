import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, Matches, Max, Min, ValidateNested } from 'class-validator';
import { DEFAULT_PRIORITY } from '../../jobs/job.model';

/** How far ahead a job may be scheduled (options.run_at / options.delay): 30 days. */
export const MAX_SCHEDULE_AHEAD_SEC = 30 * 86400;
/** ISO 8601 with a date, a time and an offset (`Z` or `+08:00`): a time without a zone would be read in the API's. */
export const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** options.retry: another attempt when the connection failed before any command reached the device. */
export class RetryDto {
  @ApiProperty({ description: 'Attempts in all, the first included', minimum: 1, maximum: 10, example: 3 })
  @IsInt() @Min(1) @Max(10)
  attempts!: number;

  @ApiPropertyOptional({ enum: ['fixed', 'exponential'], default: 'fixed', description: 'exponential doubles the wait after each attempt' })
  @IsOptional() @IsIn(['fixed', 'exponential'])
  backoff?: 'fixed' | 'exponential';

  @ApiPropertyOptional({ description: 'Seconds before the second attempt', minimum: 0, maximum: 3600, default: 10, example: 10 })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(3600)
  delay?: number;
}

/**
 * The time options of a job (issue 17), a base of ExecuteOptionsDto: when it runs (run_at or delay; it is
 * `scheduled` until then), its priority in its queue, and retries of a connection that failed.
 */
export class TimeOptionsDto {
  @ApiPropertyOptional({ description: 'Run at this time (ISO 8601 with offset, at most 30 days ahead); the job is scheduled until then', example: '2024-01-01T02:00:00+08:00' })
  @IsOptional() @Matches(ISO_WITH_OFFSET, { message: 'must be an ISO 8601 time with an offset, such as 2024-01-01T02:00:00+08:00' })
  run_at?: string;

  @ApiPropertyOptional({ description: 'Run after this many seconds (instead of run_at)', minimum: 0, maximum: MAX_SCHEDULE_AHEAD_SEC, example: 60 })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(MAX_SCHEDULE_AHEAD_SEC)
  delay?: number;

  @ApiPropertyOptional({ description: 'Within its queue: 1 runs first, 10 last; equal priorities in submit order', minimum: 1, maximum: 10, default: DEFAULT_PRIORITY })
  @IsOptional() @IsInt() @Min(1) @Max(10)
  priority?: number;

  @ApiPropertyOptional({
    type: RetryDto,
    description: 'Retries only a connection that failed before any command reached the device (refused, timed out, unreachable); '
      + 'never after an authentication failure. The job is scheduled between attempts.',
  })
  @IsOptional() @ValidateNested() @Type(() => RetryDto)
  retry?: RetryDto;
}
