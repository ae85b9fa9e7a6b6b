/**
 * A backtracking matcher over the parsed Python pattern with the rules of Python's `_sre` where JavaScript's
 * engine differs: a group inside a repeat keeps its capture from an earlier iteration (JavaScript clears it at
 * each iteration), a repeat accepts one empty iteration and then stops (JavaScript rejects it and backtracks),
 * and a back reference to a group that did not take part fails (JavaScript matches the empty string).
 *
 * It is slower than the RegExp and only runs for the few patterns and lines where those rules can change the
 * answer (see PythonRegex). Positions are code point indices, as in Python.
 */
import { AW, charNodeSource, combineFlags, WORD } from './python-regex-emit';
import { FLAG, MAXREPEAT, PyNode } from './python-regex-syntax';

type Cont = (i: number) => boolean;
type Matcher = (i: number, k: Cont) => boolean;

/** Compiled once per pattern; `match` runs on one subject at a time (not reentrant). */
export class SreMatcher {
  private cp: number[] = [];
  private caps: Int32Array;
  private readonly root: Matcher;

  constructor(nodes: PyNode[], flags: number, groups: number) {
    this.caps = new Int32Array(2 * (groups + 1));
    this.root = this.seq(nodes, flags);
  }

  /** `re.match`: the code point spans [start, end] of groups 0..n, -1 where a group did not take part. */
  match(s: string): Int32Array | null {
    this.cp = Array.from(s, (c) => c.codePointAt(0) as number);
    this.caps.fill(-1);
    let end = -1;
    if (!this.root(0, (i) => ((end = i), true))) return null;
    const out = this.caps.slice();
    out[0] = 0;
    out[1] = end;
    return out;
  }

  private seq(nodes: PyNode[], flags: number): Matcher {
    const parts = nodes.map((n) => this.node(n, flags));
    return parts.reduceRight<Matcher>(
      (next, part) => (i, k) => part(i, (j) => next(j, k)),
      (i, k) => k(i),
    );
  }

  private charTest(n: PyNode, flags: number): (c: number) => boolean {
    if (n.op === 'lit' && !(flags & FLAG.IGNORECASE)) return (c) => c === n.c;
    if (n.op === 'notlit' && !(flags & FLAG.IGNORECASE)) return (c) => c !== n.c;
    const re = new RegExp(`^${charNodeSource(n, flags)}$`, flags & FLAG.IGNORECASE ? 'iu' : 'u');
    // Most subjects are ASCII: answer those from a table built once.
    const ascii = new Uint8Array(128).map((_, c) => (re.test(String.fromCharCode(c)) ? 1 : 0));
    return (c) => (c < 128 ? ascii[c] === 1 : re.test(String.fromCodePoint(c)));
  }

  private node(n: PyNode, flags: number): Matcher {
    switch (n.op) {
      case 'lit':
      case 'notlit':
      case 'any':
      case 'in': {
        const test = this.charTest(n, flags);
        return (i, k) => i < this.cp.length && test(this.cp[i]) && k(i + 1);
      }
      case 'at':
        return this.anchor(n.at, flags);
      case 'sub':
        return this.group(n.group, this.seq(n.body, combineFlags(flags, n.add, n.del)));
      case 'branch': {
        const alts = n.alts.map((a) => this.seq(a, flags));
        return (i, k) => alts.some((alt) => alt(i, k));
      }
      case 'groupref':
        return this.backref(n.group, flags);
      case 'assert':
        return this.lookaround(n.behind, n.negate, this.seq(n.body, flags));
      case 'atomic':
        return this.atomic(this.seq(n.body, flags));
      case 'repeat':
        return this.repeat(n, flags);
      case 'condref':
        throw new Error('internal: conditional groups are refused before matching');
    }
  }

  /** A capture is set when its group completes and undone if what follows fails. */
  private group(group: number | null, body: Matcher): Matcher {
    if (group === null) return body;
    const caps = this.caps;
    return (i, k) =>
      body(i, (j) => {
        const s = caps[2 * group];
        const e = caps[2 * group + 1];
        caps[2 * group] = i;
        caps[2 * group + 1] = j;
        if (k(j)) return true;
        caps[2 * group] = s;
        caps[2 * group + 1] = e;
        return false;
      });
  }

  private backref(group: number, flags: number): Matcher {
    const fold = flags & FLAG.IGNORECASE ? (c: number) => String.fromCodePoint(c).toLowerCase() : (c: number) => c;
    return (i, k) => {
      const s = this.caps[2 * group];
      const e = this.caps[2 * group + 1];
      if (s < 0 || e < 0) return false;
      const len = e - s;
      if (i + len > this.cp.length) return false;
      for (let x = 0; x < len; x++) if (fold(this.cp[s + x]) !== fold(this.cp[i + x])) return false;
      return k(i + len);
    };
  }

