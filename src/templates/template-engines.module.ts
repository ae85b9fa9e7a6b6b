import { Module } from '@nestjs/common';
import { OutputParser } from './output-parser';

/** The parsing engines both processes use: the API for /template/parse and submit checks, worker nodes for jobs. */
@Module({
  providers: [OutputParser],
  exports: [OutputParser],
})
export class TemplateEnginesModule {}
