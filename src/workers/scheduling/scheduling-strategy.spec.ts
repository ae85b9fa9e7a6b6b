import type { LiveNode } from '../fleet-store';
import { GreedyStrategy, LeastLoadRandomStrategy, LeastLoadStrategy, LoadWeightedRandomStrategy } from './scheduling-strategy';

const node = (name: string, pinned: number, capacity = 10): LiveNode => ({
  name, pinned_count: pinned, capacity, heartbeat: 0, life: name, hostname: name, pid: 1, fifo_concurrency: 1, started_at: 0,
});
const names = (nodes: LiveNode[]) => nodes.map((n) => n.name);

describe('scheduling strategies', () => {
  const nodes = [node('c', 2), node('a', 5), node('b', 2, 4)];

  it('greedy fills nodes in name order', () => {
    expect(names(new GreedyStrategy().order(nodes))).toEqual(['a', 'b', 'c']);
  });

  it('least_load puts the lowest pinned/capacity first, ties by name', () => {
    expect(names(new LeastLoadStrategy().order(nodes))).toEqual(['c', 'a', 'b']); // a 5/10 and b 2/4 tie: by name
    expect(names(new LeastLoadStrategy().order([node('y', 1), node('x', 1)]))).toEqual(['x', 'y']);
  });

  it('least_load_random draws only among the least loaded', () => {
    const tied = [node('a', 1), node('b', 1), node('c', 9)];
    expect(names(new LeastLoadRandomStrategy().order(tied, () => 0))[0]).toBe('a');
    expect(names(new LeastLoadRandomStrategy().order(tied, () => 0.99))[0]).toBe('b');
  });

  it('load_weighted_random draws in proportion to free capacity', () => {
    // free capacity: a 5, b 2, c 8 (name order a, b, c): cumulative 5, 7, 15
    const s = new LoadWeightedRandomStrategy();
    expect(names(s.order(nodes, () => 0))[0]).toBe('a');
    expect(names(s.order(nodes, () => 5.5 / 15))[0]).toBe('b');
    expect(names(s.order(nodes, () => 7.5 / 15))[0]).toBe('c');
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    let seed = 1;
    const lcg = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < 15000; i++) counts[s.order(nodes, lcg)[0].name]++;
    expect(counts.a / 15000).toBeCloseTo(5 / 15, 1);
    expect(counts.b / 15000).toBeCloseTo(2 / 15, 1);
    expect(counts.c / 15000).toBeCloseTo(8 / 15, 1);
  });

  it('every strategy returns every node once', () => {
    for (const s of [new GreedyStrategy(), new LeastLoadStrategy(), new LeastLoadRandomStrategy(), new LoadWeightedRandomStrategy()]) {
      expect(names(s.order(nodes)).sort()).toEqual(['a', 'b', 'c']);
    }
  });
});
