import { ApiProperty } from '@nestjs/swagger';
import { WORKER_STATUSES } from '../worker.model';

export class WorkerDto {
  @ApiProperty({ example: 'pinned-192.168.1.1@worker-node-1' }) name!: string;
  @ApiProperty({ enum: WORKER_STATUSES, example: 'busy' }) status!: string;
  @ApiProperty({ example: 12345 }) pid!: number;
  @ApiProperty({ example: 'worker-node-1' }) hostname!: string;
  @ApiProperty({ example: 'worker-node-1' }) node!: string;
  @ApiProperty({ type: [String], example: ['pinned_192.168.1.1'] }) queues!: string[];
  @ApiProperty({ nullable: true, example: '192.168.1.1' }) host!: string | null;
  @ApiProperty({ example: '2024-01-01T12:00:00.000+08:00' }) last_heartbeat!: string;
  @ApiProperty({ example: '2024-01-01T08:00:00.000+08:00' }) birth_at!: string;
  @ApiProperty({ example: 150 }) successful_job_count!: number;
  @ApiProperty({ example: 2 }) failed_job_count!: number;
  @ApiProperty({ nullable: true, example: '01a2131d788684628418' }) current_job!: string | null;
}

export class WorkerStopDto {
  @ApiProperty({ example: 'pinned-192.168.1.1@worker-node-1' }) worker!: string;
  @ApiProperty({ example: 'stopped' }) status!: string;
  @ApiProperty({ example: 1 }) interrupted_jobs!: number;
}

export class WorkerStateDto {
  @ApiProperty({ example: 'fifo-1@worker-node-1' }) worker!: string;
  @ApiProperty({ enum: WORKER_STATUSES, example: 'suspended' }) status!: string;
}
