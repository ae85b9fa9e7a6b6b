import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined, IsIn, IsInt, IsObject, IsOptional, IsUrl, Max, Min, ValidateNested, ValidationArguments,
  ValidatorConstraint, ValidatorConstraintInterface, Validate,
} from 'class-validator';
import { ConnectionArgsDto } from './connection-args.dto';

export const DRIVER_NAMES = ['netmiko', 'paramiko', 'ssh'] as const;
export type DriverName = (typeof DRIVER_NAMES)[number];
export const QUEUE_STRATEGIES = ['fifo', 'pinned'] as const;

const MAX_LINES = 500;
const MAX_LINE_LENGTH = 4096;

/** A string, or a non-empty list of strings: one line each, no control characters but tab. */
@ValidatorConstraint({ name: 'commandLines' })
export class CommandLines implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    const lines = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(lines) || lines.length === 0 || lines.length > MAX_LINES) return false;
    return lines.every((l) => typeof l === 'string' && l.trim().length > 0 && l.length <= MAX_LINE_LENGTH && !/[\x00-\x08\x0a-\x1f\x7f]/.test(l));
  }
  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must be a non-empty string or a list of 1-${MAX_LINES} non-empty lines of at most ${MAX_LINE_LENGTH} characters, without control characters`;
  }
}

/** Webhook headers: at most 20, names as HTTP allows, values without control characters. */
@ValidatorConstraint({ name: 'headerMap' })
export class HeaderMap implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.length <= 20 && entries.every(([k, v]) =>
      /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/.test(k) && typeof v === 'string' && v.length <= 4096 && !/[\x00-\x1f\x7f]/.test(v));
  }
  defaultMessage(): string {
    return 'headers must be an object of at most 20 header names to string values';
  }
}

export class DriverArgsDto {
  @ApiPropertyOptional({ description: 'Seconds to wait for each command to finish', example: 30 })
  @IsOptional() @IsInt() @Min(1) @Max(3600)
  read_timeout?: number;
}

export class WebhookDto {
  @ApiProperty({ example: 'https://hooks.example.com/netpulse' })
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true }, { message: 'must be an http(s) URL' })
  url!: string;

  @ApiPropertyOptional({ enum: ['POST', 'PUT', 'PATCH'], default: 'POST' })
  @IsOptional() @IsIn(['POST', 'PUT', 'PATCH'])
  method?: 'POST' | 'PUT' | 'PATCH';

  @ApiPropertyOptional({ description: 'Extra headers (credentials allowed: never returned)', example: { Authorization: 'Bearer ***' } })
  @IsOptional() @IsObject() @Validate(HeaderMap)
  headers?: Record<string, string>;

  @ApiPropertyOptional({ description: 'Seconds per delivery attempt', example: 5, default: 5 })
  @IsOptional() @IsInt() @Min(1) @Max(60)
  timeout?: number;
}

export class ExecuteOptionsDto {
  @ApiPropertyOptional({ enum: QUEUE_STRATEGIES, description: 'Default: pinned for SSH drivers' })
  @IsOptional() @IsIn(QUEUE_STRATEGIES as unknown as string[])
  queue_strategy?: 'fifo' | 'pinned';

  @ApiPropertyOptional({ description: 'Run timeout of this job, seconds', minimum: 1, maximum: 3600, example: 300 })
  @IsOptional() @IsInt() @Min(1) @Max(3600)
  ttl?: number;

  @ApiPropertyOptional({ type: WebhookDto })
  @IsOptional() @ValidateNested() @Type(() => WebhookDto)
  webhook?: WebhookDto;
}

export class ExecuteDto {
  @ApiProperty({ enum: DRIVER_NAMES, example: 'netmiko' })
  @IsIn(DRIVER_NAMES as unknown as string[], { message: `must be one of ${DRIVER_NAMES.join(', ')}` })
  driver!: DriverName;

  @ApiProperty({ type: ConnectionArgsDto })
  @IsDefined({ message: 'is required' }) @ValidateNested() @Type(() => ConnectionArgsDto)
  connection_args!: ConnectionArgsDto;

  @ApiPropertyOptional({ description: 'A read job: one command or a list', oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }], example: 'show version' })
  @IsOptional() @Validate(CommandLines)
  command?: string | string[];

  @ApiPropertyOptional({ description: 'A write job: config lines (exactly one of command and config)', oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }], example: ['interface Gi0/1', ' description uplink'] })
  @IsOptional() @Validate(CommandLines)
  config?: string | string[];

  @ApiPropertyOptional({ type: DriverArgsDto })
  @IsOptional() @ValidateNested() @Type(() => DriverArgsDto)
  driver_args?: DriverArgsDto;

  @ApiPropertyOptional({ type: ExecuteOptionsDto })
  @IsOptional() @ValidateNested() @Type(() => ExecuteOptionsDto)
  options?: ExecuteOptionsDto;
}
