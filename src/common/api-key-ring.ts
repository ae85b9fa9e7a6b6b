import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { AppConfig } from '../config/app-config';

/** How often a mounted key file is looked at for changes (Kubernetes updates secret volumes in place). */
const RELOAD_MS = 5000;

/**
 * The accepted API keys, as SHA-256 digests: NETPULSE_API_KEYS, plus the keys of NETPULSE_API_KEYS_FILE
 * (comma- or line-separated), re-read when the file changes, so keys rotate without a restart.
 */
@Injectable()
export class ApiKeyRing implements OnApplicationShutdown {
  private readonly logger = new Logger(ApiKeyRing.name);
  private digests: Buffer[] = [];
  private fileStamp = '';
  private readonly timer: NodeJS.Timeout | null = null;

  constructor(private readonly config: AppConfig) {
    this.reload();
    if (config.apiKeysFile) {
      this.timer = setInterval(() => this.reload(), RELOAD_MS);
      this.timer.unref();
    }
  }

  /** Constant time in the number of keys: compares with every key, without stopping early. */
  accepts(presented: string): boolean {
    const candidate = digest(presented);
    let ok = false;
    for (const d of this.digests) ok = timingSafeEqual(d, candidate) || ok;
    return ok;
  }

  /** A short, non-reversible name of a key, for rate limiting and logs. */
  static tag(key: string): string {
    return digest(key).toString('hex').slice(0, 16);
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private reload(): void {
    const keys = [...this.config.apiKeys];
    const file = this.config.apiKeysFile;
    if (file) {
      try {
        const stamp = `${statSync(file).mtimeMs}`;
        if (stamp === this.fileStamp && this.digests.length > 0) return;
        keys.push(...splitKeys(readFileSync(file, 'utf8')));
        if (this.fileStamp && stamp !== this.fileStamp) this.logger.log('API key file changed: keys reloaded');
        this.fileStamp = stamp;
      } catch (err) {
        this.logger.error(`cannot read NETPULSE_API_KEYS_FILE: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
        if (this.digests.length > 0) return; // keep the keys we had
      }
    }
    this.digests = keys.map(digest);
  }
}

export function splitKeys(text: string): string[] {
  return text.split(/[,\n\r]/).map((k) => k.trim()).filter((k) => k.length > 0);
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}
