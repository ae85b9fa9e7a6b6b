import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';

/** The handler's result is sent as is, outside the envelope (Kubernetes probes keep Terminus' shape). */
export const RawResponse = () => RouteConfig({ rawResponse: true });

/** Whether the request's route was marked @RawResponse() (Nest hands the mark to Fastify as route config). */
export function isRawResponse(request: FastifyRequest): boolean {
  return (request.routeOptions.config as { rawResponse?: boolean } | undefined)?.rawResponse === true;
}
