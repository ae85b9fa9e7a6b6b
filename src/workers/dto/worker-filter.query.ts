import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsHost, IsNodeName, IsQueueName } from '../../common/field-rules';

export const WORKER_NAME_PATTERN = /^[A-Za-z0-9_.:@-]{1,320}$/;

/** GET /worker: queue wins over node and host. */
export class ListWorkersQuery {
  @ApiPropertyOptional({ description: 'Workers consuming this queue (wins over node and host)', example: 'FifoQ' })
  @IsOptional() @IsQueueName()
  queue?: string;

  @ApiPropertyOptional({ example: 'worker-node-1' })
  @IsOptional() @IsNodeName()
  node?: string;

  @ApiPropertyOptional({ description: 'The pinned worker of this device', example: '192.168.1.1' })
  @IsOptional() @IsHost()
  host?: string;
}

/** DELETE /worker, POST /worker/suspend and /worker/resume: name wins; at least one filter. */
export class WorkerTargetQuery extends ListWorkersQuery {
  @ApiPropertyOptional({ description: 'Worker name (wins over the other filters)', example: 'pinned-192.168.1.1@worker-node-1' })
  @IsOptional() @IsString() @MaxLength(320) @Matches(WORKER_NAME_PATTERN, { message: 'must be a worker name (letters, digits, _ . : @ -)' })
  name?: string;
}
