#!/usr/bin/env bash
# Makes sure a Redis answers at REDIS_URL (default redis://127.0.0.1:6379):
# uses the one running, else starts a local redis-server, else installs it where apt-get can, else says how.
set -euo pipefail
url="${REDIS_URL:-redis://127.0.0.1:6379}"
hostport="${url#*://}"; hostport="${hostport#*@}"; hostport="${hostport%%/*}"
host="${hostport%:*}"; port="${hostport##*:}"; [ "$port" = "$host" ] && port=6379

ping() { (exec 3<>"/dev/tcp/$host/$port" && printf 'PING\r\n' >&3 && timeout 2 head -c 5 <&3 | grep -q PONG) 2>/dev/null; }

if ping; then echo "redis: answering at $host:$port"; exit 0; fi
case "$host" in 127.0.0.1|localhost) ;; *) echo "redis: nothing answers at $host:$port (REDIS_URL); start it there" >&2; exit 1 ;; esac
if ! command -v redis-server >/dev/null 2>&1 && [ "${CI:-}" = "true" ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "redis: installing redis-server (Debian package)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi
if ! command -v redis-server >/dev/null 2>&1; then
  cat >&2 <<MSG
redis: nothing answers at $host:$port and redis-server is not installed.
  Debian/Ubuntu: sudo apt-get install redis-server     macOS: brew install redis
  Docker:        docker run -d -p 6379:6379 redis:7 --maxmemory-policy noeviction
  Or point REDIS_URL at a Redis 6.2+ you have.
MSG
  exit 1
fi
echo "redis: starting redis-server on $host:$port (no persistence; noeviction)"
redis-server --daemonize yes --bind "$host" --port "$port" --save "" --appendonly no \
  --maxmemory-policy noeviction --logfile "${TMPDIR:-/tmp}/netpulse-redis-$port.log"
for _ in $(seq 1 50); do ping && exit 0; sleep 0.1; done
echo "redis: started but not answering; see ${TMPDIR:-/tmp}/netpulse-redis-$port.log" >&2
exit 1
