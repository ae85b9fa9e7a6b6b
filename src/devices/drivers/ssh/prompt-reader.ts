/**
 * Buffers what an interactive shell channel sends and resolves reads when a condition on
 * the buffered text holds (usually "the prompt is back"). One read at a time: the session
 * serialises commands, so a second concurrent read is a bug.
 */
import { StringDecoder } from 'string_decoder';

export type ReadFailure = 'timeout' | 'aborted' | 'closed' | 'too-large';

/** A read that ended without its condition: `partial` is the raw text received until then. */
export class ReadInterrupted extends Error {
  constructor(
    readonly reason: ReadFailure,
    readonly partial: string,
  ) {
    super(`read ended: ${reason}`);
  }
}

export interface ReadOptions {
  /** Checked on every chunk with the raw text buffered since the last completed read. */
  done: (raw: string) => boolean;
  timeoutMs: number;
  signal?: AbortSignal;
  /** fail with 'too-large' once more than this many bytes arrived */
  maxBytes?: number;
  /** keep only the end of the buffer: used while skipping the rest of an unwanted output */
  tailOnly?: boolean;
}

/** The part of an ssh2 channel the reader uses (keeps it testable without a socket). */
export interface ShellStream {
  on(event: 'data', listener: (data: Buffer) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  write(data: string): unknown;
}

/** Enough to find a prompt at the end of a big output we are skipping. */
const TAIL_KEEP = 8 * 1024;
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Unrequested data between commands (log messages) is capped, not kept forever. */
const IDLE_KEEP = 64 * 1024;

interface ActiveRead {
  opts: ReadOptions;
  finish: (failure?: ReadFailure, partial?: string) => void;
}

export class PromptReader {
  private raw = '';
  private bytes = 0;
  private closed = false;
  private lastDataAt = Date.now();
  private readonly decoder = new StringDecoder('utf8');
  private active?: ActiveRead;

  constructor(private readonly stream: ShellStream) {
    stream.on('data', (data) => this.onData(data));
    stream.on('close', () => this.onClose());
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Writes to the device; writing to a closed channel is a dropped connection. */
  send(text: string): void {
    if (this.closed) throw new ReadInterrupted('closed', '');
    this.stream.write(text);
  }

  /** Forgets buffered text (stale output) before a new command. */
  discard(): void {
    this.raw = '';
    this.bytes = 0;
  }

  /** Resolves with the raw text buffered until `done` held, and empties the buffer. */
  read(opts: ReadOptions): Promise<string> {
    if (this.active) return Promise.reject(new Error('PromptReader: concurrent read'));
    return new Promise<string>((resolve, reject) => {
      const onAbort = () => finish('aborted');
      // setTimeout fires at once for Infinity or anything past 2^31-1 ms: no limit means no timer
      const timer = Number.isFinite(opts.timeoutMs)
        ? setTimeout(() => finish('timeout'), Math.min(opts.timeoutMs, MAX_TIMER_MS))
        : undefined;
      const finish = (failure?: ReadFailure, partial = this.raw) => {
        if (this.active !== active) return;
        this.active = undefined;
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        const text = this.raw;
        if (failure) return reject(new ReadInterrupted(failure, partial));
        this.discard();
        resolve(text);
      };
      const active: ActiveRead = { opts, finish };
      this.active = active;
      if (this.closed) return finish('closed');
      if (opts.signal?.aborted) return finish('aborted');
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      if (opts.tailOnly) this.trim(TAIL_KEEP);
      if (opts.done(this.raw)) finish();
    });
  }

  /** Waits until the device has been silent for `quietMs` (at most `maxMs`), then discards. */
  async settle(quietMs: number, maxMs: number): Promise<void> {
    const until = Date.now() + maxMs;
    while (!this.closed && Date.now() < until) {
      const silentFor = Date.now() - this.lastDataAt;
      if (silentFor >= quietMs) break;
      await new Promise((r) => setTimeout(r, quietMs - silentFor));
    }
    this.discard();
  }

  private onData(data: Buffer): void {
    this.lastDataAt = Date.now();
    this.bytes += data.length;
    this.raw += this.decoder.write(data);
    const active = this.active;
    if (!active) return this.trim(IDLE_KEEP);
    if (active.opts.maxBytes !== undefined && this.bytes > active.opts.maxBytes) {
      // the partial output stops at the limit, however big the last chunk was
      return active.finish('too-large', Buffer.from(this.raw).subarray(0, active.opts.maxBytes).toString());
    }
    if (active.opts.tailOnly) this.trim(TAIL_KEEP);
    if (active.opts.done(this.raw)) active.finish();
  }

  private onClose(): void {
    this.closed = true;
    this.active?.finish('closed');
  }

  private trim(keep: number): void {
    if (this.raw.length > keep) this.raw = this.raw.slice(-keep);
  }
}
