import { HttpStatus, Injectable } from '@nestjs/common';
import { ApiError } from '../common/api-error';
import { AppConfig } from '../config/app-config';
import { ParsedRecords, ParsingSpec, RenderingSpec } from '../jobs/job.model';
import { PARSER_NAMES, ParseTemplateDto, ParsingDto, RENDERER_NAMES, RenderingDto, RenderTemplateDto } from './dto/template.dto';
import { JinjaRenderer, JinjaTemplateError } from './jinja/jinja-renderer';
import { OutputParser, TemplateLookupError } from './output-parser';
import { TemplateSources } from './template-sources';
import { TextFsmParseError, TextFsmTemplateError } from './textfsm';

/** Rendered config as lines: at most this many, each at most this long (the same bounds as `config` given as lines). */
export const MAX_CONFIG_LINES = 500;
export const MAX_CONFIG_LINE_LENGTH = 4096;

/**
 * The rules of /template/* and of templates on jobs: which engines exist, where templates come from, and how
 * an engine's error becomes an answer (a template's own errors are 400 with the line; output that a template
 * refuses with its Error action is 422).
 */
/** Config lines rendered from a template, and how (stored with the job for audit). */
export interface RenderedConfig {
  lines: string[];
  spec: RenderingSpec;
}

/** A loaded config template: render throws a 400-shaped ApiError for a render error or unusable lines. */
export interface ConfigTemplate {
  spec: RenderingSpec;
  render(variables: Record<string, unknown>): RenderedConfig;
}

@Injectable()
export class TemplatesService {
  private readonly jinja: JinjaRenderer;

  constructor(
    private readonly sources: TemplateSources,
    private readonly parser: OutputParser,
    config: AppConfig,
  ) {
    this.jinja = new JinjaRenderer({ maxOutputBytes: config.maxOutputBytes });
  }

  /** POST /template/parse[/{name}]: the records of `context`. */
  async parse(dto: ParseTemplateDto, pathName?: string): Promise<ParsedRecords> {
    checkName(pathName ?? dto.name, PARSER_NAMES, 'parser');
    const spec = await this.parsingSpec(dto, 'template');
    if (spec.use_ntc_template && !spec.ntc_template_args) {
      throw ApiError.badRequest('use_ntc_template needs ntc_template_args (platform and command) here', [{ field: 'ntc_template_args', error: 'is required with use_ntc_template' }]);
    }
    try {
      return this.parser.parse(spec, '', '', dto.context);
    } catch (err) {
      throw asApiError(err, 'template');
    }
  }

  /** POST /template/render[/{name}]: the rendered text. */
  async render(dto: RenderTemplateDto, pathName?: string): Promise<string> {
    checkName(pathName ?? dto.name, RENDERER_NAMES, 'renderer');
    const { text } = await this.sources.load(dto.template, 'template');
    try {
      return this.jinja.render(text, dto.context ?? {});
    } catch (err) {
      throw asApiError(err, 'template');
    }
  }

  /**
   * A job's `parsing`, ready to store: the template read from its source and compiled, so a broken one is a 400
   * now, not a failed job later. An ntc choice is checked per job with checkNtc (a bulk's devices may differ in type).
   */
  jobParsing(dto: ParsingDto): Promise<ParsingSpec> {
    return this.parsingSpec(dto, 'parsing.template');
  }

  /** With use_ntc_template: throws a 400 unless ntc-templates has a template for each command of the job. */
  checkNtc(spec: ParsingSpec, deviceType: string, commands: string[]): void {
    if (!spec.use_ntc_template) return;
    try {
      for (const command of commands) {
        const target = this.parser.ntcTarget(spec, deviceType, command);
        this.parser.requireNtcTemplate(target.platform, target.command);
      }
    } catch (err) {
      throw asApiError(err, 'parsing');
    }
  }

  /** A config job's lines rendered from its template and variables (`config`); errors are a 400 to the caller. */
  async renderConfig(dto: RenderingDto, variables: Record<string, unknown>): Promise<RenderedConfig> {
    return (await this.configTemplate(dto)).render(variables);
  }

  /** A config template read once from its source, to render for many devices (a bulk whose devices carry their own variables). */
  async configTemplate(dto: RenderingDto): Promise<ConfigTemplate> {
    const { text, source } = await this.sources.load(dto.template, 'rendering.template');
    const spec: RenderingSpec = { name: dto.name ?? 'jinja2', source };
    return {
      spec,
      render: (variables) => {
        let rendered: string;
        try {
          rendered = this.jinja.render(text, variables);
        } catch (err) {
          throw asApiError(err, 'rendering.template');
        }
        return { lines: configLines(rendered), spec };
      },
    };
  }

  private async parsingSpec(dto: ParsingDto, field: string): Promise<ParsingSpec> {
    const spec: ParsingSpec = { name: dto.name ?? 'textfsm' };
    if (dto.use_ntc_template) {
      spec.use_ntc_template = true;
      if (dto.ntc_template_args) spec.ntc_template_args = { platform: dto.ntc_template_args.platform, command: dto.ntc_template_args.command };
      try {
        this.parser.ntcIndex();
      } catch (err) {
        throw asApiError(err, field.replace(/template$/, 'use_ntc_template'));
      }
      return spec;
    }
    const { text, source } = await this.sources.load(dto.template ?? '', field);
    try {
      this.parser.textFsm(text);
    } catch (err) {
      throw asApiError(err, field);
    }
    return { ...spec, template: text, source };
  }
}

function checkName(name: string | undefined, supported: readonly string[], what: string): void {
  if (name === undefined || supported.includes(name)) return;
  const shown = /^[A-Za-z0-9_.-]{1,32}$/.test(name) ? ` ${name}` : '';
  throw ApiError.badRequest(`Unknown ${what}${shown}: supported ${what}s are ${supported.join(', ')}`, [{ field: 'name', error: `must be one of ${supported.join(', ')}` }]);
}

/** An engine's error as the API's answer; anything else goes on to the 500 handler. */
function asApiError(err: unknown, field: string): unknown {
  if (err instanceof TextFsmTemplateError || err instanceof JinjaTemplateError) {
    const where = err.line !== undefined ? ` (line ${err.line})` : '';
    return ApiError.badRequest(`Template error${where}: ${err.message}`, [{ field, error: err.message }]);
  }
  if (err instanceof TemplateLookupError) return ApiError.badRequest(err.message, [{ field, error: err.message }]);
  if (err instanceof TextFsmParseError) {
    return new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, `The template refused this output: ${err.message}`);
  }
  return err;
}

/** Rendered text as config lines: blank lines dropped, each line bounded and free of control characters. */
export function configLines(rendered: string): string[] {
  const lines = rendered.split(/\r?\n/).filter((line) => line.trim().length > 0);
  const bad = (error: string) => ApiError.badRequest(`The rendered config is not usable: ${error}`, [{ field: 'rendering', error }]);
  if (lines.length === 0) throw bad('it has no lines');
  if (lines.length > MAX_CONFIG_LINES) throw bad(`it has ${lines.length} lines, more than ${MAX_CONFIG_LINES}`);
  const at = lines.findIndex((l) => l.length > MAX_CONFIG_LINE_LENGTH || /[\x00-\x08\x0a-\x1f\x7f]/.test(l));
  if (at >= 0) throw bad(`line ${at + 1} is longer than ${MAX_CONFIG_LINE_LENGTH} characters or holds control characters`);
  return lines;
}
