import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger, NotFoundException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './api-error';
import { Envelope } from './envelope';
import { Messages } from './messages';

/**
 * One error shape for everything: HttpExceptions map to the envelope with their status; the HTTP server's own
 * refusals before any route runs (body over the limit, a broken request) keep their 4xx status with our wording;
 * anything else is logged with a request id and answered with a generic 500.
 */
@Catch()
export class EnvelopeExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<FastifyReply>();
    const req = ctx.getRequest<FastifyRequest>();
    const body = this.toEnvelope(exception, req);
    if (!res.sent) void res.status(body.code).header('content-type', 'application/json; charset=utf-8').send(body);
  }

  private toEnvelope(exception: unknown, req: FastifyRequest): Envelope {
    if (exception instanceof ApiError) return { code: exception.getStatus(), message: exception.message, data: exception.data };
    // Unknown routes: name the path only (a query string may carry what should not be echoed).
    if (exception instanceof NotFoundException && /^Cannot [A-Z]+ /.test(exception.message)) {
      return { code: 404, message: `No route ${req.method} ${pathOf(req)}`, data: null };
    }
    // Fastify's refusals arrive as HttpExceptions made from its errors (Nest maps them): our wording, not theirs.
    if (exception instanceof HttpException && exception.getStatus() === HttpStatus.PAYLOAD_TOO_LARGE) {
      return { code: 413, message: Messages.bodyTooLarge(req.routeOptions.bodyLimit ?? 0), data: null };
    }
    if (exception instanceof HttpException) return fromHttpException(exception);
    // The id the server gave the request (requestIdOf: the caller's X-Request-Id when sane), as in the log lines
    // and the x-request-id header of this answer.
    const requestId = req.id;
    const err = exception as Error;
    this.logger.error(`request ${requestId} ${req.method} ${pathOf(req)} failed: ${err?.name}: ${err?.message}`, err?.stack);
    if (isRedisUnavailable(err)) return { code: HttpStatus.SERVICE_UNAVAILABLE, message: Messages.redisUnavailable, data: null };
    return { code: 500, message: Messages.internal(requestId), data: null };
  }
}

/** The request path without its query string. */
function pathOf(req: FastifyRequest): string {
  const q = req.url.indexOf('?');
  return q < 0 ? req.url : req.url.slice(0, q);
}

function fromHttpException(exception: HttpException): Envelope {
  const status = exception.getStatus();
  const response = exception.getResponse();
  const message = typeof response === 'string' ? response : ((response as { message?: unknown }).message ?? exception.message);
  return { code: status, message: Array.isArray(message) ? message.join('; ') : String(message), data: null };
}

/** ioredis errors while Redis is down or too slow to answer: the API answers 503, not 500. */
export function isRedisUnavailable(err: Error | undefined): boolean {
  if (!err) return false;
  return /Connection is closed|ECONNREFUSED|Stream isn't writeable|MaxRetriesPerRequestError|enableOfflineQueue|Command timed out|NOAUTH|WRONGPASS/.test(
    `${err.name} ${err.message}`,
  );
}
