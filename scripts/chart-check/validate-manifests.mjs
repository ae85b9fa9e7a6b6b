#!/usr/bin/env node
// Validates Kubernetes manifests rendered by `helm template`:
//   1. each object against the Kubernetes OpenAPI schema (kubernetes-models classes: new Deployment(obj).validate()),
//      ServiceMonitor against the Prometheus Operator CRD schema (@kubernetes-models/prometheus-operator);
//   2. strict fields: a field the schema does not know (a typo, a wrong indent) is an error. The compiled
//      schema validators ignore unknown fields, so each object is validated once more through a Proxy that
//      records every field the validator reads; a field it never read is unknown (what kubeconform -strict does);
//   3. our own rules: standard labels, probes, resources, security context, /tmp emptyDir, references between
//      objects (Service -> pods -> ports, PDB/HPA/Ingress/ServiceMonitor targets, ConfigMap/Secret refs), and
//      ConfigMap keys that the app actually reads (--env-source).
//
// usage: node validate-manifests.mjs --manifest rendered.yaml [--values values.yaml ...]
//          [--expect Kind=N,Kind=N] [--env-source src/config/env.validation.ts] [--deps DIR] [--quiet]
// The npm packages come from --deps (or $CHART_CHECK_DEPS): a folder with node_modules/ (see validate-chart.sh).
// Exit 0 only when every object passes; each error names its rule in [brackets].
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = parseArgs(process.argv.slice(2));
const depsDir = resolve(args.deps ?? process.env.CHART_CHECK_DEPS ?? join(here, '..', '..'));
if (!existsSync(join(depsDir, 'node_modules', 'kubernetes-models'))) {
  die(`kubernetes-models is not installed under ${depsDir}/node_modules (give --deps or CHART_CHECK_DEPS; validate-chart.sh installs it)`);
}
const requireDep = createRequire(join(depsDir, 'package.json'));
const YAML = requireDep('yaml');

const STANDARD_LABELS = ['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/version', 'app.kubernetes.io/managed-by', 'helm.sh/chart'];
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);
const APP_UID = 10001;
const errors = [];
const notes = [];
let checks = 0;

// ---------- load ----------
if (!args.manifest) die('--manifest is required');
const values = (args.values ?? []).map((f) => YAML.parse(readFileSync(f, 'utf8')) ?? {});
const externalSecrets = new Set();
for (const v of values) {
  if (v?.auth?.existingSecret) externalSecrets.add(v.auth.existingSecret);
  if (v?.redis?.existingSecret) externalSecrets.add(v.redis.existingSecret);
}
const docs = YAML.parseAllDocuments(readFileSync(args.manifest, 'utf8'), { prettyErrors: true, uniqueKeys: true });
const objects = [];
docs.forEach((doc, i) => {
  for (const e of [...doc.errors, ...doc.warnings]) err(`document ${i + 1}`, 'yaml', e.message);
  const obj = doc.toJS({ maxAliasCount: 50 });
  if (obj === null || obj === undefined) return;
  if (typeof obj !== 'object' || Array.isArray(obj)) return err(`document ${i + 1}`, 'yaml', 'a manifest must be a mapping');
  objects.push(obj);
});
if (objects.length === 0) err(args.manifest, 'render', 'no objects rendered');

const id = (o) => `${o?.kind ?? '?'}/${o?.metadata?.name ?? '?'}`;
const byKind = (kind) => objects.filter((o) => o.kind === kind);
const find = (kind, name) => objects.find((o) => o.kind === kind && o.metadata?.name === name);

// ---------- 1 + 2: schemas and strict fields ----------
const modelCache = new Map();
function modelFor(apiVersion, kind) {
  const key = `${apiVersion}/${kind}`;
  if (modelCache.has(key)) return modelCache.get(key);
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  const candidates = group === 'monitoring.coreos.com'
    ? [`@kubernetes-models/prometheus-operator/${apiVersion}/${kind}`]
    : [`kubernetes-models/${apiVersion}/${kind}`];
  let model = null;
  for (const c of candidates) {
    try { model = requireDep(c)[kind] ?? null; } catch { /* not there */ }
    if (model) break;
  }
  modelCache.set(key, model);
  return model;
}

