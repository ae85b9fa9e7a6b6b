/** The two ways TextFSM fails, as Python's `TextFSMTemplateError` and `TextFSMError`. */

/** The template itself is broken (or uses a regex construct JavaScript cannot run); `line` is 1-based when known. */
export class TextFsmTemplateError extends Error {
  override readonly name = 'TextFsmTemplateError';

  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

/** An `Error` action fired while parsing, with Python's message ("Error: ... Rule Line: ... Input Line: ..."). */
export class TextFsmParseError extends Error {
  override readonly name = 'TextFsmParseError';
}
