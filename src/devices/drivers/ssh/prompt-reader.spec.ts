/** The reader on a plain EventEmitter standing in for the shell channel. */
import { EventEmitter } from 'events';
import { PromptReader, ReadInterrupted } from './prompt-reader';

class FakeStream extends EventEmitter {
  written: string[] = [];
  write(data: string) {
    this.written.push(data);
    return true;
  }
  feed(text: string) {
    this.emit('data', Buffer.from(text));
  }
}

const untilHash = (raw: string) => raw.endsWith('#');

async function failure(promise: Promise<unknown>): Promise<ReadInterrupted> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ReadInterrupted);
  return err as ReadInterrupted;
}

describe('PromptReader', () => {
  let stream: FakeStream;
  let reader: PromptReader;
  beforeEach(() => {
    stream = new FakeStream();
    reader = new PromptReader(stream);
  });

  test('resolves once the condition holds and empties the buffer', async () => {
    const read = reader.read({ done: untilHash, timeoutMs: 1000 });
    stream.feed('abc');
    stream.feed('\r\nR#');
    await expect(read).resolves.toBe('abc\r\nR#');
    stream.feed('x#');
    await expect(reader.read({ done: untilHash, timeoutMs: 1000 })).resolves.toBe('x#');
  });

  test('joins multi-byte characters split across chunks', async () => {
    const read = reader.read({ done: untilHash, timeoutMs: 1000 });
    const bytes = Buffer.from('é#');
    stream.emit('data', bytes.subarray(0, 1));
    stream.emit('data', bytes.subarray(1));
    await expect(read).resolves.toBe('é#');
  });

  test('times out with the partial text', async () => {
    const read = reader.read({ done: untilHash, timeoutMs: 30 });
    stream.feed('partial');
    const err = await failure(read);
    expect([err.reason, err.partial]).toEqual(['timeout', 'partial']);
  });

  test('an infinite timeout waits instead of firing at once', async () => {
    const read = reader.read({ done: untilHash, timeoutMs: Infinity });
    await new Promise((r) => setTimeout(r, 20));
    stream.feed('late#');
    await expect(read).resolves.toBe('late#');
  });

  test('aborts on the signal', async () => {
    const controller = new AbortController();
    const read = reader.read({ done: untilHash, timeoutMs: 1000, signal: controller.signal });
    stream.feed('some');
    controller.abort();
    const err = await failure(read);
    expect([err.reason, err.partial]).toEqual(['aborted', 'some']);
  });

  test('stops at maxBytes with a partial cut at the limit', async () => {
    const read = reader.read({ done: untilHash, timeoutMs: 1000, maxBytes: 10 });
    stream.feed('0123456789abcdef');
    const err = await failure(read);
    expect([err.reason, err.partial]).toEqual(['too-large', '0123456789']);
  });

  test('a closed channel fails the read and later sends', async () => {
    const read = reader.read({ done: untilHash, timeoutMs: 1000 });
    stream.feed('half');
    stream.emit('close');
    const err = await failure(read);
    expect([err.reason, err.partial]).toEqual(['closed', 'half']);
    expect(reader.isClosed).toBe(true);
    expect(() => reader.send('x')).toThrow(ReadInterrupted);
  });

  test('refuses a second concurrent read', async () => {
    const first = reader.read({ done: untilHash, timeoutMs: 1000 });
    await expect(reader.read({ done: untilHash, timeoutMs: 1000 })).rejects.toThrow('concurrent read');
    stream.feed('#');
    await expect(first).resolves.toBe('#');
  });
});
