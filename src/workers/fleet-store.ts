import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { RedisConnections } from '../redis/redis-connections';
import { defineScripts, ScriptFn } from '../redis/lua-scripts';
import { REDIS } from '../redis/redis.constants';
import * as lua from './fleet-store.scripts';

/** What a node publishes about itself with each heartbeat. */
export interface NodeFacts {
  hostname: string;
  pid: number;
  capacity: number;
  fifo_concurrency: number;
  pinned_count: number;
  started_at: number;
}

export interface LiveNode extends NodeFacts {
  name: string;
  heartbeat: number;
}

/** A command sent to one node through Redis. */
export type ControlMessage = { type: 'start_pinned'; host: string };

/**
 * The fleet store: the only code that writes node registrations, pinned placements and control lists.
 * API processes read it to place pinned workers; worker nodes heartbeat and take commands from it.
 */
@Injectable()
export class FleetStore {
  private readonly prefix: string;
  private readonly scripts: Record<keyof typeof lua, ScriptFn>;

  constructor(@Inject(REDIS) private readonly redis: Redis, connections: RedisConnections) {
    this.prefix = connections.keyPrefix;
    this.scripts = defineScripts(redis, 'netpulseFleet', lua);
  }

  heartbeat(node: string, facts: NodeFacts): Promise<unknown> {
    const flat = Object.entries(facts).flatMap(([k, v]) => [k, String(v)]);
    return this.scripts.HEARTBEAT(this.prefix, node, ...flat);
  }

  /** Nodes whose heartbeat is younger than ttlMs, with their facts. */
  async liveNodes(ttlMs: number): Promise<LiveNode[]> {
    const reply = (await this.scripts.LIVE_NODES(this.prefix, ttlMs)) as string[];
    const names = reply.filter((_, i) => i % 2 === 1);
    if (names.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const name of names) pipeline.hgetall(this.key('node', name));
    const facts = (await pipeline.exec()) ?? [];
    return names.map((name, i) => {
      const f = (facts[i]?.[1] ?? {}) as Record<string, string>;
      return {
        name,
        heartbeat: Number(reply[2 + i * 2]),
        hostname: f.hostname ?? '',
        pid: Number(f.pid ?? 0),
        capacity: Number(f.capacity ?? 0),
        fifo_concurrency: Number(f.fifo_concurrency ?? 0),
        pinned_count: Number(f.pinned_count ?? 0),
        started_at: Number(f.started_at ?? 0),
      };
    });
  }

  /** Pins host to candidate unless already pinned to a live node; '' when the candidate cannot take it. */
  async place(host: string, candidate: string, ttlMs: number, capacity: number): Promise<string> {
    return (await this.scripts.PLACE(this.prefix, host, candidate, ttlMs, capacity)) as string;
  }

  pinnedNode(host: string): Promise<string | null> {
    return this.redis.hget(this.key('pinned'), host);
  }

  hostsOf(node: string): Promise<string[]> {
    return this.redis.smembers(this.key('node', node, 'hosts'));
  }

  deregister(node: string): Promise<unknown> {
    return this.scripts.DEREGISTER(this.prefix, node);
  }

  /** Key of a node's control list, for its blocking reader. */
  controlKey(node: string): string {
    return this.key('ctl', node);
  }

  private key(...parts: string[]): string {
    return [this.prefix, ...parts].join(':');
  }
}