  /** A lookbehind is fixed-width (Python refuses others), so the one start that ends at `i` is found by trying each. */
  private lookaround(behind: boolean, negate: boolean, body: Matcher): Matcher {
    return (i, k) => {
      const saved = this.caps.slice();
      let ok = false;
      if (!behind) ok = body(i, () => true);
      else for (let start = i; start >= 0 && !ok; start--) ok = body(start, (j) => j === i);
      if (negate) {
        this.caps.set(saved);
        return !ok && k(i);
      }
      if (ok && k(i)) return true;
      this.caps.set(saved);
      return false;
    };
  }

  /** First solution of the body only. */
  private atomic(body: Matcher): Matcher {
    return (i, k) => {
      const saved = this.caps.slice();
      let end = -1;
      if (!body(i, (j) => ((end = j), true))) return false;
      if (k(end)) return true;
      this.caps.set(saved);
      return false;
    };
  }

  private repeat(n: Extract<PyNode, { op: 'repeat' }>, flags: number): Matcher {
    const { min, max, kind } = n;
    const unbounded = max === MAXREPEAT;
    if (n.body.length === 1 && ['lit', 'notlit', 'any', 'in'].includes(n.body[0].op)) {
      return this.repeatOne(this.charTest(n.body[0], flags), min, unbounded ? Infinity : max, kind);
    }
    const body = this.seq(n.body, flags);
    if (kind === 'possessive') return this.possessive(body, min, unbounded ? Infinity : max);
    const lazy = kind === 'lazy';
    return (i, k) => {
      // _sre's MAX_UNTIL / MIN_UNTIL: last_ptr stops a second iteration at the position where one began.
      let lastPtr = -1;
      const until = (p: number, count: number): boolean => {
        if (count < min) return body(p, (q) => until(q, count + 1));
        const more = (count < max || unbounded) && p !== lastPtr;
        if (lazy && k(p)) return true;
        if (more) {
          const saved = lastPtr;
          lastPtr = p;
          const ok = body(p, (q) => until(q, count + 1));
          lastPtr = saved;
          if (ok) return true;
        }
        return !lazy && k(p);
      };
      return until(i, 0);
    };
  }

  /** A repeat of one character (`_sre`'s REPEAT_ONE): no captures inside, so plain counting. */
  private repeatOne(test: (c: number) => boolean, min: number, max: number, kind: string): Matcher {
    return (i, k) => {
      let n = 0;
      while (n < max && i + n < this.cp.length && test(this.cp[i + n])) n++;
      if (n < min) return false;
      if (kind === 'possessive') return k(i + n);
      if (kind === 'lazy') {
        for (let c = min; c <= n; c++) if (k(i + c)) return true;
        return false;
      }
      for (let c = n; c >= min; c--) if (k(i + c)) return true;
      return false;
    };
  }

  private possessive(body: Matcher, min: number, max: number): Matcher {
    return (i, k) => {
      const saved = this.caps.slice();
      let p = i;
      let count = 0;
      let end = -1;
      const once = (at: number) => body(at, (q) => ((end = q), true));
      for (; count < min; count++, p = end) {
        if (!once(p)) {
          this.caps.set(saved);
          return false;
        }
      }
      for (let prev = -1; count < max && p !== prev && once(p); count++) {
        prev = p;
        p = end;
      }
      if (k(p)) return true;
      this.caps.set(saved);
      return false;
    };
  }

  private anchor(at: Extract<PyNode, { op: 'at' }>['at'], flags: number): Matcher {
    const multiline = (flags & FLAG.MULTILINE) !== 0;
    const wordRe = new RegExp(`^${flags & FLAG.ASCII ? AW : WORD}$`, 'u');
    const word = (i: number) => i >= 0 && i < this.cp.length && wordRe.test(String.fromCodePoint(this.cp[i]));
    const tests: Record<typeof at, (i: number) => boolean> = {
      begin: (i) => i === 0 || (multiline && this.cp[i - 1] === 10),
      end: (i) => i === this.cp.length || (this.cp[i] === 10 && (multiline || i === this.cp.length - 1)),
      beginString: (i) => i === 0,
      endString: (i) => i === this.cp.length,
      boundary: (i) => this.cp.length > 0 && word(i - 1) !== word(i),
      nonBoundary: (i) => this.cp.length > 0 && word(i - 1) === word(i),
    };
    const test = tests[at];
    return (i, k) => test(i) && k(i);
  }
}
