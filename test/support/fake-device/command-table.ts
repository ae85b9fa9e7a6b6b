/**
 * Cisco-style command matching: keywords may be abbreviated to any unique prefix
 * ("sh ip int br"), and a failed match says where, so the emulator can print the caret.
 */

export interface CommandSpec<T> {
  /** keywords, or placeholders: <n> (a number), <word> (one token), <rest> (one or more tokens) */
  words: string[];
  id: T;
  /** only at the privileged prompt (and in config mode through `do`) */
  priv?: boolean;
}

export type Match<T> =
  | { ok: true; id: T; args: string[] }
  | { ok: false; error: 'invalid'; at: number }
  | { ok: false; error: 'incomplete' | 'ambiguous' };

const isPlaceholder = (w: string) => w.startsWith('<');

function placeholderMatches(word: string, token: string): boolean {
  return word === '<n>' ? /^\d+$/.test(token) : true;
}

/** The specs that still match after token `i`, or 'ambiguous'. Exact keywords beat prefixes beat placeholders. */
function narrow<T>(specs: CommandSpec<T>[], i: number, token: string): CommandSpec<T>[] | 'ambiguous' {
  const t = token.toLowerCase();
  const exact = specs.filter((s) => s.words[i] === t);
  if (exact.length) return exact;
  const prefix = specs.filter((s) => s.words[i] && !isPlaceholder(s.words[i]) && s.words[i].startsWith(t));
  if (new Set(prefix.map((s) => s.words[i])).size > 1) return 'ambiguous';
  if (prefix.length) return prefix;
  return specs.filter((s) => s.words[i] && isPlaceholder(s.words[i]) && placeholderMatches(s.words[i], token));
}

export function matchCommand<T>(line: string, table: CommandSpec<T>[]): Match<T> {
  const tokens = line.trim().split(/\s+/).filter(Boolean);
  let specs = table;
  const args: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const next = narrow(specs, i, tokens[i]);
    if (next === 'ambiguous') return { ok: false, error: 'ambiguous' };
    if (!next.length) return { ok: false, error: 'invalid', at: i };
    specs = next;
    const word = specs[0].words[i];
    if (word === '<rest>') return { ok: true, id: specs[0].id, args: [...args, tokens.slice(i).join(' ')] };
    if (isPlaceholder(word)) args.push(tokens[i]);
  }
  const full = specs.find((s) => s.words.length === tokens.length);
  return full ? { ok: true, id: full.id, args } : { ok: false, error: 'incomplete' };
}

/** Column of the first character of token `at` in `line` (for the caret under it). */
export function tokenColumn(line: string, at: number): number {
  const re = /\S+/g;
  let m: RegExpExecArray | null;
  for (let i = 0; (m = re.exec(line)); i++) if (i === at) return m.index;
  return line.length;
}
