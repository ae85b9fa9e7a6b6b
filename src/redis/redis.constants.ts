/** Injection token of the shared ioredis command connection. */
export const REDIS = Symbol('REDIS');
/**
 * BullMQ keeps an event stream per queue, 10,000 entries by default; nothing here reads it (our job store has
 * the history), and with a pinned queue per device that default would hold up to 10,000 entries per device.
 */
export const BULL_QUEUE_OPTIONS = { streams: { events: { maxLen: 100 } } };
/** The queue every FIFO worker consumes (a new device connection per job). */
export const FIFO_QUEUE = 'FifoQ';
/** Name of the pinned queue of a device host: one worker bound to that device consumes it. */
export const pinnedQueueName = (host: string): string => `pinned_${host}`;
/** The queue of schedule occurrences (POST /schedule): BullMQ job schedulers add one job per occurrence, worker nodes consume it. */
export const SCHEDULE_QUEUE = 'NetpulseSchedules';
