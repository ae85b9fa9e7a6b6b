import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Allow, ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, ValidateNested } from 'class-validator';
import { ConnectionArgsDto } from './connection-args.dto';
import { ExecuteDto } from './execute.dto';

/** Any part of connection_args; merged over the request's connection_args for one device. */
export class PartialConnectionArgsDto extends PartialType(ConnectionArgsDto) {}

/**
 * One entry of devices. The pipe only checks that it is an object of known connection_args fields
 * (unknown fields are still a 400 for the whole request); the values are validated by the service
 * after the merge over connection_args, so one bad device is reported in `failed`, not fatal.
 */
export class BulkDeviceEntry {}
const DEVICE_FIELDS: Record<keyof ConnectionArgsDto, true> = {
  device_type: true, host: true, port: true, username: true, password: true, secret: true,
  private_key: true, passphrase: true, timeout: true, host_key_fingerprint: true,
  credential: true,
};
for (const field of Object.keys(DEVICE_FIELDS)) Allow()(BulkDeviceEntry.prototype, field);

export const MAX_BULK_DEVICES = 10000;

export class BulkExecuteDto extends OmitType(ExecuteDto, ['connection_args'] as const) {
  @ApiPropertyOptional({ type: PartialConnectionArgsDto, description: 'Defaults shared by every device' })
  @IsOptional() @ValidateNested() @Type(() => PartialConnectionArgsDto)
  connection_args?: PartialConnectionArgsDto;

  @ApiProperty({ type: [PartialConnectionArgsDto], example: [{ host: '192.168.1.1' }, { host: '192.168.1.2', port: 2222 }] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_BULK_DEVICES)
  @ValidateNested({ each: true }) @Type(() => BulkDeviceEntry)
  devices!: Partial<ConnectionArgsDto>[];
}
