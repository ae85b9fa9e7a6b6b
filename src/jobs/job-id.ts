import { randomBytes } from 'node:crypto';

/**
 * Job ids are `{12 hex digits of the creation millisecond}{8 random hex}`: ids sort by creation, so the indexes
 * (lexicographic sorted sets) list newest first without a score. The time part is the Redis clock as the
 * submitting process estimates it (JobStore.newId); the record's created_at is the Redis clock itself.
 */
export const JOB_ID_PATTERN = /^[0-9a-f]{20}$/;

export function jobId(createdAtMs: number): string {
  return Math.floor(createdAtMs).toString(16).padStart(12, '0') + randomBytes(4).toString('hex');
}

/** Cursors are opaque to clients: the last id of the page, base64url-encoded. */
export function encodeCursor(lastId: string): string {
  return Buffer.from(lastId, 'latin1').toString('base64url');
}

/** Returns the id inside a cursor, or null when the cursor was not made by encodeCursor. */
export function decodeCursor(cursor: string): string | null {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(cursor)) return null;
  const id = Buffer.from(cursor, 'base64url').toString('latin1');
  return JOB_ID_PATTERN.test(id) ? id : null;
}
