import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Request } from 'express';
import { AppConfig } from '../config/app-config';
import { ApiError } from './api-error';
import { Messages } from './messages';
import { IS_PUBLIC } from './public.decorator';

export const API_KEY_HEADER = 'x-api-key';

/**
 * Accepts a request whose X-API-KEY header matches one of the configured keys (several, for rotation).
 * Keys are compared as SHA-256 digests with timingSafeEqual: constant time, whatever the lengths.
 * Only the header counts: never a query parameter or a cookie.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly digests: Buffer[];
  private readonly metricsPublic: boolean;

  constructor(private readonly reflector: Reflector, config: AppConfig) {
    this.digests = config.apiKeys.map(digest);
    this.metricsPublic = config.metricsPublic;
  }

  canActivate(ctx: ExecutionContext): boolean {
    const isPublic = this.reflector.getAllAndOverride<boolean | 'if-configured'>(IS_PUBLIC, [ctx.getHandler(), ctx.getClass()]);
    if (isPublic === true || (isPublic === 'if-configured' && this.metricsPublic)) return true;
    const presented = ctx.switchToHttp().getRequest<Request>().headers[API_KEY_HEADER];
    if (typeof presented === 'string' && presented.length > 0 && this.matches(presented)) return true;
    throw new ApiError(HttpStatus.UNAUTHORIZED, Messages.unauthorized);
  }

  private matches(presented: string): boolean {
    const candidate = digest(presented);
    // Compare with every key, without stopping early, so timing says nothing about which matched.
    let ok = false;
    for (const d of this.digests) ok = timingSafeEqual(d, candidate) || ok;
    return ok;
  }
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}
