import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Allow, ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, ValidateNested } from 'class-validator';
import { ConnectionArgsDto } from './connection-args.dto';
import { ExecuteDto } from './execute.dto';

/** Any part of connection_args; merged over the request's connection_args for one device. */
export class PartialConnectionArgsDto extends PartialType(ConnectionArgsDto) {}

/** What one device of a bulk may carry beside its connection_args: its own job, which wins over the shared one. */
export interface BulkDeviceJob {
  command?: string | string[];
  config?: string | string[] | Record<string, unknown>;
}

/** One entry of devices: connection_args fields, and optionally the device's own command or config. */
export type BulkDevice = Partial<ConnectionArgsDto> & BulkDeviceJob;

/**
 * One entry of devices. The pipe only checks that it is an object of known fields (unknown fields are
 * still a 400 for the whole request); the values are validated by the service after the merge over
 * connection_args, so one bad device is reported in `failed`, not fatal.
 */
export class BulkDeviceEntry {}
const DEVICE_FIELDS: Record<keyof BulkDevice, true> = {
  device_type: true, host: true, port: true, username: true, password: true, secret: true,
  private_key: true, passphrase: true, timeout: true, host_key_fingerprint: true, command: true, config: true,
  credential: true,
};
for (const field of Object.keys(DEVICE_FIELDS)) Allow()(BulkDeviceEntry.prototype, field);

/** Swagger's picture of an entry of devices. */
export class BulkDeviceDto extends PartialConnectionArgsDto {
  @ApiPropertyOptional({
    description: "This device's own command job (wins over the shared command or config)",
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: 'show ip interface brief',
  })
  command?: string | string[];

  @ApiPropertyOptional({
    description: "This device's own config lines (wins over the shared command or config); with rendering, its own variables",
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }, { type: 'object' }],
    example: ['interface Gi0/1', ' description uplink'],
  })
  config?: string | string[] | Record<string, unknown>;
}

export const MAX_BULK_DEVICES = 10000;

export class BulkExecuteDto extends OmitType(ExecuteDto, ['connection_args'] as const) {
  @ApiPropertyOptional({ type: PartialConnectionArgsDto, description: 'Defaults shared by every device' })
  @IsOptional() @ValidateNested() @Type(() => PartialConnectionArgsDto)
  connection_args?: PartialConnectionArgsDto;

  @ApiProperty({
    type: [BulkDeviceDto],
    description: 'Each entry is merged over connection_args; an entry may carry its own command or config',
    example: [{ host: '192.168.1.1' }, { host: '192.168.1.2', port: 2222, command: 'show version' }],
  })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_BULK_DEVICES)
  @ValidateNested({ each: true }) @Type(() => BulkDeviceEntry)
  devices!: BulkDevice[];
}
