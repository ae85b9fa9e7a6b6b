import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsHost, IsJobIdQuery, IsQueueName } from '../../common/field-rules';

export class CancelJobsQuery {
  @ApiPropertyOptional({ description: 'Job id; wins over batch, queue and host', example: '018f3c2a9b1e4f9a2c7d' })
  @IsOptional() @IsJobIdQuery()
  id?: string;

  @ApiPropertyOptional({ description: 'Cancel every queued job of this bulk (its batch_id); with host, only those for that device', example: '018f3c2a9b1e4f9a0b11' })
  @IsOptional() @IsJobIdQuery()
  batch?: string;

  @ApiPropertyOptional({ description: 'Cancel every queued job of this queue', example: 'pinned_192.168.1.1' })
  @IsOptional() @IsQueueName()
  queue?: string;

  @ApiPropertyOptional({ description: 'Cancel every queued job for this device, whatever its queue', example: '192.168.1.1' })
  @IsOptional() @IsHost()
  host?: string;

  @ApiPropertyOptional({
    description: 'With id: also stop a started job: its command is interrupted (a config session is left with end), it ends failed with result.type "stopped" and the output so far; the pinned worker stays up. Without force a started job answers 409.',
    enum: ['true', 'false'],
  })
  @IsOptional() @IsIn(['true', 'false'], { message: 'must be true or false' })
  force?: 'true' | 'false';
}
