/** Errors of the Jinja2 renderer: the public one callers see, and the internal faults it is built from. */

export type JinjaErrorKind = 'syntax' | 'undefined' | 'render';

/** What `JinjaRenderer` throws: a kind the API maps to a 400, and the template line when known. */
export class JinjaTemplateError extends Error {
  constructor(
    message: string,
    readonly kind: JinjaErrorKind,
    readonly line?: number,
  ) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = 'JinjaTemplateError';
  }
}

/**
 * Raised while parsing or rendering; `line` is filled in by the innermost node that knows it, so the
 * error points where Jinja2's traceback would.
 */
export abstract class JinjaFault extends Error {
  abstract readonly kind: JinjaErrorKind;
  line?: number;
}

/** Jinja2's TemplateSyntaxError (and TemplateAssertionError: unknown filter or test). */
export class JinjaSyntaxError extends JinjaFault {
  readonly kind = 'syntax';

  constructor(message: string, line?: number) {
    super(message);
    this.line = line;
  }
}

/** Jinja2's UndefinedError: a StrictUndefined was printed, tested, iterated or looked into. */
export class JinjaUndefinedError extends JinjaFault {
  readonly kind = 'undefined';
}

/** A Python exception raised while rendering (TypeError, ValueError, ZeroDivisionError...). */
export class JinjaRuntimeError extends JinjaFault {
  readonly kind = 'render';

  constructor(
    readonly pythonClass: string,
    message: string,
  ) {
    super(`${pythonClass}: ${message}`);
  }
}

/** A guard against runaway templates tripped (output size, loop iterations, time). */
export class JinjaLimitError extends JinjaFault {
  readonly kind = 'render';
}
