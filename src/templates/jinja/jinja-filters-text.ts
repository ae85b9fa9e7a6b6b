/** Jinja2's string filters, with Jinja2 3.1's defaults (`indent` skips the first and blank lines, `truncate` has leeway 5). */
import { REQUIRED, bindArgs } from './jinja-args';
import { FilterFn, intArg } from './jinja-filter-kit';
import { printfFormat } from './py-format';
import { toFixedHalfEven } from './py-number-format';
import { pyStr } from './py-str';
import { PY_SPACE, pyCapitalize, pyCenter, pyReplace, pyRsplit, pySplitlines, pyStrip } from './py-text';
import { textWrap } from './py-textwrap';
import { Undefined, codePoints, isDict, isNumber, iterate, newDict, num, pyLen, pyRaise, truthy, tuple, typeName } from './py-values';
import { parseFloatText } from './jinja-filters-value';

const TITLE_SPLIT = new RegExp(`([-${PY_SPACE}({\\[<]+)`);

/** A string-only argument: Jinja2 calls str methods on it, so other types raise. */
function strValue(v: unknown, method: string): string {
  if (typeof v !== 'string') pyRaise('AttributeError', `'${typeName(v)}' object has no attribute '${method}'`);
  return v;
}

const indent: FilterFn = (value, args, kwargs, ctx) => {
  const [width, first, blank] = bindArgs('indent', args, kwargs, { width: 4, first: false, blank: false });
  let indention: string;
  if (typeof width === 'string') {
    indention = width;
  } else {
    const n = intArg(width, 'indent width');
    ctx.budget.checkLength(n);
    indention = ' '.repeat(Math.max(0, n));
  }
  // Jinja2 does `s += '\n'`, so only strings can be indented.
  if (typeof value !== 'string') pyRaise('TypeError', `unsupported operand type(s) for +=: '${typeName(value)}' and 'str'`);
  const s = value + '\n';
  let rv: string;
  if (truthy(blank)) {
    rv = pySplitlines(s).join('\n' + indention);
  } else {
    const lines = pySplitlines(s);
    rv = lines.shift() ?? '';
    if (lines.length) rv += '\n' + lines.map((l) => (l ? indention + l : l)).join('\n');
  }
  return truthy(first) ? indention + rv : rv;
};

const truncate: FilterFn = (value, args, kwargs) => {
  const [length, killwords, end, leeway] = bindArgs('truncate', args, kwargs, { length: 255, killwords: false, end: '...', leeway: null });
  const max = intArg(length, 'truncate length');
  const tail = pyStr(end);
  const slack = leeway === null ? 5 : intArg(leeway, 'truncate leeway');
  if (max < codePoints(tail).length) pyRaise('AssertionError', `expected length >= ${codePoints(tail).length}, got ${max}`);
  if (slack < 0) pyRaise('AssertionError', `expected leeway >= 0, got ${slack}`);
  // Jinja2 only measures a non-string (a short list comes back as is); cutting one fails.
  if (typeof value !== 'string') {
    if (pyLen(value) <= max + slack) return value;
    return pyRaise('TypeError', `can only truncate strings, not ${typeName(value)}`);
  }
  const s = codePoints(value);
  if (s.length <= max + slack) return s.join('');
  const head = s.slice(0, Math.max(0, max - codePoints(tail).length)).join('');
  if (truthy(killwords)) return head + tail;
  return pyRsplit(head, ' ', 1)[0] + tail;
};

const wordwrap: FilterFn = (value, args, kwargs) => {
  const [width, breakLong, wrapstring, breakHyphens] = bindArgs('wordwrap', args, kwargs, {
    width: 79,
    break_long_words: true,
    wrapstring: null,
    break_on_hyphens: true,
  });
  const sep = wrapstring === null ? '\n' : pyStr(wrapstring);
  const opts = { width: intArg(width, 'wordwrap width'), breakLongWords: Boolean(breakLong), breakOnHyphens: Boolean(breakHyphens) };
  return pySplitlines(strValue(value, 'splitlines'))
    .map((line) => textWrap(line, opts).join(sep))
    .join(sep);
};

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };

function htmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

const HTML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function htmlUnescape(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ent: string) => {
    if (ent[0] === '#') return String.fromCodePoint(ent[1] === 'x' || ent[1] === 'X' ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10));
    return HTML_ENTITIES[ent.toLowerCase()] ?? whole;
  });
}

