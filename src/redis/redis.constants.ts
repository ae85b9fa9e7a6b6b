/** Injection token of the shared ioredis command connection. */
export const REDIS = Symbol('REDIS');
/** The queue every FIFO worker consumes (a new device connection per job). */
export const FIFO_QUEUE = 'FifoQ';
/** Name of the pinned queue of a device host: one worker bound to that device consumes it. */
export const pinnedQueueName = (host: string): string => `pinned_${host}`;
