import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Response } from 'express';
import { map, Observable } from 'rxjs';
import { Envelope, WithExtras } from './envelope';
import { Messages } from './messages';
import { RAW_RESPONSE } from './raw-response.decorator';

/** Wraps every successful handler result in `{code, message: "success", data}`. */
@Injectable()
export class EnvelopeInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (this.reflector.get<boolean>(RAW_RESPONSE, ctx.getHandler())) return next.handle();
    const res = ctx.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      map((value: unknown): Envelope | unknown => {
        // A handler that chose another content type (GET /health for Prometheus) answers as is.
        if (!/json/.test(String(res.getHeader('content-type') ?? 'json'))) return value;
        const code = res.statusCode;
        if (value instanceof WithExtras) return { code, message: Messages.success, data: value.data, ...value.extra };
        return { code, message: Messages.success, data: value ?? null };
      }),
    );
  }
}