/** Python's `urllib.parse.quote`: UTF-8 bytes, letters, digits and `_.-~` kept, plus `safe`. */
function urlQuote(v: unknown, forQuery: boolean): string {
  const safe = forQuery ? '' : '/';
  let out = '';
  for (const byte of Buffer.from(pyStr(v), 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9_.\-~]/.test(ch) || safe.includes(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return forQuery ? out.replace(/%20/g, '+') : out;
}

function unpackPair(p: unknown): unknown[] {
  const kv = iterate(p);
  if (kv.length !== 2) pyRaise('ValueError', kv.length > 2 ? 'too many values to unpack (expected 2)' : `not enough values to unpack (expected 2, got ${kv.length})`);
  return kv;
}

const urlencode: FilterFn = (value) => {
  if (typeof value === 'string' || !(Array.isArray(value) || isDict(value))) return urlQuote(value, false);
  const pairs = isDict(value) ? Object.entries(value) : iterate(value).map((p) => unpackPair(p));
  return pairs.map(([k, v]) => `${urlQuote(k, true)}=${urlQuote(v, true)}`).join('&');
};

const filesizeformat: FilterFn = (value, args, kwargs) => {
  const [binary] = bindArgs('filesizeformat', args, kwargs, { binary: false });
  let bytes: number;
  if (typeof value === 'string') {
    const parsed = parseFloatText(value);
    if (parsed === undefined) return pyRaise('ValueError', `could not convert string to float: '${value}'`);
    bytes = parsed;
  } else if (isNumber(value)) {
    bytes = num(value);
  } else {
    return pyRaise('TypeError', `float() argument must be a string or a real number, not '${typeName(value)}'`);
  }
  const base = binary ? 1024 : 1000;
  const prefixes = binary ? ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'] : ['kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
  if (bytes === 1) return '1 Byte';
  if (bytes < base) return `${Math.trunc(bytes)} Bytes`;
  let i = 0;
  while (i < prefixes.length - 1 && bytes >= base ** (i + 2)) i++;
  return `${toFixedHalfEven((base * bytes) / base ** (i + 2), 1)} ${prefixes[i]}`;
};

const xmlattr: FilterFn = (value, args, kwargs) => {
  const [autospace] = bindArgs('xmlattr', args, kwargs, { autospace: true });
  if (!isDict(value)) return pyRaise('AttributeError', `'${typeName(value)}' object has no attribute 'items'`);
  const items: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (v === null || v instanceof Undefined) continue;
    if (/[\s/>=]/.test(k)) pyRaise('ValueError', `Invalid character in attribute name: '${k}'`);
    items.push(`${htmlEscape(k)}="${htmlEscape(pyStr(v))}"`);
  }
  const rv = items.join(' ');
  return autospace && rv ? ` ${rv}` : rv;
};

export const TEXT_FILTERS: Record<string, FilterFn> = {
  capitalize: (v) => pyCapitalize(pyStr(v)),
  center: (v, a, kw, ctx) => {
    const width = intArg(bindArgs('center', a, kw, { width: 80 })[0], 'center width');
    ctx.budget.checkLength(width);
    return pyCenter(pyStr(v), width);
  },
  format: (v, a, kw) => {
    if (a.length && kw.size) pyRaise('FilterArgumentError', "can't handle positional and keyword arguments at the same time");
    return printfFormat(pyStr(v), kw.size ? newDict(kw) : tuple(a));
  },
  indent,
  lower: (v) => pyStr(v).toLowerCase(),
  upper: (v) => pyStr(v).toUpperCase(),
  replace: (v, a, kw) => {
    const [old, repl, count] = bindArgs('replace', a, kw, { old: REQUIRED, new: REQUIRED, count: null });
    return pyReplace(pyStr(v), pyStr(old), pyStr(repl), count === null ? -1 : intArg(count, 'replace count'));
  },
  title: (v) =>
    pyStr(v)
      .split(TITLE_SPLIT)
      .filter((item) => item)
      .map((item) => {
        const [first = '', ...rest] = codePoints(item);
        return first.toUpperCase() + rest.join('').toLowerCase();
      })
      .join(''),
  trim: (v, a, kw) => {
    const [chars] = bindArgs('trim', a, kw, { chars: null });
    return pyStrip(pyStr(v), chars === null ? null : pyStr(chars), 'both');
  },
  truncate,
  wordcount: (v) => (pyStr(v).match(/[\p{L}\p{N}_]+/gu) ?? []).length,
  wordwrap,
  string: (v) => pyStr(v),
  safe: (v) => pyStr(v),
  escape: (v) => htmlEscape(pyStr(v)),
  e: (v) => htmlEscape(pyStr(v)),
  forceescape: (v) => htmlEscape(pyStr(v)),
  striptags: (v) => {
    const stripped = pyStr(v).replace(/<!--[\s\S]*?-->/g, '').replace(/<[\s\S]*?>/g, '');
    return htmlUnescape(stripped.split(new RegExp(`[${PY_SPACE}]+`)).filter((w) => w).join(' '));
  },
  urlencode,
  filesizeformat,
  xmlattr,
};
