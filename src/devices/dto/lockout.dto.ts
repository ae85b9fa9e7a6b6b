import { ApiProperty } from '@nestjs/swagger';
import { IsHost } from '../../common/field-rules';

/** DELETE /device/lockout: the host whose lock to clear. */
export class LockoutQuery {
  @ApiProperty({ description: 'The device host whose authentication lockout to clear', example: '192.168.1.1' })
  @IsHost()
  host!: string;
}

export class LockoutClearedDto {
  @ApiProperty({ example: '192.168.1.1' }) host!: string;
  @ApiProperty({ description: 'true when the host was locked and is no longer; false when it was not locked (nothing to clear)', example: true })
  cleared!: boolean;
}
