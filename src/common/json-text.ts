/**
 * A value that is already JSON text. Job list pages carry each job's stored result (often kilobytes of device
 * output) as it was written; splicing that text saves parsing it and stringifying it again on every page.
 * The HTTP adapter (EnvelopingFastifyAdapter) writes it into the response as is; anywhere else `toJSON` makes it a plain value.
 */
export class JsonText {
  constructor(readonly text: string) {}

  /** A JSON array of elements that are each JSON text. */
  static array(elements: readonly string[]): JsonText {
    return new JsonText(`[${elements.join(',')}]`);
  }

  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}
