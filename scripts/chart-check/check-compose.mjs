#!/usr/bin/env node
// Checks the output of `docker compose config` (or docker-compose 1.29's) for what NetPulse needs.
// usage: node check-compose.mjs [--deps DIR] CONFIG.yml   (DIR: folder with node_modules/yaml; see deps.sh)
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const argv = process.argv.slice(2);
const di = argv.indexOf('--deps');
const deps = resolve(di >= 0 ? argv.splice(di, 2)[1] : process.env.CHART_CHECK_DEPS ?? '.');
const YAML = createRequire(join(deps, 'package.json'))('yaml');
const file = argv[0];
if (!file) { console.error('usage: check-compose.mjs [--deps DIR] CONFIG.yml'); process.exit(2); }
const cfg = YAML.parse(readFileSync(file, 'utf8'));
const errors = [];
let checks = 0;
const check = (ok, msg) => { checks++; if (!ok) errors.push(msg); };
const s = cfg.services ?? {};
const words = (v) => (Array.isArray(v) ? v : String(v ?? '').split(/\s+/)).map(String);
const env = (svc) => {
  const e = svc?.environment ?? {};
  return Array.isArray(e) ? Object.fromEntries(e.map((x) => [x.split('=')[0], x.split('=').slice(1).join('=')])) : e;
};
const seconds = (d) => {
  if (typeof d === 'number') return d / 1e9; // compose v2 may print nanoseconds
  let t = 0;
  for (const [, n, u] of String(d ?? '').matchAll(/([0-9.]+)(h|ms|m|s|us|ns)/g)) t += Number(n) * { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, ns: 1e-9 }[u];
  return t;
};
const healthy = (svc) => {
  const d = svc?.depends_on ?? {};
  return !Array.isArray(d) && d.redis?.condition === 'service_healthy';
};
const hcText = (svc) => words(svc?.healthcheck?.test).join(' ');
const portTargets = (svc) => (svc?.ports ?? []).map((p) => (typeof p === 'object' ? Number(p.target) : Number(String(p).split(':').pop().split('/')[0])));

for (const name of ['redis', 'api', 'worker']) check(!!s[name], `service ${name} is missing`);
const { redis, api, worker } = s;

// redis
check(/^redis:7(\.|-|$)/.test(redis?.image ?? ''), `redis image is ${redis?.image}, want redis:7-alpine`);
const rcmd = words(redis?.command).join(' ');
check(/--maxmemory-policy noeviction/.test(rcmd), 'redis must run with --maxmemory-policy noeviction');
check(/--appendonly yes/.test(rcmd), 'redis must run with --appendonly yes');
check(/redis-cli ping/.test(hcText(redis)), 'redis healthcheck must be redis-cli ping');
check((redis?.volumes ?? []).some((v) => (typeof v === 'object' ? v.target : String(v).split(':')[1]) === '/data'), 'redis needs a volume at /data');

// api and worker
for (const [name, svc, main, port] of [['api', api, 'dist/main.js', 9000], ['worker', worker, 'dist/worker.js', 9001]]) {
  if (!svc) continue;
  check(words(svc.command).join(' ') === `node ${main}`, `${name}: command must be node ${main}, got ${words(svc.command).join(' ')}`);
  check(svc.entrypoint === undefined, `${name}: entrypoint must stay the image's (tini)`);
  const e = env(svc);
  check(e.REDIS_URL === 'redis://redis:6379', `${name}: REDIS_URL must be redis://redis:6379`);
  check(typeof e.NETPULSE_API_KEYS === 'string' && e.NETPULSE_API_KEYS.length > 0, `${name}: NETPULSE_API_KEYS is not set`);
  check(healthy(svc), `${name}: must depend on redis with condition service_healthy`);
  check(hcText(svc).includes(`127.0.0.1:${port}/health/ready`), `${name}: healthcheck must ask /health/ready on ${port}`);
  check(!/curl|wget/.test(hcText(svc)), `${name}: healthcheck must not need curl or wget (not in the slim image)`);
  if (svc.read_only) check((svc.tmpfs ?? []).some((t) => String(t).startsWith('/tmp')), `${name}: read_only needs a tmpfs at /tmp`);
}
check(!!api?.build, 'api must build the image (build: .)');
check(api?.image === worker?.image, `api and worker must run one image (${api?.image} vs ${worker?.image})`);
check(portTargets(api).includes(9000), 'api must publish port 9000');
if (worker) {
  check(portTargets(worker).length === 0, 'worker must publish no ports (--scale worker=N would clash)');
  check(worker.container_name === undefined, 'worker must have no container_name (--scale would clash)');
  check(worker.hostname === undefined, 'worker must have no fixed hostname: each replica is named after its own');
  check(env(worker).NETPULSE_NODE_NAME === undefined, 'worker must leave NETPULSE_NODE_NAME unset (= container hostname)');
  const grace = Number(env(worker).SHUTDOWN_GRACE ?? 30);
  check(seconds(worker.stop_grace_period ?? '10s') > grace, `worker stop_grace_period (${worker.stop_grace_period ?? '10s'}) must exceed SHUTDOWN_GRACE (${grace}s)`);
}

for (const e of errors) console.log(`  ERROR ${e}`);
console.log(`${file}: services ${Object.keys(s).join(', ')}; ${checks} checks, ${errors.length} errors`);
process.exit(errors.length ? 1 : 0);
