import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'netpulse:public';
/** Marks a route that answers without an API key (the Kubernetes probes). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
/** Marks /metrics: public when METRICS_PUBLIC=true, else it needs the key like any route. */
export const PublicWhenConfigured = () => SetMetadata(IS_PUBLIC, 'if-configured');
