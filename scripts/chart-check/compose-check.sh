#!/usr/bin/env bash
# Checks docker-compose.yml without a Docker engine: `docker compose config` (the compose plugin) or, where
# only Debian's docker-compose 1.29 exists, `docker-compose config` parses, interpolates and validates it
# against the Compose schema; then check-compose.mjs checks what NetPulse needs of it. `npm run compose:check`.
set -euo pipefail
cd "$(dirname "$0")/../.."

die() { printf 'compose-check: FAILED: %s\n' "$*" >&2; exit 1; }
if docker compose version >/dev/null 2>&1; then
  COMPOSE=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
  COMPOSE=(docker-compose)
elif [ "${CI:-}" = "true" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "compose-check: installing docker-compose (Debian package)"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null) || die "apt-get install docker-compose failed"
  COMPOSE=(docker-compose)
else
  die "neither 'docker compose' (the compose plugin) nor 'docker-compose' is installed (Debian: apt-get install docker-compose)"
fi
echo "compose: $("${COMPOSE[@]}" version 2>/dev/null | head -n 1)"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/netpulse-compose.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

echo "\$ NETPULSE_API_KEYS=... ${COMPOSE[*]} -f docker-compose.yml config"
NETPULSE_API_KEYS=compose-check-key "${COMPOSE[@]}" -f docker-compose.yml config >"$WORK/config.yml" 2>"$WORK/config.err" \
  || { cat "$WORK/config.err"; die "${COMPOSE[*]} config rejected docker-compose.yml"; }

echo "\$ ${COMPOSE[*]} -f docker-compose.yml config   (without NETPULSE_API_KEYS: must refuse)"
if env -u NETPULSE_API_KEYS "${COMPOSE[@]}" -f docker-compose.yml config >/dev/null 2>"$WORK/nokey.err"; then
  die "docker-compose.yml renders without NETPULSE_API_KEYS; it must require it"
fi
grep -q "set NETPULSE_API_KEYS" "$WORK/nokey.err" || { cat "$WORK/nokey.err"; die "refused without NETPULSE_API_KEYS, but not with our message"; }
echo "  refused, saying: set NETPULSE_API_KEYS (comma-separated API keys)"

# shellcheck source=scripts/chart-check/deps.sh
. scripts/chart-check/deps.sh
install_chart_check_deps || die "could not install the checker's npm packages"
node scripts/chart-check/check-compose.mjs --deps "$DEPS" "$WORK/config.yml"
