/**
 * Guards against runaway templates. Rendering is synchronous, so a template that loops over
 * `range(10**9)` or prints `'x' * 10**9` would block the event loop or exhaust memory: every loop
 * iteration and macro call is counted and the clock checked, and every buffer is size-capped before the
 * text is built.
 */
import { JinjaLimitError } from './jinja-errors';

export interface RenderLimits {
  /** The rendered text, and any intermediate text (macro output, `{% set %}` blocks), may not exceed this. */
  maxOutputBytes: number;
  /** Loop iterations plus macro calls, summed over the whole render; also caps `range()` and list sizes. */
  maxLoopIterations: number;
  /** Wall-clock time for one render. */
  timeoutMs: number;
}

export const DEFAULT_LIMITS: RenderLimits = {
  maxOutputBytes: 1024 * 1024,
  maxLoopIterations: 1_000_000,
  timeoutMs: 2_000,
};

export class RenderBudget {
  private steps = 0;
  private readonly deadline: number;

  constructor(readonly limits: RenderLimits) {
    this.deadline = Date.now() + limits.timeoutMs;
  }

  /** One loop iteration or macro call. */
  step(): void {
    this.steps += 1;
    if (this.steps > this.limits.maxLoopIterations) {
      throw new JinjaLimitError(`template exceeds ${this.limits.maxLoopIterations} loop iterations and macro calls`);
    }
    if (Date.now() > this.deadline) {
      throw new JinjaLimitError(`template rendering exceeds ${this.limits.timeoutMs} ms`);
    }
  }

  /** Refuses a string of `length` characters before it is built. */
  checkLength(length: number): void {
    if (length > this.limits.maxOutputBytes) {
      throw new JinjaLimitError(`template output exceeds ${this.limits.maxOutputBytes} bytes`);
    }
  }

  /** Refuses a list (from `range()` or `*`) of `count` items before it is built. */
  checkItems(count: number): void {
    if (count > this.limits.maxLoopIterations) {
      throw new JinjaLimitError(`template builds a list of more than ${this.limits.maxLoopIterations} items`);
    }
  }
}

/** Text being rendered: the template's output, a macro's, or a `{% set %}` block's. */
export class OutputBuffer {
  private readonly parts: string[] = [];
  private size = 0;

  constructor(private readonly budget: RenderBudget) {}

  write(text: string): void {
    this.size += text.length;
    this.budget.checkLength(this.size);
    this.parts.push(text);
  }

  toString(): string {
    return this.parts.join('');
  }
}
