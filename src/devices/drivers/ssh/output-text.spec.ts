/** Normalising terminal output and cutting a command's answer out of it. */
import { commandDone, extractOutput, lastLine, normalize } from './output-text';

const PROMPT = /^Router(?:\([^)]*\))?[>#]\s*$/;

describe('output text', () => {
  test('normalises line ends, redraws, backspaces and ANSI codes', () => {
    expect(normalize('a\r\nb\n\rc\r\r\nd')).toBe('a\nb\nc\nd');
    expect(normalize(' --More-- \r          \rnext line')).toBe('next line');
    expect(normalize('abx\b\bc')).toBe('ac');
    expect(normalize('\x1b[1;32mgreen\x1b[0m \x1b]0;title\x07done')).toBe('green done');
  });

  test('lastLine is the line the cursor is on', () => {
    expect(lastLine('output\r\nRouter#')).toBe('Router#');
    expect(lastLine('output\r\n')).toBe('');
  });

  test('a command is done when the prompt follows its echo', () => {
    expect(commandDone('show clock\r\n10:42\r\nRouter#', 'show clock', PROMPT)).toBe(true);
    expect(commandDone('show clock\r\n10:42\r\n', 'show clock', PROMPT)).toBe(false);
    expect(commandDone('show clock', 'show clock', PROMPT)).toBe(false);
  });

  test('a stale prompt before the echo does not end the read', () => {
    expect(commandDone('^C\r\nRouter#', 'show clock', PROMPT)).toBe(false);
    expect(commandDone('^C\r\nRouter#show clock\r\n10:42\r\nRouter#', 'show clock', PROMPT)).toBe(true);
  });

  test('a device that does not echo is done once real output arrived', () => {
    expect(commandDone('10:42\r\nRouter#', 'show clock', PROMPT)).toBe(true);
  });

  test('extractOutput drops the echo, the prompt and trailing blank lines', () => {
    expect(extractOutput('show clock\r\n10:42\r\nUTC\r\n\r\nRouter#', 'show clock', PROMPT)).toBe('10:42\nUTC');
    expect(extractOutput('^C\r\nRouter#show clock\r\n10:42\r\nRouter#', 'show clock', PROMPT)).toBe('10:42');
    expect(extractOutput('10:42\r\nRouter#', 'show clock', PROMPT)).toBe('10:42');
    expect(extractOutput('show hang\r\nwaiting...\r\n', 'show hang', PROMPT)).toBe('waiting...');
  });
});
