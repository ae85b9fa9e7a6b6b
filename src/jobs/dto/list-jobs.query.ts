import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, Validate, ValidationArguments, ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';
import { IntQuery, IsHost, IsJobIdQuery, IsNodeName, IsQueueName } from '../../common/field-rules';
import { JOB_STATUSES, JOB_VIEW_FIELDS, JobStatus } from '../job.model';
import { CREDENTIAL_NAME as SCHEDULE_NAME } from '../../devices/dto/connection-args.dto';

/** `fields`: job field names, comma-separated, each known; the message names the unknown ones. */
@ValidatorConstraint({ name: 'jobFieldList' })
export class JobFieldList implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && unknownFields(value).length === 0;
  }
  defaultMessage(args?: ValidationArguments): string {
    const unknown = typeof args?.value === 'string' ? unknownFields(args.value) : [];
    return `${unknown.length > 0 ? `unknown field(s) ${unknown.join(', ')}: ` : ''}must be job field names separated by commas: ${JOB_VIEW_FIELDS.join(', ')}`;
  }
}

/** The names of a fields list that are not job fields (an empty name too). */
function unknownFields(list: string): string[] {
  return list.split(',').filter((name) => !(JOB_VIEW_FIELDS as string[]).includes(name)).map((name) => JSON.stringify(name).slice(0, 70));
}

/** The fields of a validated fields list. */
export function parseFieldList(list: string): Set<(typeof JOB_VIEW_FIELDS)[number]> {
  return new Set(list.split(',') as (typeof JOB_VIEW_FIELDS)[number][]);
}

export class ListJobsQuery {
  @ApiPropertyOptional({ description: 'Job id; wins over every other filter. Unknown id: empty list.', example: '018f3c2a9b1e4f9a2c7d' })
  @IsOptional() @IsJobIdQuery()
  id?: string;

  @ApiPropertyOptional({ example: 'pinned_192.168.1.1' })
  @IsOptional() @IsQueueName()
  queue?: string;

  @ApiPropertyOptional({ enum: JOB_STATUSES, example: 'finished' })
  @IsOptional() @IsIn(JOB_STATUSES as unknown as string[], { message: `must be one of ${JOB_STATUSES.join(', ')}` })
  status?: JobStatus;

  @ApiPropertyOptional({ description: 'Worker node that ran the job or that its host is pinned to', example: 'worker-node-1' })
  @IsOptional() @IsNodeName()
  node?: string;

  @ApiPropertyOptional({ description: 'Target device, whatever the queue', example: '192.168.1.1' })
  @IsOptional() @IsHost()
  host?: string;

  @ApiPropertyOptional({ description: 'Jobs made by this schedule (POST /schedule)', example: 'nightly-backup' })
  @IsOptional() @IsString() @Matches(SCHEDULE_NAME, { message: 'must be a schedule name (letters, digits, _ . -, up to 64)' })
  schedule?: string;

  @ApiPropertyOptional({ description: 'Jobs of one bulk: its batch_id', example: '018f3c2a9b1e4f9a0b11' })
  @IsOptional() @IsJobIdQuery()
  batch?: string;

  @ApiPropertyOptional({ description: 'With id: answer as soon as the job has ended, or after this many seconds with its state then', minimum: 1, maximum: 60, example: 30 })
  @IntQuery(1, 60)
  wait?: number;

  @ApiPropertyOptional({
    description: `Only these fields of each job, comma-separated (any of ${JOB_VIEW_FIELDS.join(', ')}); without result and the request `
      + 'fields, the jobs\' documents are not even read',
    example: 'id,status,ended_at',
  })
  @IsOptional() @IsString() @Validate(JobFieldList)
  fields?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IntQuery(1, 1000)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque: page.next_cursor of the previous page' })
  @IsOptional() @IsString() @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'must be a cursor returned by a previous page' })
  cursor?: string;
}
