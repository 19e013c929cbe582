#!/usr/bin/env bash
# The embedded runtime (docs/adr/0005): eager Celery tasks in the web process, plus a periodic
# runner for the beat schedule (routing sweep, reconcile, SLA checks), stopped with the server.
set -eu
PY=.venv/bin/python
$PY manage.py run_periodic &
PERIODIC=$!
trap 'kill $PERIODIC 2>/dev/null || true' EXIT INT TERM
$PY manage.py runserver 127.0.0.1:8000
