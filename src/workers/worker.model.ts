/** Worker states of the contract: busy (running a job), idle, suspended (takes no new job), dead. */
export const WORKER_STATUSES = ['busy', 'idle', 'suspended', 'dead'] as const;
export type WorkerStatus = (typeof WORKER_STATUSES)[number];

/** A worker's registration as the fleet store keeps it (times in epoch ms, Redis clock). */
export interface WorkerRecord {
  name: string;
  node: string;
  hostname: string;
  pid: number;
  kind: 'fifo' | 'pinned';
  queue: string;
  host: string | null;
  birth_at: number;
  heartbeat: number;
  successful: number;
  failed: number;
  current_job: string | null;
  suspended: boolean;
  stopped: boolean;
}

/** The worker as GET /worker returns it. */
export interface WorkerView {
  name: string;
  status: WorkerStatus;
  pid: number;
  hostname: string;
  node: string;
  queues: string[];
  host: string | null;
  last_heartbeat: string;
  birth_at: string;
  successful_job_count: number;
  failed_job_count: number;
  current_job: string | null;
}

/** Commands a node takes from its control list. `reply` names the list the API waits on. */
export type ControlMessage =
  | { type: 'start_pinned'; host: string }
  | { type: 'stop'; worker: string; reply: string }
  | { type: 'suspend' | 'resume'; worker: string }
  | { type: 'abort_job'; job: string; worker: string; reply: string };

/** A node's answer to a stop or abort. */
export interface ControlReply {
  worker: string;
  interrupted_jobs: number;
}
