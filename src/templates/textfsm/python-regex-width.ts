/** Port of `SubPattern.getwidth()`: the (min, max) length a subpattern can match, capped as Python caps it. */
import { MAXREPEAT, PyNode } from './python-regex-syntax';

export type Width = [number, number];

function nodeWidth(n: PyNode, groupwidths: (Width | null)[]): Width {
  switch (n.op) {
    case 'lit':
    case 'notlit':
    case 'any':
    case 'in':
      return [1, 1];
    case 'at':
    case 'assert':
      return [0, 0];
    case 'sub':
    case 'atomic':
      return nodesWidth(n.body, groupwidths);
    case 'repeat': {
      const [lo, hi] = nodesWidth(n.body, groupwidths);
      return [lo * n.min, hi * n.max];
    }
    case 'branch': {
      let i = MAXREPEAT - 1;
      let j = 0;
      for (const alt of n.alts) {
        const [l, h] = nodesWidth(alt, groupwidths);
        i = Math.min(i, l);
        j = Math.max(j, h);
      }
      return [i, j];
    }
    case 'groupref':
      return groupwidths[n.group] ?? [0, 0];
    case 'condref': {
      let [i, j] = nodesWidth(n.yes, groupwidths);
      if (n.no) {
        const [l, h] = nodesWidth(n.no, groupwidths);
        i = Math.min(i, l);
        j = Math.max(j, h);
      } else i = 0;
      return [i, j];
    }
  }
}

export function nodesWidth(nodes: PyNode[], groupwidths: (Width | null)[]): Width {
  let lo = 0;
  let hi = 0;
  for (const n of nodes) {
    const [l, h] = nodeWidth(n, groupwidths);
    lo += l;
    hi += h;
  }
  return [Math.min(lo, MAXREPEAT - 1), Math.min(hi, MAXREPEAT)];
}
