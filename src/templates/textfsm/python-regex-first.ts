/**
 * Which first characters a pattern's match can start with: a cheap test that lets TextFSM skip a rule's RegExp
 * for lines that cannot match it (most rules of a state fail on most lines). A superset by construction:
 * anchors and lookarounds are treated as letting everything through.
 */
import { charNodeSource, combineFlags } from './python-regex-emit';
import { FLAG, PyNode } from './python-regex-syntax';

/** Index 0-127: that ASCII character may start a match; index 128: some non-ASCII character may. */
export type FirstChars = Uint8Array;

const NON_ASCII = 128;

interface First {
  set: Uint8Array;
  /** The nodes can match without consuming anything. */
  empty: boolean;
}

function charSet(n: PyNode, flags: number): Uint8Array {
  const set = new Uint8Array(NON_ASCII + 1);
  if (n.op === 'lit') {
    set[n.c < NON_ASCII ? n.c : NON_ASCII] = 1;
    return set;
  }
  const re = new RegExp(`^${charNodeSource(n, flags)}$`, 'u');
  for (let c = 0; c < NON_ASCII; c++) set[c] = re.test(String.fromCharCode(c)) ? 1 : 0;
  set[NON_ASCII] = 1;
  return set;
}

/** null: could not tell (a back reference): give up on filtering. */
function firstOf(nodes: PyNode[], flags: number): First | null {
  const set = new Uint8Array(NON_ASCII + 1);
  for (const n of nodes) {
    const f = firstOfNode(n, flags);
    if (f === null) return null;
    for (let c = 0; c <= NON_ASCII; c++) set[c] |= f.set[c];
    if (!f.empty) return { set, empty: false };
  }
  return { set, empty: true };
}

function firstOfNode(n: PyNode, flags: number): First | null {
  switch (n.op) {
    case 'lit':
    case 'notlit':
    case 'any':
    case 'in':
      return { set: charSet(n, flags), empty: false };
    case 'at':
    case 'assert':
      return { set: new Uint8Array(NON_ASCII + 1), empty: true };
    case 'sub':
      return firstOf(n.body, combineFlags(flags, n.add, n.del));
    case 'atomic':
      return firstOf(n.body, flags);
    case 'repeat': {
      const f = n.max === 0 ? { set: new Uint8Array(NON_ASCII + 1), empty: true } : firstOf(n.body, flags);
      return f && { set: f.set, empty: f.empty || n.min === 0 };
    }
    case 'branch': {
      const set = new Uint8Array(NON_ASCII + 1);
      let empty = false;
      for (const alt of n.alts) {
        const f = firstOf(alt, flags);
        if (f === null) return null;
        for (let c = 0; c <= NON_ASCII; c++) set[c] |= f.set[c];
        empty ||= f.empty;
      }
      return { set, empty };
    }
    case 'groupref':
    case 'condref':
      return null;
  }
}

/** The first-character table of a pattern, or null when every line must be tried (it can match empty). */
export function firstChars(nodes: PyNode[], flags: number): FirstChars | null {
  if (flags & FLAG.IGNORECASE) return null;
  const f = firstOf(nodes, flags);
  return f === null || f.empty ? null : f.set;
}
