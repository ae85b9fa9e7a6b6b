/** Python's `json.dumps(value, sort_keys=True, indent=...)` as the `tojson` filter calls it (ASCII-only output). */
import { floatRepr, numberRepr } from './py-str';
import { PyFloat, isDict, isFloat, num, pyRaise, typeName, viewKind } from './py-values';

export function pyJsonDumps(value: unknown, indent?: number | string): string {
  const pad = indent === undefined ? undefined : typeof indent === 'number' ? ' '.repeat(indent) : indent;
  return dump(value, pad, 0);
}

function dump(v: unknown, pad: string | undefined, depth: number): string {
  if (v === null || v === undefined) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (typeof v === 'number' || v instanceof PyFloat) return jsonNumber(v);
  if (typeof v === 'string') return jsonString(v);
  if (Array.isArray(v) && viewKind(v)) return pyRaise('TypeError', `Object of type ${typeName(v)} is not JSON serializable`);
  if (Array.isArray(v)) return container('[', ']', v.map((x) => dump(x, pad, depth + 1)), pad, depth);
  if (isDict(v)) {
    const keys = Object.keys(v).sort();
    return container('{', '}', keys.map((k) => `${jsonString(k)}: ${dump(v[k], pad, depth + 1)}`), pad, depth);
  }
  return pyRaise('TypeError', `Object of type ${typeName(v)} is not JSON serializable`);
}

function container(open: string, close: string, items: string[], pad: string | undefined, depth: number): string {
  if (items.length === 0) return open + close;
  if (pad === undefined) return open + items.join(', ') + close;
  const inner = '\n' + pad.repeat(depth + 1);
  return open + inner + items.join(',' + inner) + '\n' + pad.repeat(depth) + close;
}

function jsonNumber(v: number | PyFloat): string {
  if (!isFloat(v)) return numberRepr(v);
  const n = num(v);
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  return floatRepr(n);
}

const JSON_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

/** `ensure_ascii=True`: every non-ASCII UTF-16 unit is `\uXXXX`. */
function jsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    const code = s.charCodeAt(i);
    if (ch in JSON_ESCAPES) out += JSON_ESCAPES[ch];
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + '"';
}

/** What `tojson` adds so the JSON can sit inside HTML. */
export function htmlSafeJson(json: string): string {
  return json.replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/'/g, '\\u0027');
}
