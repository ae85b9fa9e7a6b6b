/**
 * Suites that need a tool beyond Node (redis-server, openssl, libfaketime, a Python oracle). On a developer's
 * machine a missing tool skips the suite with a message naming the package; under CI=true the suite fails with
 * that message instead: CI must never go green by skipping.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

export interface Requirement {
  /** whether the tool is there */
  present: boolean;
  /** what is missing and how to get it, e.g. "openssl: apt-get install -y openssl" */
  missing: string;
}

export function commandRequirement(command: string, args: string[], debPackage: string): Requirement {
  return { present: spawnSync(command, args, { stdio: 'ignore' }).status === 0, missing: `${command}: apt-get install -y ${debPackage}` };
}

/** libfaketime's preload library wherever the architecture's multiarch folder puts it. */
export function findLibfaketime(): string | undefined {
  return readdirSync('/usr/lib').map((arch) => `/usr/lib/${arch}/faketime/libfaketime.so.1`).find((path) => existsSync(path));
}

function whenMissing(requirement: Requirement, name: string, skip: () => void, fail: () => void): void {
  if (process.env.CI === 'true') {
    fail();
    return;
  }
  console.warn(`skipped: ${name}: needs ${requirement.missing}`);
  skip();
}

/** `describe`, or (tool missing) a skip locally and a failing test under CI. */
export function describeRequiring(requirement: Requirement, name: string, body: () => void): void {
  if (requirement.present) return void describe(name, body);
  whenMissing(requirement, name, () => describe.skip(name, body), () => describe(name, () => {
    test(`has ${requirement.missing}`, () => {
      throw new Error(`${name}: needs ${requirement.missing}`);
    });
  }));
}

/** `test`, or (tool missing) a skip locally and a failure under CI. */
export function testRequiring(requirement: Requirement, name: string, fn: () => Promise<void>, timeoutMs?: number): void {
  if (requirement.present) return void test(name, fn, timeoutMs);
  whenMissing(requirement, name, () => test.skip(name, fn), () => test(name, () => {
    throw new Error(`${name}: needs ${requirement.missing}`);
  }));
}
