import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsObject, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateIf, ValidateNested } from 'class-validator';

export const PARSER_NAMES = ['textfsm'] as const;
export const RENDERER_NAMES = ['jinja2'] as const;
export type ParserName = (typeof PARSER_NAMES)[number];
export type RendererName = (typeof RENDERER_NAMES)[number];

/** A template field: its text, `file://NAME` or an `http(s)://` URL (the body limit bounds it first). */
const TEMPLATE_FIELD_MAX = 1024 * 1024;
const NO_CONTROL_BUT_TAB = /^[^\x00-\x08\x0a-\x1f\x7f]*$/;

const SHOW_VERSION_TEMPLATE = [
  'Value VERSION (\\S+)',
  'Value HOSTNAME (\\S+)',
  'Value UPTIME (.+)',
  '',
  'Start',
  '  ^.*Software.*Version ${VERSION},',
  '  ^${HOSTNAME} uptime is ${UPTIME} -> Record',
].join('\n');

export class NtcTemplateArgsDto {
  @ApiProperty({ description: 'ntc-templates platform (netmiko device_type)', example: 'cisco_ios' })
  @IsString() @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'must be a platform name (letters, digits, _ . -, up to 64)' })
  platform!: string;

  @ApiProperty({ description: 'The command whose output this is (abbreviations as the index allows)', example: 'show version' })
  @IsString() @MinLength(1) @MaxLength(512) @Matches(NO_CONTROL_BUT_TAB, { message: 'must not contain control characters' })
  command!: string;
}

/** How to parse output: a TextFSM template (text or source), or ntc-templates by platform and command. */
export class ParsingDto {
  @ApiPropertyOptional({ enum: PARSER_NAMES, default: 'textfsm' })
  @IsOptional() @IsIn(PARSER_NAMES as unknown as string[], { message: `must be one of ${PARSER_NAMES.join(', ')}` })
  name?: ParserName;

  @ApiPropertyOptional({
    description: 'TextFSM template: its text, file://NAME (from TEMPLATES_DIR) or http(s)://URL (hosts of TEMPLATE_URL_ALLOWLIST). '
      + 'Required unless use_ntc_template.',
    example: SHOW_VERSION_TEMPLATE,
  })
  @ValidateIf((o: ParsingDto) => o.use_ntc_template !== true || o.template !== undefined)
  @IsString() @MinLength(1, { message: 'is required unless use_ntc_template is true' }) @MaxLength(TEMPLATE_FIELD_MAX)
  template?: string;

  @ApiPropertyOptional({ description: 'Pick the template from ntc-templates (NTC_TEMPLATES_DIR) by platform and command', default: false })
  @IsOptional() @IsBoolean()
  use_ntc_template?: boolean;

  @ApiPropertyOptional({
    type: NtcTemplateArgsDto,
    description: 'With use_ntc_template. On jobs it may be left out: platform is then device_type and command each command sent.',
  })
  @IsOptional() @ValidateNested() @Type(() => NtcTemplateArgsDto)
  ntc_template_args?: NtcTemplateArgsDto;
}

export class ParseTemplateDto extends ParsingDto {
  @ApiProperty({ description: 'The device output to parse', example: 'Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E4, RELEASE SOFTWARE (fc2)\nsw1 uptime is 3 weeks, 2 days\n' })
  @IsString()
  context!: string;
}

/** How to render config: a Jinja2 template (text or source); the variables come with the request. */
export class RenderingDto {
  @ApiPropertyOptional({ enum: RENDERER_NAMES, default: 'jinja2' })
  @IsOptional() @IsIn(RENDERER_NAMES as unknown as string[], { message: `must be one of ${RENDERER_NAMES.join(', ')}` })
  name?: RendererName;

  @ApiProperty({
    description: 'Jinja2 template: its text, file://NAME (from TEMPLATES_DIR) or http(s)://URL (hosts of TEMPLATE_URL_ALLOWLIST)',
    example: '{% for i in interfaces %}interface {{ i.name }}\n description {{ i.description }}\n{% endfor %}',
  })
  @IsString() @MinLength(1) @MaxLength(TEMPLATE_FIELD_MAX)
  template!: string;
}

export class RenderTemplateDto extends RenderingDto {
  @ApiPropertyOptional({
    description: 'Variables of the template; an undefined variable is an error, never an empty string',
    example: { interfaces: [{ name: 'GigabitEthernet0/1', description: 'uplink' }] },
  })
  @IsOptional() @IsObject()
  context?: Record<string, unknown>;
}
