"""Staff pages of the agents app, mounted under /admin/me/ by config/urls.py."""

from django.urls import path

from supportdesk.agents.views import agent_heartbeat, agent_status_set

urlpatterns = [
    path("status/", agent_status_set, name="agent-status"),
    path("heartbeat/", agent_heartbeat, name="agent-heartbeat"),
]
