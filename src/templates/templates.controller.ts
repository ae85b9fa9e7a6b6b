import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { ParsedRecords } from '../jobs/job.model';
import { PARSER_NAMES, ParseTemplateDto, RENDERER_NAMES, RenderTemplateDto } from './dto/template.dto';
import { TemplatesService } from './templates.service';

const RECORDS_EXAMPLE = {
  schema: {
    properties: {
      code: { example: 200 }, message: { example: 'success' },
      data: { type: 'array', items: { type: 'object' }, example: [{ VERSION: '15.2(7)E4', HOSTNAME: 'sw1', UPTIME: '3 weeks, 2 days' }] },
    },
  },
};
const RENDERED_EXAMPLE = {
  schema: { properties: { code: { example: 200 }, message: { example: 'success' }, data: { type: 'string', example: 'interface GigabitEthernet0/1\n description uplink' } } },
};
const PARSE_DESCRIPTION = 'TextFSM (the semantics of Python textfsm 1.1.0) with the given template, or ntc-templates chosen by '
  + 'platform and command (use_ntc_template; records then have lowercased keys, as ntc_templates.parse.parse_output gives them). '
  + 'A template error is a 400 with its line; output the template refuses with its Error action is a 422.';
const RENDER_DESCRIPTION = 'Jinja2 (rendered with nunjucks, configured as Jinja2 with StrictUndefined): an undefined variable is a 400 naming it.';

@ApiTags('templates')
@ApiSecurity('api-key')
@Controller('template')
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @Post('parse')
  @HttpCode(200)
  @ApiOperation({ summary: 'Parse device output into records', description: PARSE_DESCRIPTION })
  @ApiOkResponse(RECORDS_EXAMPLE)
  @ApiBadRequestResponse({ description: 'Template error (with its line), source refused, unknown parser, no ntc template for the pair' })
  @ApiUnprocessableEntityResponse({ description: 'The template refused this output (TextFSM Error action)' })
  parse(@Body() dto: ParseTemplateDto): Promise<ParsedRecords> {
    return this.templates.parse(dto);
  }

  @Post('parse/:name')
  @HttpCode(200)
  @ApiOperation({ summary: 'Parse device output with the named parser', description: PARSE_DESCRIPTION })
  @ApiParam({ name: 'name', enum: PARSER_NAMES })
  @ApiOkResponse(RECORDS_EXAMPLE)
  parseWith(@Param('name') name: string, @Body() dto: ParseTemplateDto): Promise<ParsedRecords> {
    return this.templates.parse(dto, name);
  }

  @Post('render')
  @HttpCode(200)
  @ApiOperation({ summary: 'Render a configuration template', description: RENDER_DESCRIPTION })
  @ApiOkResponse(RENDERED_EXAMPLE)
  @ApiBadRequestResponse({ description: 'Template error (with its line), undefined variable, source refused, unknown renderer' })
  render(@Body() dto: RenderTemplateDto): Promise<string> {
    return this.templates.render(dto);
  }

  @Post('render/:name')
  @HttpCode(200)
  @ApiOperation({ summary: 'Render a configuration template with the named renderer', description: RENDER_DESCRIPTION })
  @ApiParam({ name: 'name', enum: RENDERER_NAMES })
  @ApiOkResponse(RENDERED_EXAMPLE)
  renderWith(@Param('name') name: string, @Body() dto: RenderTemplateDto): Promise<string> {
    return this.templates.render(dto, name);
  }
}
