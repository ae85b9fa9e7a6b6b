import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { PrefixedStore } from '../redis/lua-scripts';
import { RedisConnections } from '../redis/redis-connections';
import { REDIS } from '../redis/redis.constants';
import * as lua from './fleet-store.scripts';
import { ControlMessage, ControlReply, WorkerRecord } from './worker.model';

/** What a node publishes about itself with each heartbeat. */
export interface NodeFacts {
  /** random id of this process's life under the node name (a restart under the same name is a new life) */
  life: string;
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

/** The process recorded as holding a node name. */
export interface NameHolder {
  life: string;
  hostname: string;
  pid: number;
}

export type HeartbeatOutcome = 'known' | 'new' | { superseded: NameHolder };

/** A life's claim of its node name: taken over (with the jobs of the previous life ended), or held by a live process. */
export type LifeClaim =
  | { kind: 'ok'; previous: NameHolder | null; lost: { id: string; queue: string; startedAt: number }[]; now: number }
  | { kind: 'held'; holder: NameHolder; heartbeatAgeMs: number };

export interface WorkerFilter {
  queue?: string;
  node?: string;
  host?: string;
  name?: string;
}

/** Answers to a control message are kept this long for a late reader. */
const REPLY_TTL_SEC = 60;

/**
 * The fleet store: the only code that writes node and worker registrations, pinned placements and
 * control lists. API processes read it and send commands; worker nodes heartbeat and take commands.
 */
@Injectable()
export class FleetStore extends PrefixedStore<typeof lua> {
  constructor(@Inject(REDIS) redis: Redis, connections: RedisConnections) {
    super(redis, connections.keyPrefix, 'netpulseFleet', lua);
  }

  /**
   * One heartbeat for a node and all its live workers: 'new' when the node was not registered before it (reaped
   * meanwhile), or the holder of the name when another life took it over (then nothing is written).
   */
  async heartbeat(node: string, facts: NodeFacts, workers: string[]): Promise<HeartbeatOutcome> {
    const reply = await this.scripts.HEARTBEAT(this.prefix, node, facts.life, workers.length, ...workers, ...flatten(facts));
    if (Array.isArray(reply)) return { superseded: holderOf(reply as string[], 1) };
    return reply === 1 ? 'new' : 'known';
  }

  /** The process recorded as holding a node name, if any. */
  async holder(node: string): Promise<NameHolder | null> {
    const [life, hostname, pid] = await this.redis.hmget(this.key('node', node), 'life', 'hostname', 'pid');
    return hostname === null ? null : { life: life ?? '', hostname, pid: Number(pid ?? 0) };
  }

  /**
   * Claims a node name for a new life (see CLAIM_LIFE): unless a live process holds it, the previous life's started
   * jobs end failed (WorkerLostError) in the same step. deadPid: the recorded holder's pid, when the caller runs on
   * the holder's host and found that pid gone.
   */
  async claimLife(node: string, facts: NodeFacts, ttlMs: number, deadPid: number | null, resultTtlMs: number): Promise<LifeClaim> {
    const reply = (await this.scripts.CLAIM_LIFE(
      this.prefix, node, facts.life, facts.hostname, facts.pid, ttlMs, deadPid ?? '', resultTtlMs, ...flatten(facts),
    )) as string[];
    if (reply[0] === 'held') return { kind: 'held', holder: holderOf(reply, 1), heartbeatAgeMs: Number(reply[4]) };
    const lost = [];
    for (let i = 5; i < reply.length; i += 3) lost.push({ id: reply[i], queue: reply[i + 1], startedAt: Number(reply[i + 2]) });
    return { kind: 'ok', previous: reply[2] ? holderOf(reply, 1) : null, lost, now: Number(reply[4]) };
  }

  /** Nodes whose heartbeat is younger than ttlMs, with their facts and their current pinned count. */
  async liveNodes(ttlMs: number): Promise<LiveNode[]> {
    const reply = (await this.scripts.LIVE_NODES(this.prefix, ttlMs)) as string[];
    const names = reply.filter((_, i) => i % 2 === 1);
    if (names.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const name of names) pipeline.hgetall(this.key('node', name)).scard(this.key('node', name, 'hosts'));
    const rows = (await pipeline.exec()) ?? [];
    return names.map((name, i) => {
      const f = (rows[i * 2]?.[1] ?? {}) as Record<string, string>;
      return {
        name,
        heartbeat: Number(reply[2 + i * 2]),
        life: f.life ?? '',
        hostname: f.hostname ?? '',
        pid: Number(f.pid ?? 0),
        capacity: Number(f.capacity ?? 0),
        fifo_concurrency: Number(f.fifo_concurrency ?? 0),
        pinned_count: Number(rows[i * 2 + 1]?.[1] ?? 0),
        started_at: Number(f.started_at ?? 0),
      };
    });
  }

