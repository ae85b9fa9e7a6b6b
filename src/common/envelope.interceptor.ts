import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { map, Observable } from 'rxjs';
import { Envelope, WithExtras } from './envelope';
import { JsonText } from './json-text';
import { Messages } from './messages';
import { RAW_RESPONSE } from './raw-response.decorator';

/** Wraps every successful handler result in `{code, message: "success", data}`. */
@Injectable()
export class EnvelopeInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (this.reflector.get<boolean>(RAW_RESPONSE, ctx.getHandler())) return next.handle();
    const res = ctx.switchToHttp().getResponse<FastifyReply>();
    return next.handle().pipe(
      map((value: unknown): Envelope | unknown => {
        // A handler that chose another content type (GET /health for Prometheus) answers as is.
        if (!/json/.test(String(res.getHeader('content-type') ?? 'json'))) return value;
        const code = res.statusCode;
        const data = value instanceof WithExtras ? value.data : value;
        const extra = value instanceof WithExtras ? value.extra : {};
        if (data instanceof JsonText) {
          // Sent as a string: the framework would otherwise stringify it (and through toJSON parse it) again.
          res.header('content-type', 'application/json; charset=utf-8');
          return envelopeText(code, data, extra);
        }
        return { code, message: Messages.success, data: data ?? null, ...extra };
      }),
    );
  }
}

/** The envelope as JSON text around data that is JSON text already; same keys and order as the object form. */
function envelopeText(code: number, data: JsonText, extra: Record<string, unknown>): string {
  const head = JSON.stringify({ code, message: Messages.success });
  const tail = JSON.stringify(extra);
  return `${head.slice(0, -1)},"data":${data.text}${tail === '{}' ? '}' : `,${tail.slice(1)}`}`;
}
