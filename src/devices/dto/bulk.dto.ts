import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, ValidateNested } from 'class-validator';
import { ConnectionArgsDto } from './connection-args.dto';
import { ExecuteDto } from './execute.dto';

/** Any part of connection_args; merged over the request's connection_args for one device. */
export class PartialConnectionArgsDto extends PartialType(ConnectionArgsDto) {}

export const MAX_BULK_DEVICES = 10000;

export class BulkExecuteDto extends OmitType(ExecuteDto, ['connection_args'] as const) {
  @ApiPropertyOptional({ type: PartialConnectionArgsDto, description: 'Defaults shared by every device' })
  @IsOptional() @ValidateNested() @Type(() => PartialConnectionArgsDto)
  connection_args?: PartialConnectionArgsDto;

  @ApiProperty({ type: [PartialConnectionArgsDto], example: [{ host: '192.168.1.1' }, { host: '192.168.1.2', port: 2222 }] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_BULK_DEVICES)
  @ValidateNested({ each: true }) @Type(() => PartialConnectionArgsDto)
  devices!: PartialConnectionArgsDto[];
}
