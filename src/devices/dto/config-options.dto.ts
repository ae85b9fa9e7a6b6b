import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';

/**
 * The options of a config job (../shared/API.md, "Configuration changes done safely"). A class of its own that the
 * request's options extend, so other options grow beside it without touching it.
 */
export class ConfigOptionsDto {
  @ApiPropertyOptional({
    description: 'Config jobs: after the lines are applied, run the device type\'s save command and answer its questions (write memory, '
      + 'copy running-config startup-config, Huawei/Comware save with confirmations). Types whose commit is persistent (Junos, IOS-XR, '
      + 'FortiOS) have nothing more to do',
    default: false,
  })
  @IsOptional() @IsBoolean()
  save?: boolean;

  @ApiPropertyOptional({
    description: 'Config jobs: after the first rejected line the rest are skipped and config mode is left discarding what can be '
      + 'discarded (default). false sends every line and reports each in result.lines; the job still fails when any was rejected',
    default: true,
  })
  @IsOptional() @IsBoolean()
  stop_on_error?: boolean;

  @ApiPropertyOptional({
    description: 'Config jobs on types with a candidate configuration (juniper_junos, arista_eos configure sessions, cisco_xr): load the '
      + 'lines, return the device\'s own diff in result.diff, discard the candidate. The running config is not changed',
    default: false,
  })
  @IsOptional() @IsBoolean()
  dry_run?: boolean;
}
