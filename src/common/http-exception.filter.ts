import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Request, Response } from 'express';
import { ApiError } from './api-error';
import { Envelope } from './envelope';
import { Messages } from './messages';

/** body-parser's errors carry a `type` and a status; they arrive before any route runs. */
interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
}

/**
 * One error shape for everything: HttpExceptions map to the envelope with their status; body-parser
 * errors to 400/413/415; anything else is logged with a request id and answered with a generic 500.
 */
@Catch()
export class EnvelopeExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    const body = this.toEnvelope(exception, req);
    if (!res.headersSent) res.status(body.code).json(body);
  }

  private toEnvelope(exception: unknown, req: Request): Envelope {
    if (exception instanceof ApiError) return { code: exception.getStatus(), message: exception.message, data: exception.data };
    // Unknown routes: name the path only (a query string may carry what should not be echoed).
    if (exception instanceof NotFoundException && /^Cannot [A-Z]+ /.test(exception.message)) {
      return { code: 404, message: `No route ${req.method} ${req.path}`, data: null };
    }
    if (exception instanceof HttpException) return fromHttpException(exception);
    const parserError = exception as BodyParserError;
    if (parserError?.type === 'entity.too.large') {
      return { code: 413, message: Messages.bodyTooLarge(parserError.limit ?? 0), data: null };
    }
    if (parserError?.type === 'entity.parse.failed') return { code: 400, message: Messages.malformedJson, data: null };
    if (parserError?.type && parserError.status && parserError.status < 500) {
      return { code: parserError.status, message: 'Request body could not be read', data: null };
    }
    const requestId = (req.headers['x-request-id'] as string | undefined) ?? randomUUID();
    const err = exception as Error;
    this.logger.error(`request ${requestId} ${req.method} ${req.path} failed: ${err?.name}: ${err?.message}`, err?.stack);
    if (isRedisUnavailable(err)) return { code: HttpStatus.SERVICE_UNAVAILABLE, message: Messages.redisUnavailable, data: null };
    return { code: 500, message: Messages.internal(requestId), data: null };
  }
}

function fromHttpException(exception: HttpException): Envelope {
  const status = exception.getStatus();
  const response = exception.getResponse();
  const message = typeof response === 'string' ? response : ((response as { message?: unknown }).message ?? exception.message);
  return { code: status, message: Array.isArray(message) ? message.join('; ') : String(message), data: null };
}

/** ioredis errors while Redis is down: the API answers 503, not 500. */
function isRedisUnavailable(err: Error | undefined): boolean {
  if (!err) return false;
  return /Connection is closed|ECONNREFUSED|Stream isn't writeable|MaxRetriesPerRequestError|enableOfflineQueue|Command timed out|NOAUTH|WRONGPASS/.test(
    `${err.name} ${err.message}`,
  );
}
