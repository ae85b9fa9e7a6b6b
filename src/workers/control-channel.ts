import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { FleetStore } from './fleet-store';
import { ControlMessage, ControlReply } from './worker.model';

const POLL_MS = 25;

type Request = { node: string; message: Exclude<ControlMessage, { type: 'start_pinned' | 'suspend' | 'resume' }> };

/**
 * Sends commands to nodes through Redis and waits, bounded, for their answers. Used by DELETE /worker and
 * by a forced job stop; the node may be on another machine.
 */
@Injectable()
export class ControlChannel {
  constructor(private readonly fleet: FleetStore) {}

  /** A fresh reply id for a message that wants an answer. */
  replyId(): string {
    return randomUUID();
  }

  /** Sends every request and returns the answers received within timeoutMs, by reply id. */
  async ask(requests: Request[], timeoutMs: number): Promise<Map<string, ControlReply>> {
    await Promise.all(requests.map((r) => this.fleet.send(r.node, r.message)));
    const answers = new Map<string, ControlReply>();
    const deadline = Date.now() + timeoutMs;
    let pending = requests.map((r) => r.message.reply);
    while (pending.length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      const got = await Promise.all(pending.map((id) => this.fleet.takeReplies(id)));
      got.forEach((replies, i) => replies[0] && answers.set(pending[i], replies[0]));
      pending = pending.filter((id) => !answers.has(id));
    }
    return answers;
  }

  tell(node: string, message: ControlMessage): Promise<void> {
    return this.fleet.send(node, message);
  }
}
