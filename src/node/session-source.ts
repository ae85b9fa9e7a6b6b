import { createHash } from 'node:crypto';
import { ConnectionArgs, DeviceDriver, DeviceSession } from '../devices/drivers/device-driver';

/** Where a job gets its device session: a new one per job (FIFO) or one kept open across jobs (pinned). */
export interface SessionSource {
  acquire(driver: DeviceDriver, args: ConnectionArgs, signal: AbortSignal): Promise<DeviceSession>;
  release(session: DeviceSession): Promise<void>;
  close(): Promise<void>;
}

/** FIFO: connect for the job, disconnect after it. */
export class FreshSessions implements SessionSource {
  acquire(driver: DeviceDriver, args: ConnectionArgs, signal: AbortSignal): Promise<DeviceSession> {
    return driver.connect(args, { signal });
  }
  async release(session: DeviceSession): Promise<void> {
    await session.close();
  }
  async close(): Promise<void> {}
}

/**
 * Pinned: one session kept open across jobs while the credentials stay the same, closed after an idle
 * period or when it breaks. Only a digest of the credentials is kept to compare them.
 */
export class KeptSession implements SessionSource {
  private session: DeviceSession | null = null;
  private fingerprint = '';
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(private readonly idleTimeoutMs: number) {}

  get open(): boolean {
    return this.session?.alive ?? false;
  }

  async acquire(driver: DeviceDriver, args: ConnectionArgs, signal: AbortSignal): Promise<DeviceSession> {
    this.clearIdle();
    const fingerprint = digest(args);
    if (this.session?.alive && this.fingerprint === fingerprint) return this.session;
    await this.close();
    this.session = await driver.connect(args, { signal });
    this.fingerprint = fingerprint;
    return this.session;
  }

  async release(session: DeviceSession): Promise<void> {
    if (!session.alive) {
      if (this.session === session) this.session = null;
      return;
    }
    this.idleTimer = setTimeout(() => void this.close(), this.idleTimeoutMs);
    this.idleTimer.unref();
  }

  async close(): Promise<void> {
    this.clearIdle();
    const session = this.session;
    this.session = null;
    if (session) await session.close().catch(() => undefined);
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}

function digest(args: ConnectionArgs): string {
  const h = createHash('sha256');
  for (const v of [args.device_type, args.host, args.port, args.username, args.password, args.secret, args.private_key, args.passphrase, args.host_key_fingerprint]) {
    h.update(String(v ?? '')).update('\0');
  }
  return h.digest('hex');
}
