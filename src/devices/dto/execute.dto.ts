import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined, IsIn, IsInt, IsObject, IsOptional, IsUrl, Max, Min, ValidateNested, ValidationArguments,
  ValidatorConstraint, ValidatorConstraintInterface, Validate,
} from 'class-validator';
import { ParsingDto, RenderingDto } from '../../templates/dto/template.dto';
import { ConfigOptionsDto } from './config-options.dto';
import { ConnectionArgsDto } from './connection-args.dto';
import { TimeOptionsDto } from './time-options.dto';
import { DriverArgsDto } from './driver-args.dto';

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

/** Variables of a rendered config (with `rendering`): an object, at most this many top-level keys. */
const MAX_CONFIG_VARIABLES = 1000;

/** `config`: lines as CommandLines wants them, or, when the request has `rendering`, the template's variables (an object). */
@ValidatorConstraint({ name: 'configLinesOrVariables' })
export class ConfigLinesOrVariables implements ValidatorConstraintInterface {
  private readonly lines = new CommandLines();

  validate(value: unknown, args: ValidationArguments): boolean {
    if (!(args.object as { rendering?: unknown }).rendering) return this.lines.validate(value);
    return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length <= MAX_CONFIG_VARIABLES;
  }
  defaultMessage(args: ValidationArguments): string {
    if (!(args.object as { rendering?: unknown }).rendering) return this.lines.defaultMessage(args);
    return `with rendering, config must be an object of the template's variables (at most ${MAX_CONFIG_VARIABLES} keys)`;
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

/** Basic auth of a webhook: `{username, password}`, or the original's `[username, password]` pair. */
@ValidatorConstraint({ name: 'basicAuth' })
export class BasicAuth implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    const pair = Array.isArray(value) ? value : [(value as { username?: unknown })?.username, (value as { password?: unknown })?.password];
    if (!Array.isArray(value) && (typeof value !== 'object' || value === null || Object.keys(value).some((k) => k !== 'username' && k !== 'password'))) return false;
    return pair.length === 2 && pair.every((v) => typeof v === 'string' && v.length <= 1024 && !/[\x00-\x1f\x7f]/.test(v)) && !(pair[0] as string).includes(':');
  }
  defaultMessage(): string {
    return 'auth must be {"username": "...", "password": "..."} (or a [username, password] pair); the username may not contain ":"';
  }
}

export const MAX_WEBHOOK_RETRIES = 10;
export const DEFAULT_WEBHOOK_RETRIES = 4;

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

  @ApiPropertyOptional({ description: 'Basic auth (never returned)', example: { username: 'netpulse', password: '***' } })
  @IsOptional() @Validate(BasicAuth)
  auth?: { username: string; password: string } | [string, string];

  @ApiPropertyOptional({ description: 'Deliveries retried after a failure (exponential backoff from 1 s)', minimum: 0, maximum: MAX_WEBHOOK_RETRIES, default: DEFAULT_WEBHOOK_RETRIES })
  @IsOptional() @IsInt() @Min(0) @Max(MAX_WEBHOOK_RETRIES)
  max_retries?: number;
}

export class ExecuteOptionsDto extends IntersectionType(TimeOptionsDto, ConfigOptionsDto) {
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

  @ApiPropertyOptional({
    description: 'A write job: config lines (exactly one of command and config); with rendering, an object of the template\'s variables',
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }, { type: 'object' }],
    example: ['interface Gi0/1', ' description uplink'],
  })
  @IsOptional() @Validate(ConfigLinesOrVariables)
  config?: string | string[] | Record<string, unknown>;

  @ApiPropertyOptional({ type: DriverArgsDto })
  @IsOptional() @ValidateNested() @Type(() => DriverArgsDto)
  driver_args?: DriverArgsDto;

  @ApiPropertyOptional({
    type: ParsingDto,
    description: 'Command jobs: parse each command\'s output on the worker node into records (retval), the raw text kept in result.raw; '
      + 'with use_ntc_template and no ntc_template_args, platform is device_type and command each command sent',
  })
  @IsOptional() @ValidateNested() @Type(() => ParsingDto)
  parsing?: ParsingDto;

  @ApiPropertyOptional({
    type: RenderingDto,
    description: 'Config jobs: render the config lines from this Jinja2 template with config as its variables, in the API before the job is stored',
  })
  @IsOptional() @ValidateNested() @Type(() => RenderingDto)
  rendering?: RenderingDto;

  @ApiPropertyOptional({ type: ExecuteOptionsDto })
  @IsOptional() @ValidateNested() @Type(() => ExecuteOptionsDto)
  options?: ExecuteOptionsDto;
}
