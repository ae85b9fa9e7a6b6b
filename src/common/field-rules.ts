import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

/**
 * Shared rules for names that travel in queries and bodies. They also keep control characters,
 * spaces and separators out of Redis key names.
 */
export const HOST_PATTERN = /^[A-Za-z0-9._:-]{1,253}$/;
export const QUEUE_PATTERN = /^(FifoQ|pinned_[A-Za-z0-9._:-]{1,253})$/;
export const NODE_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
export const JOB_ID_QUERY_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

const pattern = (re: RegExp, what: string, max: number) =>
  applyDecorators(IsString(), MaxLength(max), Matches(re, { message: `must be ${what}` }));

export const IsHost = () => pattern(HOST_PATTERN, 'a host name or IP address (letters, digits, . : _ -)', 253);
export const IsQueueName = () => pattern(QUEUE_PATTERN, '"FifoQ" or "pinned_<host>"', 260);
export const IsNodeName = () => pattern(NODE_PATTERN, 'a node name (letters, digits, _ . -, up to 64)', 64);
export const IsJobIdQuery = () => pattern(JOB_ID_QUERY_PATTERN, 'a job id (letters, digits, _ -, up to 64)', 64);

/** An optional integer query parameter: digits only, so "1e3", "12abc" and "-1" are refused, not coerced. */
export const IntQuery = (min: number, max: number) =>
  applyDecorators(
    IsOptional(),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value)),
    IsInt({ message: 'must be a whole number' }),
    Min(min),
    Max(max),
  );
