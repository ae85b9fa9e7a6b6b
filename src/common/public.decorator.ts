import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'netpulse:public';
/** Marks a route that answers without an API key (probes, metrics). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
