/**
 * Python's `textwrap.wrap`, as Jinja2's `wordwrap` filter calls it (expand_tabs=False,
 * replace_whitespace=False, drop_whitespace=True): the same chunking regex, including where hyphenated
 * words may break, and the same line-filling loop, so long descriptions wrap at the same places.
 */
import { pyRaise } from './py-values';

const WS = '[\\t\\n\\x0b\\x0c\\r ]';
const NWS = '[^\\t\\n\\x0b\\x0c\\r ]';
const WORD = '[\\p{L}\\p{N}_]';
const WORD_PUNCT = `[\\p{L}\\p{N}_!"'&.,?]`;
const LETTER = '[\\p{L}_]';

const WORDSEP = new RegExp(
  `(${WS}+` +
    `|(?<=${WORD_PUNCT})-{2,}(?=${WORD})` +
    `|${NWS}+?(?:-(?:(?<=${LETTER}{2}-)|(?<=${LETTER}-${LETTER}-))(?=${LETTER}-?${LETTER})|(?=${WS}|$)|(?<=${WORD_PUNCT})(?=-{2,}${WORD})))`,
  'u',
);
const WORDSEP_SIMPLE = new RegExp(`(${WS}+)`, 'u');

export interface WrapOptions {
  width: number;
  breakLongWords: boolean;
  breakOnHyphens: boolean;
}

const cps = (s: string): string[] => Array.from(s);
const isBlank = (s: string): boolean => s.trim() === '';

export function textWrap(text: string, opts: WrapOptions): string[] {
  if (opts.width <= 0) pyRaise('ValueError', `invalid width ${opts.width} (must be > 0)`);
  const chunks = text.split(opts.breakOnHyphens ? WORDSEP : WORDSEP_SIMPLE).filter((c) => c !== '' && c !== undefined);
  chunks.reverse();
  const lines: string[] = [];
  while (chunks.length > 0) {
    const line: string[] = [];
    let len = 0;
    if (isBlank(chunks[chunks.length - 1]) && lines.length > 0) chunks.pop();
    while (chunks.length > 0 && len + cps(chunks[chunks.length - 1]).length <= opts.width) {
      const chunk = chunks.pop() as string;
      line.push(chunk);
      len += cps(chunk).length;
    }
    if (chunks.length > 0 && cps(chunks[chunks.length - 1]).length > opts.width) handleLongWord(chunks, line, len, opts);
    if (line.length > 0 && isBlank(line[line.length - 1])) line.pop();
    if (line.length > 0) lines.push(line.join(''));
  }
  return lines;
}

function handleLongWord(chunks: string[], line: string[], len: number, opts: WrapOptions): void {
  const spaceLeft = opts.width < 1 ? 1 : opts.width - len;
  if (opts.breakLongWords) {
    const chunk = cps(chunks[chunks.length - 1]);
    let end = spaceLeft;
    if (opts.breakOnHyphens && chunk.length > spaceLeft) {
      const hyphen = chunk.slice(0, spaceLeft).lastIndexOf('-');
      if (hyphen > 0 && chunk.slice(0, hyphen).some((c) => c !== '-')) end = hyphen + 1;
    }
    line.push(chunk.slice(0, end).join(''));
    chunks[chunks.length - 1] = chunk.slice(end).join('');
  } else if (line.length === 0) {
    line.push(chunks.pop() as string);
  }
}
