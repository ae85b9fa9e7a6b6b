import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { IsHost } from '../../common/field-rules';
import { DEVICE_TYPES, DeviceType } from '../drivers/device-driver';

const NO_CONTROL = /^[^\x00-\x1f\x7f]*$/;
/** Names of credential sets (CREDENTIALS_FILE) and of schedules. */
export const CREDENTIAL_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** How to reach and log in to a device. password, secret, private_key and passphrase are never returned. */
export class ConnectionArgsDto {
  @ApiProperty({ enum: DEVICE_TYPES, example: 'cisco_ios' })
  @IsIn(DEVICE_TYPES as unknown as string[], { message: `must be one of ${DEVICE_TYPES.join(', ')}` })
  device_type!: DeviceType;

  @ApiProperty({ example: '192.168.1.1' })
  @IsHost()
  host!: string;

  @ApiPropertyOptional({ example: 22, default: 22 })
  @IsOptional() @IsInt() @Min(1) @Max(65535)
  port?: number;

  @ApiPropertyOptional({ example: 'admin', description: 'Required unless credential names a set (whose username it then takes)' })
  @ValidateIf((o: ConnectionArgsDto) => o.credential === undefined || o.username !== undefined)
  @IsString() @MinLength(1) @MaxLength(128) @Matches(NO_CONTROL, { message: 'must not contain control characters' })
  username!: string;

  @ApiPropertyOptional({
    description: 'Name of a credential set of CREDENTIALS_FILE (username, password, secret, private_key, passphrase), read by the '
      + 'worker node when the job runs; fields given here win. The job stores the name only.',
    example: 'core-routers',
  })
  @IsOptional() @IsString() @Matches(CREDENTIAL_NAME, { message: 'must be a credential name (letters, digits, _ . -, up to 64)' })
  credential?: string;

  @ApiPropertyOptional({ example: '***', writeOnly: true })
  @IsOptional() @IsString() @MaxLength(1024)
  password?: string;

  @ApiPropertyOptional({ description: 'Enable secret', example: '***', writeOnly: true })
  @IsOptional() @IsString() @MaxLength(1024)
  secret?: string;

  @ApiPropertyOptional({ description: 'PEM private key, instead of a password', writeOnly: true })
  @IsOptional() @IsString() @MaxLength(16384)
  private_key?: string;

  @ApiPropertyOptional({ writeOnly: true })
  @IsOptional() @IsString() @MaxLength(1024)
  passphrase?: string;

  @ApiPropertyOptional({ description: 'Connect timeout, seconds', example: 10, default: 10 })
  @IsOptional() @IsInt() @Min(1) @Max(120)
  timeout?: number;

  @ApiPropertyOptional({ description: 'Pinned host key, as ssh-keygen -l prints it', example: 'SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8' })
  @IsOptional() @IsString() @Matches(/^SHA256:[A-Za-z0-9+/]{43}=?$/, { message: 'must look like SHA256:<43 base64 characters>' })
  host_key_fingerprint?: string;
}
