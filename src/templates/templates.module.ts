import { Module } from '@nestjs/common';
import { TemplateEnginesModule } from './template-engines.module';
import { TemplateSources } from './template-sources';
import { TemplatesController } from './templates.controller';
import { TemplatesService } from './templates.service';

/** /template/*: parse output and render configuration; the device jobs use its service for parsing and rendering. */
@Module({
  imports: [TemplateEnginesModule],
  controllers: [TemplatesController],
  providers: [TemplatesService, TemplateSources],
  exports: [TemplatesService],
})
export class TemplatesModule {}
