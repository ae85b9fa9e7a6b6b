import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { API_KEY_HEADER } from './api-key.guard';
import { ApiKeyRing } from './api-key-ring';
import { IS_PUBLIC } from './public.decorator';

/**
 * Per-API-key rate limit (RATE_LIMIT_PER_MINUTE, 0 = off): 429 with Retry-After. Runs after the key guard, so
 * only valid keys are counted; the probes are never limited. Counts are per API process.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- ThrottlerGuard's own signature
  protected override async getTracker(req: Record<string, any>): Promise<string> {
    const key = req.headers?.[API_KEY_HEADER];
    return typeof key === 'string' ? `key:${ApiKeyRing.tag(key)}` : `ip:${req.ip}`;
  }

  protected override async shouldSkip(ctx: ExecutionContext): Promise<boolean> {
    return this.reflector.getAllAndOverride(IS_PUBLIC, [ctx.getHandler(), ctx.getClass()]) === true;
  }
}
