import { ApiProperty } from '@nestjs/swagger';
import { IsJobIdQuery } from '../../common/field-rules';

/** The job of GET /job/{id}/events. */
export class JobIdParam {
  @ApiProperty({ example: '018f3c2a9b1e4f9a2c7d' })
  @IsJobIdQuery()
  id!: string;
}

/** GET /job/{id}/events takes no query parameters (unknown ones are a 400, as everywhere). */
export class JobEventsQuery {}
