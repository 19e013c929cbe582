#!/usr/bin/env bash
# Create the demo manager, agent and API key (idempotent) and say how to log in.
set -eu
BASE=http://127.0.0.1:${PORT:-8000}
PY=.venv/bin/python
$PY manage.py create_agent demo-manager --languages en:native,nl:fluent --manager --online \
  --password tulip-canal-bridge >/dev/null
$PY manage.py create_agent demo-agent --languages nl:native,en:fluent,de:basic --online \
  --password herring-bike-lane >/dev/null
KEY=$($PY manage.py create_api_key demo-helpcentre)
cat <<BANNER

  supportdesk runs on $BASE/
    admin (agents' workspace)  $BASE/admin/
      manager:  demo-manager / tulip-canal-bridge
      agent:    demo-agent   / herring-bike-lane
    API docs                   $BASE/api/docs/
    demo API key (new each run): $KEY
      curl -H "Authorization: Api-Key $KEY" $BASE/api/v1/tickets/
    managers' dashboard        $BASE/dashboard/
BANNER
if [[ ${DEMO_LIVE:-0} != 0 ]]; then
  cat <<LIVE
    living demo: customers post ~${DEMO_LIVE_ARRIVALS_PER_MINUTE:-6} tickets a minute and the demo
      agents solve theirs (DEMO_LIVE=0 make run turns it off); e-mails go to ${EMAIL_URL:-the console}
LIVE
fi
cat <<BANNER

BANNER
