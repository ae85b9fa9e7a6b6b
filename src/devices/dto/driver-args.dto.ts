import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsNumber, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidatorConstraint, ValidatorConstraintInterface, Validate } from 'class-validator';

/** A regex the worker can compile (JavaScript syntax, which netmiko users' Python patterns mostly are). */
@ValidatorConstraint({ name: 'regexSource' })
export class RegexSource implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string' || /[\x00-\x08\x0a-\x1f\x7f]/.test(value)) return false;
    try {
      new RegExp(value);
      return true;
    } catch {
      return false;
    }
  }
  defaultMessage(): string {
    return 'must be a valid regular expression without control characters';
  }
}

/** Driver arguments, named as netmiko's send_command names them. All but read_timeout and delay_factor are for command jobs. */
export class DriverArgsDto {
  @ApiPropertyOptional({ description: 'Seconds to wait for each command to finish', example: 30 })
  @IsOptional() @IsInt() @Min(1) @Max(3600)
  read_timeout?: number;

  @ApiPropertyOptional({
    description: 'netmiko\'s delay_factor: multiplies the wait for each command (read_timeout, or the READ_TIMEOUT default). The SSH '
      + 'driver reads events, not loops of sleeps, so the wait is the only delay it scales',
    minimum: 0.1, maximum: 100, example: 2,
  })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0.1) @Max(100)
  delay_factor?: number;

  @ApiPropertyOptional({
    description: 'Command jobs: a regular expression; each command\'s answer ends when the output after its echo shows it, instead of at '
      + 'the prompt (for commands that ask a question). Searched in the last 4 KB of the answer',
    example: 'Destination filename',
  })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(256) @Validate(RegexSource)
  expect_string?: string;

  @ApiPropertyOptional({ description: 'Command jobs: false keeps the trailing prompt line in the output', default: true })
  @IsOptional() @IsBoolean()
  strip_prompt?: boolean;

  @ApiPropertyOptional({ description: 'Command jobs: false keeps the echoed command line at the start of the output', default: true })
  @IsOptional() @IsBoolean()
  strip_command?: boolean;

  @ApiPropertyOptional({
    description: 'Command jobs: true waits for the device to echo the command (or to answer something) before a prompt ends the read; '
      + 'false takes the first prompt (devices that never echo)',
    default: true,
  })
  @IsOptional() @IsBoolean()
  cmd_verify?: boolean;
}

/** The driver arguments that shape how a read command's answer is read (not meaningful for config lines). */
export const COMMAND_ONLY_DRIVER_ARGS = ['expect_string', 'strip_prompt', 'strip_command', 'cmd_verify'] as const;
