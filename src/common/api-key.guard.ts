import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AppConfig } from '../config/app-config';
import { ApiError } from './api-error';
import { ApiKeyRing } from './api-key-ring';
import { Messages } from './messages';
import { IS_PUBLIC } from './public.decorator';

export const API_KEY_HEADER = 'x-api-key';

/**
 * Accepts a request whose X-API-KEY header matches one of the keys (several, for rotation). Keys are
 * compared as SHA-256 digests with timingSafeEqual (ApiKeyRing). Only the header counts: never a query
 * parameter or a cookie.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly metricsPublic: boolean;

  constructor(private readonly reflector: Reflector, private readonly keys: ApiKeyRing, config: AppConfig) {
    this.metricsPublic = config.metricsPublic;
  }

  canActivate(ctx: ExecutionContext): boolean {
    const isPublic = this.reflector.getAllAndOverride<boolean | 'if-configured'>(IS_PUBLIC, [ctx.getHandler(), ctx.getClass()]);
    if (isPublic === true || (isPublic === 'if-configured' && this.metricsPublic)) return true;
    const presented = ctx.switchToHttp().getRequest<FastifyRequest>().headers[API_KEY_HEADER];
    if (typeof presented === 'string' && presented.length > 0 && this.keys.accepts(presented)) return true;
    throw new ApiError(HttpStatus.UNAUTHORIZED, Messages.unauthorized);
  }
}