const seenNames = new Set();
for (const o of objects) {
  const where = id(o);
  if (typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') { err(where, 'schema', 'apiVersion and kind are required'); continue; }
  const key = `${o.kind}/${o.metadata?.name}`;
  check(!seenNames.has(key), where, 'unique', 'two objects with the same kind and name');
  seenNames.add(key);
  const Model = modelFor(o.apiVersion, o.kind);
  if (!Model) { err(where, 'schema', `no schema for ${o.apiVersion} ${o.kind} in kubernetes-models (unknown or removed API version)`); continue; }
  checks++;
  try { new Model(o).validate(); } catch (e) { for (const line of schemaErrors(e)) err(where, 'schema', line); }
  // strict: validate again through a Proxy and list the fields the validator never looked at
  const read = new Set();
  const proxy = track(o, '', read);
  try { Model.prototype.validate.call(proxy); } catch { /* already reported */ }
  checks++;
  for (const path of unreadFields(o, read)) err(where, 'unknown-field', `${path}: not a field of ${o.apiVersion} ${o.kind}`);
}

// ---------- 3: our rules ----------
const configMaps = new Map(byKind('ConfigMap').map((c) => [c.metadata.name, c]));
const secrets = new Map(byKind('Secret').map((s) => [s.metadata.name, s]));
const serviceAccounts = new Set(byKind('ServiceAccount').map((s) => s.metadata.name));
const workloads = objects.filter((o) => WORKLOAD_KINDS.has(o.kind));
const hpaTargets = new Set(byKind('HorizontalPodAutoscaler').map((h) => `${h.spec?.scaleTargetRef?.kind}/${h.spec?.scaleTargetRef?.name}`));

for (const o of objects) {
  const where = id(o);
  const md = o.metadata ?? {};
  check(typeof md.name === 'string' && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(md.name) && md.name.length <= 63, where, 'name', `metadata.name must be a DNS-1123 label of at most 63 characters, got ${JSON.stringify(md.name)}`);
  check(md.namespace === undefined, where, 'namespace', 'metadata.namespace is set in the template: leave it to helm --namespace');
  checkLabels(where, 'metadata.labels', md.labels);
}

for (const w of workloads) checkWorkload(w);
for (const s of byKind('Service')) checkService(s);
for (const p of byKind('PodDisruptionBudget')) checkSelectsPods(id(p), 'pdb', p.spec?.selector?.matchLabels);
for (const h of byKind('HorizontalPodAutoscaler')) checkHpa(h);
for (const i of byKind('Ingress')) checkIngress(i);
for (const m of byKind('ServiceMonitor')) checkServiceMonitor(m);
for (const s of secrets.values()) {
  for (const [k, v] of Object.entries({ ...(s.data ?? {}), ...(s.stringData ?? {}) })) check(typeof v === 'string' && v.length > 0, id(s), 'secret', `key ${k} is empty`);
}
if (args['env-source']) checkConfigKeysAgainstApp(args['env-source']);
if (args.expect) checkExpectedKinds(args.expect);

// ---------- report ----------
if (!args.quiet) {
  for (const o of objects) {
    const bad = errors.some((e) => e.where === id(o));
    console.log(`  ${bad ? 'FAIL' : 'ok  '} ${o.apiVersion} ${id(o)}`);
  }
}
for (const n of notes) console.log(`  note: ${n}`);
for (const e of errors) console.log(`  ERROR [${e.rule}] ${e.where}: ${e.message}`);
console.log(`${args.manifest}: ${objects.length} objects, ${checks} checks, ${errors.length} errors`);
process.exit(errors.length === 0 ? 0 : 1);

// ======================================================================

function checkWorkload(w) {
  const where = id(w);
  const spec = w.spec ?? {};
  const tpl = spec.template ?? {};
  const pod = tpl.spec ?? {};
  const podLabels = tpl.metadata?.labels ?? {};
  checkLabels(where, 'spec.template.metadata.labels', podLabels);
  check(!!w.metadata?.labels?.['app.kubernetes.io/component'], where, 'labels', 'metadata.labels lacks app.kubernetes.io/component');
  check(!!podLabels['app.kubernetes.io/component'], where, 'labels', 'pod template lacks app.kubernetes.io/component');
  const sel = spec.selector?.matchLabels ?? {};
  check(Object.keys(sel).length > 0, where, 'selector', 'spec.selector.matchLabels is empty');
  for (const [k, v] of Object.entries(sel)) check(podLabels[k] === v, where, 'selector', `selector ${k}=${v} does not match the pod template labels`);
  for (const k of ['app.kubernetes.io/version', 'helm.sh/chart']) check(!(k in sel), where, 'selector', `selector holds ${k}: selectors are immutable, an upgrade would fail`);
  check(!!sel['app.kubernetes.io/component'], where, 'selector', 'selector lacks app.kubernetes.io/component (api and worker pods would be mixed)');
  if (hpaTargets.has(`${w.kind}/${w.metadata?.name}`)) check(spec.replicas === undefined, where, 'hpa', 'spec.replicas is set although an HPA scales this workload (every upgrade would reset it)');

  check(pod.automountServiceAccountToken === false, where, 'service-account', 'automountServiceAccountToken must be false (the app never calls the Kubernetes API)');
  const sa = pod.serviceAccountName;
  if (sa && sa !== 'default') check(serviceAccounts.has(sa), where, 'service-account', `serviceAccountName ${sa} is not rendered by the chart`);

  const psc = pod.securityContext ?? {};
  check(psc.runAsNonRoot === true, where, 'security', 'pod securityContext.runAsNonRoot must be true');
  const volumes = new Map((pod.volumes ?? []).map((v) => [v.name, v]));
  const containers = [...(pod.initContainers ?? []).map((c) => ({ c, init: true })), ...(pod.containers ?? []).map((c) => ({ c, init: false }))];
  check((pod.containers ?? []).length > 0, where, 'containers', 'no containers');
  for (const { c, init } of containers) checkContainer(where, c, init, psc, volumes);

  if (podLabels['app.kubernetes.io/component'] === 'worker') {
    const grace = configValue(pod, 'SHUTDOWN_GRACE');
    const tgps = pod.terminationGracePeriodSeconds ?? 30;
    check(grace !== undefined, where, 'shutdown', 'worker pods do not get SHUTDOWN_GRACE from a rendered ConfigMap');
    if (grace !== undefined) check(tgps > Number(grace), where, 'shutdown', `terminationGracePeriodSeconds ${tgps} must exceed SHUTDOWN_GRACE ${grace}, or running jobs are killed mid-command`);
  }
}

function checkContainer(wl, c, init, psc, volumes) {
  const where = `${wl} container ${c.name}`;
  check(typeof c.image === 'string' && c.image.length > 0, where, 'image', 'image is empty');
  if (typeof c.image === 'string') {
    const tagged = /@sha256:[a-f0-9]{64}$/.test(c.image) || /:[^/:]+$/.test(c.image);
    check(tagged && !c.image.endsWith(':latest'), where, 'image', `image ${c.image} has no fixed tag or digest`);
  }
  check(c.command === undefined, where, 'entrypoint', 'command is set: it would replace the image ENTRYPOINT (tini); set args instead');
  if (!init) {
    const ports = c.ports ?? [];
    for (const kind of ['livenessProbe', 'readinessProbe']) {
      check(!!c[kind], where, 'probes', `${kind} is missing`);
    }
    for (const kind of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      const p = c[kind];
      if (!p?.httpGet && !p?.tcpSocket && !p?.grpc) continue;
      const port = (p.httpGet ?? p.tcpSocket ?? p.grpc).port;
      const ok = typeof port === 'number' ? port > 0 && port < 65536 : ports.some((x) => x.name === port);
      check(ok, where, 'probes', `${kind} port ${port} is not a port of the container`);
      if (p.httpGet) check(typeof p.httpGet.path === 'string' && p.httpGet.path.startsWith('/health/'), where, 'probes', `${kind} path ${p.httpGet.path} is not one of the app's /health/* probes`);
    }
    if (c.livenessProbe?.httpGet) check(c.livenessProbe.httpGet.path === '/health/live', where, 'probes', 'livenessProbe must ask /health/live (no dependency checks): a Redis outage must not restart every pod');
    if (c.readinessProbe?.httpGet) check(c.readinessProbe.httpGet.path === '/health/ready', where, 'probes', 'readinessProbe must ask /health/ready');
  }
  const res = c.resources ?? {};
  for (const part of ['requests', 'limits']) for (const r of ['cpu', 'memory']) check(res[part]?.[r] !== undefined, where, 'resources', `resources.${part}.${r} is missing`);
  for (const r of ['cpu', 'memory']) {
    const req = quantity(res.requests?.[r]);
    const lim = quantity(res.limits?.[r]);
    if (req !== undefined && lim !== undefined) check(req <= lim, where, 'resources', `resources.requests.${r} ${res.requests[r]} exceeds the limit ${res.limits[r]}`);
  }
  const sc = c.securityContext ?? {};
  const eff = (k) => (sc[k] !== undefined ? sc[k] : psc[k]);
  check(eff('runAsNonRoot') === true, where, 'security', 'runAsNonRoot must be true');
  check(eff('runAsUser') === APP_UID, where, 'security', `runAsUser must be ${APP_UID} (the image's user), got ${eff('runAsUser')}`);
  check(sc.readOnlyRootFilesystem === true, where, 'security', 'securityContext.readOnlyRootFilesystem must be true');
  check(sc.allowPrivilegeEscalation === false, where, 'security', 'securityContext.allowPrivilegeEscalation must be false');
  check(sc.privileged !== true, where, 'security', 'securityContext.privileged must not be true');
  check(Array.isArray(sc.capabilities?.drop) && sc.capabilities.drop.includes('ALL'), where, 'security', 'securityContext.capabilities.drop must include ALL');
  check(!(sc.capabilities?.add?.length), where, 'security', 'securityContext.capabilities.add must be empty');
  check((eff('seccompProfile') ?? {}).type === 'RuntimeDefault', where, 'security', 'seccompProfile.type must be RuntimeDefault');
  const tmp = (c.volumeMounts ?? []).find((m) => m.mountPath === '/tmp');
  check(!!tmp, where, 'tmp', 'no volume mounted at /tmp (the root filesystem is read-only)');
  if (tmp) check(!!volumes.get(tmp.name)?.emptyDir, where, 'tmp', `/tmp volume ${tmp.name} is not an emptyDir`);
  const names = new Set();
  for (const e of c.env ?? []) {
    check(!names.has(e.name), where, 'env', `env ${e.name} is set twice`);
    names.add(e.name);
    const sk = e.valueFrom?.secretKeyRef;
    if (sk) checkSecretRef(where, sk.name, sk.key, `env ${e.name}`);
    const ck = e.valueFrom?.configMapKeyRef;
    if (ck) check(configMaps.get(ck.name)?.data?.[ck.key] !== undefined || ck.optional === true, where, 'refs', `env ${e.name}: ConfigMap ${ck.name} key ${ck.key} is not rendered`);
  }
  for (const ef of c.envFrom ?? []) {
    if (ef.configMapRef) check(configMaps.has(ef.configMapRef.name) || ef.configMapRef.optional === true, where, 'refs', `envFrom ConfigMap ${ef.configMapRef.name} is not rendered`);
    if (ef.secretRef) checkSecretRef(where, ef.secretRef.name, undefined, 'envFrom');
  }
  if (!init) {
    for (const required of ['NETPULSE_API_KEYS', 'REDIS_URL']) {
      check(names.has(required) || configValueFromEnvFrom(c, required) !== undefined, where, 'env', `${required} is not set`);
    }
  }
}

function checkSecretRef(where, name, key, what) {
  if (externalSecrets.has(name)) { checks++; return; }
  const s = secrets.get(name);
  check(!!s, where, 'refs', `${what}: Secret ${name} is neither rendered nor an existingSecret of the values`);
  if (s && key) check(s.data?.[key] !== undefined || s.stringData?.[key] !== undefined, where, 'refs', `${what}: Secret ${name} has no key ${key}`);
}

function checkService(s) {
  const where = id(s);
  const sel = s.spec?.selector ?? {};
  const pods = checkSelectsPods(where, 'service', sel);
  for (const p of s.spec?.ports ?? []) {
    const target = p.targetPort ?? p.port;
    const ok = pods.some((w) => (w.spec.template.spec.containers ?? []).some((c) => (c.ports ?? []).some((cp) => (typeof target === 'string' ? cp.name === target : cp.containerPort === target))));
    check(ok, where, 'service', `port ${p.name ?? p.port}: targetPort ${target} is no container port of the selected pods`);
    check(typeof p.name === 'string', where, 'service', `port ${p.port} has no name (ServiceMonitor and Ingress refer to ports by name)`);
  }
}

/** The workloads whose pod template labels carry every selector label; an error when there is none. */
function checkSelectsPods(where, rule, sel) {
  const entries = Object.entries(sel ?? {});
  check(entries.length > 0, where, rule, 'selector is empty (it would select every pod in the namespace)');
  const hits = workloads.filter((w) => entries.every(([k, v]) => w.spec?.template?.metadata?.labels?.[k] === v));
  check(entries.length === 0 || hits.length > 0, where, rule, `selector ${JSON.stringify(sel)} matches no rendered workload`);
  return hits;
}

function checkHpa(h) {
  const where = id(h);
  const ref = h.spec?.scaleTargetRef ?? {};
  const target = objects.find((o) => o.kind === ref.kind && o.metadata?.name === ref.name && o.apiVersion === ref.apiVersion);
  check(!!target, where, 'hpa', `scaleTargetRef ${ref.apiVersion} ${ref.kind}/${ref.name} is not rendered`);
  check((h.spec?.minReplicas ?? 1) <= h.spec?.maxReplicas, where, 'hpa', 'minReplicas exceeds maxReplicas');
  check((h.spec?.metrics ?? []).length > 0, where, 'hpa', 'no metrics');
  for (const m of h.spec?.metrics ?? []) {
    if (m.type !== 'Resource' || m.resource?.target?.type !== 'Utilization' || !target) continue;
    const r = m.resource.name;
    const all = target.spec.template.spec.containers ?? [];
    check(all.every((c) => c.resources?.requests?.[r] !== undefined), where, 'hpa', `${r} utilization needs resources.requests.${r} on every container of the target`);
  }
}

function checkIngress(i) {
  const where = id(i);
  const ruleHosts = new Set((i.spec?.rules ?? []).map((r) => r.host));
  for (const r of i.spec?.rules ?? []) {
    for (const p of r.http?.paths ?? []) {
      const b = p.backend?.service;
      const svc = b && find('Service', b.name);
      check(!!svc, where, 'ingress', `backend Service ${b?.name} is not rendered`);
      if (svc) {
        const ok = (svc.spec.ports ?? []).some((sp) => (b.port?.name !== undefined ? sp.name === b.port.name : sp.port === b.port?.number));
        check(ok, where, 'ingress', `backend port ${JSON.stringify(b.port)} is not a port of Service ${b.name}`);
      }
    }
  }
  for (const t of i.spec?.tls ?? []) {
    check(!!t.secretName, where, 'ingress', 'tls entry without secretName');
    for (const h of t.hosts ?? []) check(ruleHosts.has(h), where, 'ingress', `tls host ${h} has no rule`);
  }
}

function checkServiceMonitor(m) {
  const where = id(m);
  const sel = m.spec?.selector?.matchLabels ?? {};
  const svcs = byKind('Service').filter((s) => Object.entries(sel).every(([k, v]) => s.metadata?.labels?.[k] === v));
  check(Object.keys(sel).length > 0 && svcs.length > 0, where, 'servicemonitor', `selector ${JSON.stringify(sel)} matches no rendered Service`);
  for (const e of m.spec?.endpoints ?? []) {
    check(svcs.some((s) => (s.spec.ports ?? []).some((p) => p.name === e.port)), where, 'servicemonitor', `endpoint port ${e.port} is not a named port of the selected Service`);
    check(typeof e.path === 'string' && e.path.startsWith('/'), where, 'servicemonitor', 'endpoint path must start with /');
  }
  // /metrics needs the API key unless METRICS_PUBLIC=true, and Prometheus cannot send X-API-KEY
  const apiPods = svcs.flatMap((s) => workloads.filter((w) => Object.entries(s.spec?.selector ?? {}).every(([k, v]) => w.spec?.template?.metadata?.labels?.[k] === v)));
  for (const w of apiPods) check(configValue(w.spec.template.spec, 'METRICS_PUBLIC') === 'true', where, 'servicemonitor', `${id(w)} does not set METRICS_PUBLIC=true: scrapes of /metrics would get 401`);
}

/** ConfigMap keys the app does not read are silently ignored by it: a typo would go unnoticed. */
function checkConfigKeysAgainstApp(file) {
  const src = readFileSync(file, 'utf8');
  const body = src.slice(src.indexOf('class EnvVars'));
  const known = new Set([...body.matchAll(/^\s{2}([A-Z][A-Z0-9_]*)[!?]?\s*[=:;]/gm)].map((m) => m[1]));
  if (known.size < 5) return err(file, 'env-source', `found only ${known.size} variables in ${file}: has EnvVars moved?`);
  const used = new Set();
  for (const cm of configMaps.values()) {
    for (const k of Object.keys(cm.data ?? {})) {
      used.add(k);
      check(known.has(k), id(cm), 'config-keys', `${k} is not a variable the app reads (${file})`);
    }
  }
  for (const w of workloads) for (const c of w.spec.template.spec.containers ?? []) for (const e of c.env ?? []) used.add(e.name);
  const notSet = [...known].filter((k) => !used.has(k));
  if (notSet.length) notes.push(`app variables left to their defaults by the chart: ${notSet.join(', ')}`);
}

function checkExpectedKinds(spec) {
  for (const part of spec.split(',').filter(Boolean)) {
    const [kind, n] = part.split('=');
    const got = byKind(kind).length;
    check(got === Number(n), args.manifest, 'expect', `expected ${n} ${kind}, rendered ${got}`);
  }
}

/** The value a pod gets for an env var from its first container's envFrom ConfigMaps. */
function configValue(podSpec, name) {
  const c = (podSpec.containers ?? [])[0];
  return c ? configValueFromEnvFrom(c, name) : undefined;
}
function configValueFromEnvFrom(c, name) {
  const direct = (c.env ?? []).find((e) => e.name === name);
  if (direct?.value !== undefined) return direct.value;
  for (const ef of c.envFrom ?? []) {
    const v = ef.configMapRef && configMaps.get(ef.configMapRef.name)?.data?.[name];
    if (v !== undefined) return v;
  }
  return undefined;
}

function checkLabels(where, path, labels) {
  const l = labels ?? {};
  for (const k of STANDARD_LABELS) {
    check(typeof l[k] === 'string' && l[k].length > 0, where, 'labels', `${path} lacks ${k}`);
  }
  for (const [k, v] of Object.entries(l)) {
    const [prefix, name] = k.includes('/') ? k.split('/', 2) : [undefined, k];
    check((prefix === undefined || /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(prefix)) && /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(name), where, 'labels', `${path}: invalid label key ${k}`);
    check(typeof v === 'string' && /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/.test(v), where, 'labels', `${path}: invalid value for ${k}: ${JSON.stringify(v)}`);
  }
}

/** Kubernetes quantity to a number (cpu in cores, memory in bytes); undefined when absent. */
function quantity(q) {
  if (q === undefined || q === null) return undefined;
  const m = /^([0-9.]+)(m|k|Ki|M|Mi|G|Gi|T|Ti|P|Pi|E|Ei)?$/.exec(String(q));
  if (!m) return NaN;
  const f = { m: 1e-3, k: 1e3, Ki: 2 ** 10, M: 1e6, Mi: 2 ** 20, G: 1e9, Gi: 2 ** 30, T: 1e12, Ti: 2 ** 40, P: 1e15, Pi: 2 ** 50, E: 1e18, Ei: 2 ** 60 }[m[2]] ?? 1;
  return Number(m[1]) * f;
}

function track(value, path, read) {
  if (value === null || typeof value !== 'object') return value;
  return new Proxy(value, {
    get(target, key, receiver) {
      const v = Reflect.get(target, key, receiver);
      if (typeof key !== 'string') return v;
      read.add(`${path}/${key}`);
      return track(v, `${path}/${key}`, read);
    },
  });
}

function unreadFields(value, read, path = '', out = []) {
  if (value === null || typeof value !== 'object') return out;
  for (const k of Object.keys(value)) {
    const p = `${path}/${k}`;
    if (!Array.isArray(value) && !read.has(p)) { out.push(p.slice(1).replaceAll('/', '.')); continue; }
    unreadFields(value[k], read, p, out);
  }
  return out;
}

function schemaErrors(e) {
  const list = Array.isArray(e?.errors) ? e.errors : [];
  if (list.length === 0) return [String(e?.message ?? e)];
  return list.map((x) => `${(x.instancePath || '/').slice(1).replaceAll('/', '.') || '(root)'} ${x.message ?? x.keyword}${x.params?.missingProperty ? `: ${x.params.missingProperty}` : ''}${x.params?.allowedValues ? ` ${JSON.stringify(x.params.allowedValues)}` : ''}`);
}

function check(ok, where, rule, message) {
  checks++;
  if (!ok) err(where, rule, message);
}
function err(where, rule, message) {
  errors.push({ where, rule, message });
}
function die(message) {
  console.error(`validate-manifests: ${message}`);
  process.exit(2);
}
function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) die(`unexpected argument ${a}`);
    const key = a.slice(2);
    if (key === 'quiet') { out.quiet = true; continue; }
    const v = argv[++i];
    if (v === undefined) die(`${a} needs a value`);
    if (key === 'values') (out.values ??= []).push(v);
    else if (['manifest', 'expect', 'env-source', 'deps'].includes(key)) out[key] = v;
    else die(`unknown option ${a}`);
  }
  return out;
}
