import fc from 'fast-check';
import { OutputStreamer } from './output-streamer';
import { extractOutput } from './output-text';

const PROMPT = /^[\w.-]+[#>]\s*$/;

/** Feeds `raw` in the given pieces as the reader would (its whole buffer each time) and returns what was emitted. */
function stream(command: string, raw: string, cuts: number[]): { chunks: string[]; output: string } {
  const chunks: string[] = [];
  const streamer = new OutputStreamer(command, (l) => PROMPT.test(l), (c) => chunks.push(c));
  for (const cut of [...cuts].sort((a, b) => a - b)) streamer.update(raw.slice(0, cut));
  streamer.update(raw);
  const output = extractOutput(raw, command, PROMPT);
  streamer.finish(output);
  return { chunks, output };
}

describe('OutputStreamer', () => {
  it('sends complete lines as they arrive, never the echo, a half line or the prompt', () => {
    const chunks: string[] = [];
    const s = new OutputStreamer('show slow', (l) => PROMPT.test(l), (c) => chunks.push(c));
    s.update('show slow\r\nCollecting');
    expect(chunks).toEqual([]);
    s.update('show slow\r\nCollecting statistics...\r\nstage 1 ');
    expect(chunks).toEqual(['Collecting statistics...']);
    s.update('show slow\r\nCollecting statistics...\r\nstage 1 done\r\n\r\nstage 2 done\r\nRouter#');
    expect(chunks).toEqual(['Collecting statistics...', '\nstage 1 done\n\nstage 2 done']);
    s.finish('Collecting statistics...\nstage 1 done\n\nstage 2 done');
    expect(chunks.join('')).toBe('Collecting statistics...\nstage 1 done\n\nstage 2 done');
  });

  it('holds blank lines back until a line follows them (trailing blank lines are not output)', () => {
    const { chunks, output } = stream('show x', 'show x\r\na\r\n\r\n   \r\nRouter#', [12, 16, 21]);
    expect(output).toBe('a');
    expect(chunks).toEqual(['a']);
  });

  it('waits for the echo window on a device that does not echo, then drops the noise as extractOutput does', () => {
    const { chunks, output } = stream('show y', '\r\n^C\r\nl1\r\nl2\r\nl3\r\nl4\r\nl5\r\nRouter#', [4, 12, 20, 30]);
    expect(chunks.join('')).toBe(output);
    expect(output).toBe('l1\nl2\nl3\nl4\nl5');
  });

  it('concatenates to exactly the command output, whatever the chunking (property)', () => {
    const line = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\t', '-', '1', '#', '>'), maxLength: 12 }),
      fc.constantFrom('', '   ', '\x1b[1mbold\x1b[0m', 'x\by', ' --More-- \r          \rnext', 'tab\there', 'Router# not a prompt?'),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), fc.boolean(), fc.array(fc.nat(), { maxLength: 8 }), fc.constantFrom('\r\n', '\n'), (lines, echo, cuts, eol) => {
        const raw = `${echo ? 'show run' + eol : ''}${lines.map((l) => l + eol).join('')}Router#`;
        const { chunks, output } = stream('show run', raw, cuts.map((c) => c % (raw.length + 1)));
        expect(chunks.join('')).toBe(output);
      }),
      { numRuns: 2000 },
    );
  });
});
