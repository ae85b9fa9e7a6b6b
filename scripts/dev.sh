#!/usr/bin/env bash
# One command for a newcomer: install, build, find or start Redis, start a worker node and the API,
# print where the dashboard and Swagger UI are and which API key to use. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund
npm run build --silent
bash scripts/ensure-redis.sh

if [ -z "${NETPULSE_API_KEYS:-}" ]; then
  [ -f .netpulse-dev-key ] || node -e "process.stdout.write(require('crypto').randomBytes(18).toString('base64url'))" > .netpulse-dev-key
  NETPULSE_API_KEYS="$(cat .netpulse-dev-key)"
fi
export NETPULSE_API_KEYS PORT="${PORT:-9000}"
# TextFSM templates of ntc-templates, as the original ships them (the Docker image has them at /app/ntc-templates).
NTC_TEMPLATES_DIR="$(bash scripts/find-ntc-templates.sh)"
[ -n "$NTC_TEMPLATES_DIR" ] && export NTC_TEMPLATES_DIR || unset NTC_TEMPLATES_DIR

node dist/worker.js & worker=$!
trap 'kill $worker 2>/dev/null; wait $worker 2>/dev/null' EXIT INT TERM
node dist/main.js & api=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/health/live" >/dev/null 2>&1 && break; sleep 0.1; done
cat <<MSG

  NetPulse is up.
    Dashboard  : http://127.0.0.1:$PORT/ui/   (sign in with the API key below)
    Swagger UI : http://127.0.0.1:$PORT/docs
    OpenAPI    : http://127.0.0.1:$PORT/openapi.json
    API key    : ${NETPULSE_API_KEYS%%,*}   (header X-API-KEY)
    Templates  : ntc-templates ${NTC_TEMPLATES_DIR:-off (see the note above)}
    Try        : curl -H "X-API-KEY: ${NETPULSE_API_KEYS%%,*}" http://127.0.0.1:$PORT/job

MSG
wait $api
