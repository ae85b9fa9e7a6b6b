import type { LiveNode } from '../fleet-store';

/**
 * Orders the live nodes that have room for one more pinned worker, best first. The placement tries them in
 * that order (another API replica may fill one meanwhile). `random` is injectable so tests check the rule.
 */
export interface SchedulingStrategy {
  readonly name: string;
  order(nodes: LiveNode[], random?: () => number): LiveNode[];
}

const load = (n: LiveNode) => n.pinned_count / n.capacity;
const byName = (a: LiveNode, b: LiveNode) => a.name.localeCompare(b.name);

/** Fills nodes one after another, in name order: fewest nodes busy, the rest free for big jobs. */
export class GreedyStrategy implements SchedulingStrategy {
  readonly name = 'greedy';
  order(nodes: LiveNode[]): LiveNode[] {
    return [...nodes].sort(byName);
  }
}

/** The least loaded node (pinned workers / capacity) first; ties by name. */
export class LeastLoadStrategy implements SchedulingStrategy {
  readonly name = 'least_load';
  order(nodes: LiveNode[]): LiveNode[] {
    return [...nodes].sort((a, b) => load(a) - load(b) || byName(a, b));
  }
}

/** A random node among the least loaded ones, so API replicas placing at once spread out. */
export class LeastLoadRandomStrategy implements SchedulingStrategy {
  readonly name = 'least_load_random';
  order(nodes: LiveNode[], random = Math.random): LiveNode[] {
    const sorted = new LeastLoadStrategy().order(nodes);
    if (sorted.length === 0) return sorted;
    const least = sorted.filter((n) => load(n) === load(sorted[0]));
    const pick = least[Math.floor(random() * least.length)];
    return [pick, ...sorted.filter((n) => n !== pick)];
  }
}

/** A node drawn at random with probability proportional to its free capacity (the default). */
export class LoadWeightedRandomStrategy implements SchedulingStrategy {
  readonly name = 'load_weighted_random';
  order(nodes: LiveNode[], random = Math.random): LiveNode[] {
    const pool = [...nodes].sort(byName);
    const out: LiveNode[] = [];
    while (pool.length > 0) {
      const weights = pool.map((n) => n.capacity - n.pinned_count);
      let draw = random() * weights.reduce((s, w) => s + w, 0);
      let i = 0;
      while (i < pool.length - 1 && draw >= weights[i]) draw -= weights[i++];
      out.push(...pool.splice(i, 1));
    }
    return out;
  }
}

export const STRATEGIES: Record<string, () => SchedulingStrategy> = {
  greedy: () => new GreedyStrategy(),
  least_load: () => new LeastLoadStrategy(),
  least_load_random: () => new LeastLoadRandomStrategy(),
  load_weighted_random: () => new LoadWeightedRandomStrategy(),
};
