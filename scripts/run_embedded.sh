#!/usr/bin/env bash
# The embedded runtime (docs/adr/0005): eager Celery tasks in the web process, plus a periodic
# runner for the beat schedule (routing sweep, reconcile, SLA checks), stopped with the server.
# PORT (default 8000) is the loopback port the server listens on. Unless DEMO_LIVE=0, the living
# demo (manage.py demo_live) keeps the demo hub busy: customers post, demo agents solve.
set -eu
PORT=${PORT:-8000}
if ! [[ $PORT =~ ^[0-9]+$ ]] || ((PORT < 1 || PORT > 65535)); then
  echo "ERROR: PORT must be a port number (1-65535), not '$PORT'" >&2
  exit 2
fi
PY=.venv/bin/python
$PY manage.py run_periodic &
PERIODIC=$!
LIVE=
if [[ ${DEMO_LIVE:-0} != 0 ]]; then
  $PY manage.py demo_live &
  LIVE=$!
fi
trap 'kill $PERIODIC $LIVE 2>/dev/null || true' EXIT INT TERM
$PY manage.py runserver "127.0.0.1:$PORT"
