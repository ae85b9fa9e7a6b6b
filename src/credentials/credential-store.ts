import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { AppConfig } from '../config/app-config';
import { CREDENTIAL_NAME } from '../devices/dto/connection-args.dto';

/** One named set of CREDENTIALS_FILE: username, and any of the secrets. */
export interface CredentialSet {
  username: string;
  password?: string;
  secret?: string;
  private_key?: string;
  passphrase?: string;
}

const SECRET_FIELDS = ['password', 'secret', 'private_key', 'passphrase'] as const;
/** The file is looked at again (one stat) at most this often: a rotation takes effect within it, without a restart. */
const RECHECK_MS = 1000;

/**
 * The credential sets of CREDENTIALS_FILE (JSON or YAML; in Kubernetes a mounted Secret), for
 * `connection_args.credential`. The API checks that a name exists; the worker node reads the set when the job runs,
 * so secrets never travel through Redis and a rotated file takes effect on the next job. The file is read again when
 * it changes (its inode, size or mtime: Kubernetes swaps a symlink). It is refused when other users may read or
 * write it (mode & 0o007, or group-writable): at boot the process does not start, later the previous sets are kept
 * and the reason is logged. Group-readable is accepted (a Secret volume with fsGroup needs 0440). Nothing here ever
 * logs a set's content.
 */
@Injectable()
export class CredentialStore implements OnModuleInit {
  private readonly logger = new Logger(CredentialStore.name);
  private sets = new Map<string, CredentialSet>();
  private stamp = '';
  private checkedAt = 0;

  constructor(private readonly config: AppConfig) {}

  get configured(): boolean {
    return this.config.credentialsFile !== undefined;
  }

  /** Boot: a file that is set but unreadable, unsafe or malformed stops the process, naming the reason. */
  onModuleInit(): void {
    const file = this.config.credentialsFile;
    if (!file) return;
    this.load(file);
    this.logger.log(`credentials: ${this.sets.size} set(s) from ${file}`);
  }

  /** The named set, as the file says now; undefined when there is no such name (or no file). */
  get(name: string): CredentialSet | undefined {
    this.refresh();
    return this.sets.get(name);
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  private refresh(): void {
    const file = this.config.credentialsFile;
    if (!file || Date.now() - this.checkedAt < RECHECK_MS) return;
    this.checkedAt = Date.now();
    try {
      this.load(file);
    } catch (err) {
      this.logger.error(`${(err as Error).message}; keeping the ${this.sets.size} set(s) read before`);
    }
  }

  /** Reads the file when it changed; throws (without content) when it cannot be used. */
  private load(file: string): void {
    let st;
    try {
      st = statSync(file);
    } catch (err) {
      throw new Error(`CREDENTIALS_FILE ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { cause: err });
    }
    const stamp = `${st.ino}:${st.size}:${st.mtimeMs}`;
    if (stamp === this.stamp) return;
    const mode = st.mode & 0o777;
    if ((mode & 0o007) !== 0 || (mode & 0o020) !== 0) {
      throw new Error(`CREDENTIALS_FILE ${file} has mode ${mode.toString(8).padStart(4, '0')}: other users may read or change it; `
        + 'refused. chmod 600 (or 640), or give the Secret volume defaultMode 0440');
    }
    const sets = parseSets(readFileSync(file, 'utf8'), extname(file).toLowerCase() === '.json', file);
    if (this.stamp) this.logger.log(`CREDENTIALS_FILE changed: ${sets.size} set(s) read again`);
    this.sets = sets;
    this.stamp = stamp;
  }
}

/** `{name: {username, password?, secret?, private_key?, passphrase?}}`; errors name the set and field, never a value. */
export function parseSets(text: string, json: boolean, file: string): Map<string, CredentialSet> {
  let doc: unknown;
  try {
    doc = json ? JSON.parse(text) : parseYaml(text);
  } catch {
    // the parser's message may quote the line, and the line may be a password
    throw new Error(`CREDENTIALS_FILE ${file} is not valid ${json ? 'JSON' : 'YAML'}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new Error(`CREDENTIALS_FILE ${file} must hold an object of named credential sets`);
  const sets = new Map<string, CredentialSet>();
  for (const [name, raw] of Object.entries(doc as Record<string, unknown>)) {
    const where = `CREDENTIALS_FILE ${file}: set "${CREDENTIAL_NAME.test(name) ? name : '?'}"`;
    if (!CREDENTIAL_NAME.test(name)) throw new Error(`${where}: names may hold letters, digits, _ . - (up to 64)`);
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error(`${where} must be an object`);
    const fields = raw as Record<string, unknown>;
    const unknown = Object.keys(fields).find((k) => k !== 'username' && !(SECRET_FIELDS as readonly string[]).includes(k));
    if (unknown) throw new Error(`${where} has an unknown field (allowed: username, ${SECRET_FIELDS.join(', ')})`);
    if (typeof fields.username !== 'string' || fields.username.length === 0) throw new Error(`${where} needs a username`);
    const set: CredentialSet = { username: fields.username };
    for (const f of SECRET_FIELDS) {
      if (fields[f] === undefined || fields[f] === null) continue;
      if (typeof fields[f] !== 'string') throw new Error(`${where}: ${f} must be a string`);
      set[f] = fields[f];
    }
    sets.set(name, set);
  }
  return sets;
}
