import { ApiProperty } from '@nestjs/swagger';
import { IsJobIdQuery } from '../../common/field-rules';

/** The batch of GET /job/batch/{id}: the batch_id POST /device/bulk returned. */
export class BatchIdParam {
  @ApiProperty({ example: '018f3c2a9b1e4f9a0b11' })
  @IsJobIdQuery()
  id!: string;
}
