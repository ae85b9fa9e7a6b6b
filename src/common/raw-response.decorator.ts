import { SetMetadata } from '@nestjs/common';

export const RAW_RESPONSE = 'netpulse:raw-response';
/** The handler's result is sent as is, outside the envelope (Kubernetes probes keep Terminus' shape). */
export const RawResponse = () => SetMetadata(RAW_RESPONSE, true);
