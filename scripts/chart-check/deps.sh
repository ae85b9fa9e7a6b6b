# shellcheck shell=bash
# Sourced by scripts/validate-chart.sh and scripts/chart-check/compose-check.sh (from the repository root):
# installs the npm packages of scripts/chart-check/package-lock.json into a cache folder outside the project
# and sets DEPS to it. The project's own package.json and node_modules are not touched.
CHART_CHECK_CACHE="${NETPULSE_HELM_CACHE:-${TMPDIR:-/tmp}/netpulse-helm}"
install_chart_check_deps() {
  local lock_hash
  lock_hash="$(cat scripts/chart-check/package.json scripts/chart-check/package-lock.json | sha256sum | cut -c1-16)"
  DEPS="$CHART_CHECK_CACHE/chart-check-$lock_hash"
  if [ -f "$DEPS/.installed" ]; then echo "validator packages: cached in $DEPS"; return 0; fi
  rm -rf "$DEPS.tmp.$$" && mkdir -p "$DEPS.tmp.$$"
  cp scripts/chart-check/package.json scripts/chart-check/package-lock.json "$DEPS.tmp.$$/"
  echo "validator packages: npm ci (scripts/chart-check/package-lock.json) into $DEPS"
  if ! (cd "$DEPS.tmp.$$" && npm ci --ignore-scripts --prefer-offline --no-audit --no-fund --loglevel=error >npm.log 2>&1); then
    echo "npm ci of the validator's packages failed: $(grep -v 'complete log of this run' "$DEPS.tmp.$$/npm.log" | head -n 5)" >&2
    rm -rf "$DEPS.tmp.$$"
    return 1
  fi
  touch "$DEPS.tmp.$$/.installed"
  rm -rf "$DEPS" && mv "$DEPS.tmp.$$" "$DEPS"
}
