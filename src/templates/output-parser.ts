import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { JobOutput, ParsedRecords, ParsingSpec } from '../jobs/job.model';
import { CliTableIndex, TextFsm } from './textfsm';

/** A request that cannot be served as asked (no ntc-templates folder, no template for a command): a 400 in the API. */
export class TemplateLookupError extends Error {
  override readonly name = 'TemplateLookupError';
}

/** A job's output that could not be parsed: the job ends failed with error type ParseError, its raw output kept. */
export class JobParseError extends Error {
  override readonly name = 'ParseError';
}

/** How many compiled TextFSM templates a process keeps (the least recently used goes first). */
const COMPILED_CACHE_SIZE = 256;

/**
 * Parses device output with TextFSM: a template given with the request (compiled once per text and kept), or
 * the ntc-templates index chosen by platform and command. The API uses it for /template/parse and to check a
 * job's parsing at submit; worker nodes use it to parse a job's output.
 */
@Injectable()
export class OutputParser {
  private readonly compiled = new Map<string, TextFsm>();
  private ntc: CliTableIndex | undefined;
  /** platform + command -> whether the index has a template (a bulk asks the same pair for every device) */
  private readonly ntcKnown = new Map<string, boolean>();

  constructor(private readonly config: AppConfig) {}

  /** The compiled template (throws TextFsmTemplateError, with the line, for a broken one). */
  textFsm(template: string): TextFsm {
    const key = createHash('sha1').update(template).digest('base64');
    const hit = this.compiled.get(key);
    if (hit) {
      // Map keeps insertion order: re-inserting marks it the most recently used.
      this.compiled.delete(key);
      this.compiled.set(key, hit);
      return hit;
    }
    const fsm = TextFsm.compile(template);
    if (this.compiled.size >= COMPILED_CACHE_SIZE) this.compiled.delete(this.compiled.keys().next().value!);
    this.compiled.set(key, fsm);
    return fsm;
  }

  /** The ntc-templates index of NTC_TEMPLATES_DIR, read once; its templates compile on first use and are kept. */
  ntcIndex(): CliTableIndex {
    if (this.ntc) return this.ntc;
    const dir = this.config.ntcTemplatesDir;
    if (!dir) throw new TemplateLookupError('use_ntc_template needs NTC_TEMPLATES_DIR (the ntc-templates templates folder), which is not set on this server');
    try {
      this.ntc = CliTableIndex.load(dir);
    } catch (err) {
      throw new TemplateLookupError(`NTC_TEMPLATES_DIR cannot be used: ${(err as Error).message}`);
    }
    return this.ntc;
  }

  /** The platform and command an ntc lookup uses for one command of a job. */
  ntcTarget(spec: ParsingSpec, deviceType: string, command: string): { platform: string; command: string } {
    return spec.ntc_template_args ?? { platform: deviceType, command };
  }

  /** Throws TemplateLookupError unless ntc-templates has a template for the pair. */
  requireNtcTemplate(platform: string, command: string): void {
    const key = `${platform}\n${command}`;
    let known = this.ntcKnown.get(key);
    if (known === undefined) {
      known = this.ntcIndex().templatesFor({ Platform: platform, Command: command }) !== null;
      if (this.ntcKnown.size > 10_000) this.ntcKnown.clear();
      this.ntcKnown.set(key, known);
    }
    if (!known) {
      throw new TemplateLookupError(`ntc-templates has no template for platform ${platform} and command '${command}'`);
    }
  }

  /** Records of one output (throws the engine's errors: a template error, TextFSM's Error action, a lookup). */
  parse(spec: ParsingSpec, deviceType: string, command: string, output: string): ParsedRecords {
    if (spec.use_ntc_template) {
      const target = this.ntcTarget(spec, deviceType, command);
      this.requireNtcTemplate(target.platform, target.command);
      return this.ntcIndex().parseOutput(target.platform, target.command, output);
    }
    return this.textFsm(spec.template ?? '').parseTextToDicts(output);
  }

  /** A job's output in its shape (one string, or an object keyed by command) with each output replaced by its records. */
  parseJobOutput(spec: ParsingSpec, deviceType: string, commands: string[], output: JobOutput<string>): JobOutput<ParsedRecords> {
    const one = (command: string, text: string): ParsedRecords => {
      try {
        return this.parse(spec, deviceType, command, text);
      } catch (err) {
        throw new JobParseError(`output of '${command}': ${(err as Error).message}`);
      }
    };
    if (typeof output === 'string') return one(commands[0], output);
    const parsed: Record<string, ParsedRecords> = {};
    for (const [command, text] of Object.entries(output)) parsed[command] = one(command, text);
    return parsed;
  }
}
