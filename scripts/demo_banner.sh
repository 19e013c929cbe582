#!/usr/bin/env bash
# Create the demo manager, agent and API key (idempotent) and say how to log in.
set -eu
PY=.venv/bin/python
$PY manage.py create_agent demo-manager --languages en:native,nl:fluent --manager --online \
  --password tulip-canal-bridge >/dev/null
$PY manage.py create_agent demo-agent --languages nl:native,en:fluent,de:basic --online \
  --password herring-bike-lane >/dev/null
KEY=$($PY manage.py create_api_key demo-helpcentre)
cat <<BANNER

  supportdesk runs on http://127.0.0.1:8000/
    admin (agents' workspace)  http://127.0.0.1:8000/admin/
      manager:  demo-manager / tulip-canal-bridge
      agent:    demo-agent   / herring-bike-lane
    API docs                   http://127.0.0.1:8000/api/docs/
    demo API key (new each run): $KEY
      curl -H "Authorization: Api-Key $KEY" http://127.0.0.1:8000/api/v1/tickets/

BANNER
