import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { CREDENTIAL_NAME } from '../../devices/dto/connection-args.dto';
import { ExecuteDto } from '../../devices/dto/execute.dto';

export const SCHEDULE_NAME = CREDENTIAL_NAME;
const NAME_MESSAGE = 'must be a schedule name (letters, digits, _ . -, up to 64)';

/** POST /schedule: a recurring job. */
export class CreateScheduleDto {
  @ApiProperty({ example: 'nightly-backup', description: 'Unique; posting the same name again replaces the schedule' })
  @IsString() @Matches(SCHEDULE_NAME, { message: NAME_MESSAGE })
  name!: string;

  @ApiPropertyOptional({ example: '0 2 * * *', description: 'Cron expression (5 fields, or 6 with seconds first); exactly one of cron and every' })
  @IsOptional() @IsString() @MaxLength(120) @Matches(/^[0-9A-Za-z*/,?#LW -]+$/, { message: 'must be a cron expression' })
  cron?: string;

  @ApiPropertyOptional({ example: 'Asia/Shanghai', description: 'IANA time zone of cron (default: TZ)' })
  @IsOptional() @IsString() @MaxLength(64) @Matches(/^[A-Za-z0-9_+/-]+$/, { message: 'must be an IANA time zone such as Asia/Shanghai' })
  timezone?: string;

  @ApiPropertyOptional({ example: 3600, description: 'Instead of cron: every this many seconds', minimum: 1, maximum: 30 * 86400 })
  @IsOptional() @IsInt() @Min(1) @Max(30 * 86400)
  every?: number;

  @ApiProperty({
    type: ExecuteDto,
    description: 'A POST /device/execute body. Its connection_args must name a credential set and give no password, secret, key or '
      + 'passphrase; its webhook may not carry auth or headers; no options.run_at or options.delay.',
  })
  @IsDefined({ message: 'is required' }) @ValidateNested() @Type(() => ExecuteDto)
  job!: ExecuteDto;
}

export class ScheduleNameQuery {
  @ApiProperty({ example: 'nightly-backup' })
  @IsString() @Matches(SCHEDULE_NAME, { message: NAME_MESSAGE })
  name!: string;
}

class LastJobDto {
  @ApiProperty({ example: '018f3c2a9b1e4f9a2c7d' }) id!: string;
  @ApiProperty({ description: 'The occurrence it ran for', example: '2024-01-01T02:00:00.000+08:00' }) run_at!: string;
}

class MissedDto {
  @ApiProperty({ example: 3, description: 'Occurrences not run in all (everything was down, or they came too late)' }) total!: number;
  @ApiProperty({ nullable: true, description: 'The last gap: how many, from the first to the last occurrence missed', example: { count: 3, from: '...', to: '...' } })
  last!: { count: number; from: string; to: string } | null;
}

/** A schedule as GET /schedule shows it. */
export class ScheduleDto {
  @ApiProperty({ example: 'nightly-backup' }) name!: string;
  @ApiProperty({ nullable: true, example: '0 2 * * *' }) cron!: string | null;
  @ApiProperty({ nullable: true, example: null }) every!: number | null;
  @ApiProperty({ nullable: true, example: 'Asia/Shanghai' }) timezone!: string | null;
  @ApiProperty({ description: 'The job each occurrence submits, as stored (no secrets; the credential by name)' }) job!: object;
  @ApiProperty({ nullable: true, description: 'Next occurrence' }) next_run_at!: string | null;
  @ApiProperty({ type: LastJobDto, nullable: true }) last_job!: LastJobDto | null;
  @ApiProperty({ nullable: true, description: 'Why the last occurrence could not submit its job (no capacity, host locked...)' }) last_error!: string | null;
  @ApiProperty({ type: MissedDto }) missed!: MissedDto;
  @ApiProperty() created_at!: string;
}