  async deadNodes(ttlMs: number, limit = 100): Promise<string[]> {
    return (await this.scripts.DEAD_NODES(this.prefix, ttlMs, limit)) as string[];
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

  unpin(host: string, node: string): Promise<unknown> {
    return this.scripts.UNPIN(this.prefix, host, node);
  }

  /** Releases an idle pinned worker, atomically with the submit path (see RELEASE_PINNED). */
  async releasePinned(host: string, node: string, worker: string, queue: string): Promise<'released' | 'busy' | 'gone'> {
    return (await this.scripts.RELEASE_PINNED(this.prefix, host, node, worker, queue)) as 'released' | 'busy' | 'gone';
  }

  /** Removes a node (shutdown): unpins its hosts, marks its workers stopped. Returns its hosts; null when another life holds the name. */
  async deregister(node: string, life: string): Promise<string[] | null> {
    return (await this.scripts.DEREGISTER(this.prefix, node, '', life)) as string[] | null;
  }

  /**
   * Removes a node found dead, as deregister does, if its heartbeat is still older than ttlMs at that moment
   * (checked in the same step): null when it beat again since it was found dead.
   */
  async deregisterIfDead(node: string, ttlMs: number): Promise<string[] | null> {
    return (await this.scripts.DEREGISTER(this.prefix, node, ttlMs)) as string[] | null;
  }

  registerWorker(w: Pick<WorkerRecord, 'name' | 'node' | 'queue' | 'hostname' | 'pid' | 'kind'> & { host: string | null }): Promise<unknown> {
    return this.scripts.REGISTER_WORKER(this.prefix, w.name, w.node, w.queue, w.host ?? '', 'hostname', w.hostname, 'pid', w.pid, 'kind', w.kind);
  }

  async setWorkerFlag(name: string, flag: 'suspended' | 'stopped', on: boolean): Promise<boolean> {
    return (await this.scripts.SET_WORKER_FLAG(this.prefix, name, flag, on ? '1' : '')) === 1;
  }

  async pruneWorkers(olderThanMs: number, limit = 500): Promise<string[]> {
    return (await this.scripts.PRUNE_WORKERS(this.prefix, olderThanMs, limit)) as string[];
  }

  /** Workers matching the filter (name wins, then queue, node, host), from the worker indexes. */
  async workers(filter: WorkerFilter): Promise<WorkerRecord[]> {
    const names = await this.workerNames(filter);
    if (names.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const name of names) pipeline.hgetall(this.key('worker', name));
    const rows = (await pipeline.exec()) ?? [];
    return rows
      .map(([, h]) => h as Record<string, string>)
      .filter((h) => h && h.name)
      .map(toWorkerRecord)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async redisTimeMs(): Promise<number> {
    const [sec, micro] = await this.redis.time();
    return Number(sec) * 1000 + Math.floor(Number(micro) / 1000);
  }

  /** Queues a command for a node. */
  async send(node: string, message: ControlMessage): Promise<void> {
    await this.redis.rpush(this.key('ctl', node), JSON.stringify(message));
  }

  /** A node answers a command. */
  async reply(replyId: string, answer: ControlReply): Promise<void> {
    await this.redis.multi().rpush(this.key('reply', replyId), JSON.stringify(answer)).expire(this.key('reply', replyId), REPLY_TTL_SEC).exec();
  }

  /** Takes the answers that arrived so far for a reply id. */
  async takeReplies(replyId: string): Promise<ControlReply[]> {
    const [[, items]] = (await this.redis.multi().lrange(this.key('reply', replyId), 0, -1).del(this.key('reply', replyId)).exec()) as [[unknown, string[]], unknown];
    return items.map((s) => JSON.parse(s) as ControlReply);
  }

  /** Key of a node's control list, for its blocking reader. */
  controlKey(node: string): string {
    return this.key('ctl', node);
  }

  private async workerNames(f: WorkerFilter): Promise<string[]> {
    if (f.name) return [f.name];
    if (f.queue) return this.redis.smembers(this.key('wix', 'queue', f.queue));
    if (f.node && f.host) return this.redis.sinter(this.key('wix', 'node', f.node), this.key('wix', 'host', f.host));
    if (f.node) return this.redis.smembers(this.key('wix', 'node', f.node));
    if (f.host) return this.redis.smembers(this.key('wix', 'host', f.host));
    return this.redis.zrange(this.key('workers'), '0', '-1');
  }

}

function flatten(facts: NodeFacts): string[] {
  return Object.entries(facts).flatMap(([k, v]) => [k, String(v)]);
}

/** {life, hostname, pid} from a script reply, from index i. */
function holderOf(reply: (string | number)[], i: number): NameHolder {
  return { life: String(reply[i] ?? ''), hostname: String(reply[i + 1] ?? ''), pid: Number(reply[i + 2] ?? 0) };
}

function toWorkerRecord(h: Record<string, string>): WorkerRecord {
  return {
    name: h.name,
    node: h.node ?? '',
    hostname: h.hostname ?? '',
    pid: Number(h.pid ?? 0),
    kind: h.kind === 'pinned' ? 'pinned' : 'fifo',
    queue: h.queue ?? '',
    host: h.host || null,
    birth_at: Number(h.birth_at ?? 0),
    heartbeat: Number(h.heartbeat ?? 0),
    successful: Number(h.successful ?? 0),
    failed: Number(h.failed ?? 0),
    current_job: h.current_job || null,
    suspended: h.suspended === '1',
    stopped: h.stopped === '1',
  };
}
