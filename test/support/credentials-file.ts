import { chmodSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A CREDENTIALS_FILE for tests (YAML, mode 0600), rewritten as Kubernetes does: a new file renamed over the old one. */
export class CredentialsFile {
  private readonly dir = mkdtempSync(join(tmpdir(), 'netpulse-creds-'));
  readonly path = join(this.dir, 'credentials.yaml');

  write(sets: Record<string, Record<string, string>>, mode = 0o600): void {
    const yaml = Object.entries(sets)
      .map(([name, fields]) => `${name}:\n${Object.entries(fields).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`).join('\n')}\n`)
      .join('');
    const next = `${this.path}.${process.hrtime.bigint()}`;
    writeFileSync(next, yaml, { mode });
    chmodSync(next, mode);
    renameSync(next, this.path);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
