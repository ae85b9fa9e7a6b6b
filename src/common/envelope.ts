/** The body of every response: `code` equals the HTTP status. */
export interface Envelope<T = unknown> {
  code: number;
  message: string;
  data: T;
  [extra: string]: unknown;
}

/** Field-level errors returned in `data` of a 400. */
export interface FieldError {
  field: string;
  error: string;
}

/**
 * A controller returns this to add top-level keys beside `data` (`page` on lists);
 * the HTTP adapter (EnvelopingFastifyAdapter) spreads `extra` into the envelope.
 */
export class WithExtras<T> {
  constructor(
    readonly data: T,
    readonly extra: Record<string, unknown>,
  ) {}
}
