/**
 * Python libraries as test oracles (textfsm, jinja2, netmiko from Debian's python3-* packages): one
 * `/usr/bin/python3` process answers a whole batch of cases, one JSON line in and one out per case.
 *
 * A missing library skips the suite on a developer's machine (with a message naming the package), and
 * fails it under CI=true: CI must never go green by skipping.
 */
import { spawn, spawnSync } from 'node:child_process';
import { Requirement, describeRequiring } from './requirements';

/** Debian's interpreter: its dist-packages hold the apt-installed oracles (a pyenv python3 would not see them). */
export const SYSTEM_PYTHON = '/usr/bin/python3';

/** Whether the system Python imports every module. */
export function pythonHas(modules: string[]): boolean {
  const probe = spawnSync(SYSTEM_PYTHON, ['-c', modules.map((m) => `import ${m}`).join('; ')], { stdio: 'ignore' });
  return probe.status === 0;
}

/** The modules import in the system Python (the Debian packages that bring them named for the message). */
export function pythonRequirement(modules: string[], debPackages: string[]): Requirement {
  return { present: pythonHas(modules), missing: `${modules.join(', ')} in ${SYSTEM_PYTHON}: apt-get install -y ${debPackages.join(' ')}` };
}

/** `describe` when the modules import; else skipped locally, failing under CI (see requirements.ts). */
export function describeWithPython(modules: string[], debPackages: string[], name: string, body: () => void): void {
  describeRequiring(pythonRequirement(modules, debPackages), name, body);
}

/**
 * Runs `script` (Python source reading JSON lines on stdin, writing one JSON line per input on stdout, in order)
 * over every input; resolves with the parsed answers in input order.
 */
export function runPythonJsonLines<I, O>(script: string, inputs: I[], timeoutMs = 120_000): Promise<O[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(SYSTEM_PYTHON, ['-c', script], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`python oracle did not answer within ${timeoutMs} ms; stderr: ${err.slice(-2000)}`));
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const lines = out.split('\n').filter((l) => l.length > 0);
      if (code !== 0 || lines.length !== inputs.length) {
        reject(new Error(`python oracle exited ${code} with ${lines.length}/${inputs.length} answers; stderr: ${err.slice(-2000)}`));
        return;
      }
      resolve(lines.map((l) => JSON.parse(l) as O));
    });
    child.stdin.end(inputs.map((i) => JSON.stringify(i)).join('\n') + '\n');
  });
}
