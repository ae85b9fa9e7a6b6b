/** Port of the `[...]` branch of `_parse` in `re/_parser.py`: members, ranges and their errors. */
import { EscapeCode } from './python-regex-escapes';
import { SetItem, Tokenizer } from './python-regex-syntax';
import { pyLen } from './python-text';

type ClassEscape = (source: Tokenizer, escape: string) => EscapeCode;

function asItem(code: EscapeCode): SetItem {
  if (code.t === 'lit') return { k: 'lit', c: code.c };
  if (code.t === 'cat') return { k: 'cat', cat: code.cat };
  // _class_escape never yields anchors or group references
  throw new Error(`internal: ${code.t} inside a character class`);
}

/** Parses after the opening `[`; `]` first (or right after `^`) is a literal, as in Python. */
export function parseCharClass(source: Tokenizer, escape: ClassEscape): { negate: boolean; items: SetItem[] } {
  const here = source.tell() - 1;
  const items: SetItem[] = [];
  const negate = source.match('^');
  for (;;) {
    const tok = source.get();
    if (tok === null) throw source.error('unterminated character set', source.tell() - here);
    if (tok === ']' && items.length > 0) break;
    const code1: EscapeCode = tok[0] === '\\' ? escape(source, tok) : { t: 'lit', c: tok.codePointAt(0) as number };
    if (!source.match('-')) {
      items.push(asItem(code1));
      continue;
    }
    const that = source.get();
    if (that === null) throw source.error('unterminated character set', source.tell() - here);
    if (that === ']') {
      items.push(asItem(code1), { k: 'lit', c: 0x2d });
      break;
    }
    const code2: EscapeCode = that[0] === '\\' ? escape(source, that) : { t: 'lit', c: that.codePointAt(0) as number };
    const width = pyLen(tok) + 1 + pyLen(that);
    if (code1.t !== 'lit' || code2.t !== 'lit') throw source.error(`bad character range ${tok}-${that}`, width);
    if (code2.c < code1.c) throw source.error(`bad character range ${tok}-${that}`, width);
    items.push({ k: 'range', lo: code1.c, hi: code2.c });
  }
  return { negate, items: dedupe(items) };
}

/** `_uniq`: the same member twice counts once (it decides the single-literal shortcut). */
function dedupe(items: SetItem[]): SetItem[] {
  const seen = new Set<string>();
  return items.filter((i) => {
    const key = i.k === 'lit' ? `l${i.c}` : i.k === 'range' ? `r${i.lo}-${i.hi}` : `c${i.cat}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
