import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { ExecuteDto } from './execute.dto';

export class TestConnectionDto extends PickType(ExecuteDto, ['driver', 'connection_args'] as const) {}

export class TestConnectionResultDto {
  @ApiProperty({ example: true }) success!: boolean;
  @ApiProperty({ description: 'Seconds from connect to prompt', example: 0.42, nullable: true }) connection_time!: number | null;
  @ApiProperty({ nullable: true, example: null }) error_message!: string | null;
  @ApiPropertyOptional({ nullable: true, example: { prompt: 'Router#', hostname: 'Router' } })
  device_info!: { prompt: string; hostname: string } | null;
}
