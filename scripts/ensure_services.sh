#!/usr/bin/env bash
# Make sure PostgreSQL and Redis answer on 127.0.0.1 before the tests run: start them if they
# are installed but down, otherwise fail with a clear message. Never touches a running service.
set -u

pg_up() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }
redis_up() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]; }

wait_for() {  # wait_for <check-fn> <seconds>
  local deadline=$((SECONDS + $2))
  while [ $SECONDS -lt $deadline ]; do "$1" && return 0; sleep 1; done
  return 1
}

if ! pg_up; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "PostgreSQL is down on 127.0.0.1:5432: starting it" >&2
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
  fi
  wait_for pg_up 30 || {
    echo "ERROR: PostgreSQL does not answer on 127.0.0.1:5432 and could not be started." >&2
    echo "       Install it (apt-get install postgresql) or set DATABASE_URL to a reachable server." >&2
    exit 1
  }
fi

if ! redis_up; then
  if command -v redis-server >/dev/null 2>&1; then
    echo "Redis is down on 127.0.0.1:6379: starting it" >&2
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
  fi
  wait_for redis_up 20 || {
    echo "ERROR: Redis does not answer on 127.0.0.1:6379 and could not be started." >&2
    echo "       Install it (apt-get install redis-server)." >&2
    exit 1
  }
fi
echo "services: PostgreSQL and Redis answer on 127.0.0.1"
