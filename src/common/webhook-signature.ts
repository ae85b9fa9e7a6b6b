import { createHmac, timingSafeEqual } from 'node:crypto';

/** Headers of a signed webhook call (WEBHOOK_SIGNING_SECRET set). */
export const WEBHOOK_TIMESTAMP_HEADER = 'X-NetPulse-Timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'X-NetPulse-Signature';

/**
 * `sha256=<hex HMAC-SHA256 of "timestamp.body">`, as Stripe and GitHub sign theirs: the timestamp inside the MAC
 * lets a receiver refuse a replayed call, the body is the exact bytes sent.
 */
export function webhookSignature(secret: string, timestampSec: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestampSec}.${body}`).digest('hex')}`;
}

/**
 * What a receiver does (README shows it): recompute the signature over the timestamp header and the raw body,
 * compare in constant time, and refuse a timestamp older or newer than `toleranceSec`.
 */
export function verifyWebhookSignature(secret: string, timestamp: string, signature: string, body: string, nowSec: number, toleranceSec = 300): boolean {
  const ts = Number(timestamp);
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowSec - ts) > toleranceSec) return false;
  const expected = Buffer.from(webhookSignature(secret, ts, body));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
