"""Routing services: assignment (`assign`, `fill`), the sweep (`sweep`), the reconciler."""

from supportdesk.routing.services.assign import Assignment as Assignment
from supportdesk.routing.services.assign import DrainResult as DrainResult
from supportdesk.routing.services.assign import RouteResult as RouteResult
from supportdesk.routing.services.assign import language_drain as language_drain
from supportdesk.routing.services.assign import ticket_route as ticket_route
from supportdesk.routing.services.fill import agent_fill as agent_fill
from supportdesk.routing.services.reconcile import ReconcileReport as ReconcileReport
from supportdesk.routing.services.reconcile import reconcile_loads as reconcile_loads
from supportdesk.routing.services.sweep import SweepResult as SweepResult
from supportdesk.routing.services.sweep import agents_expire as agents_expire
from supportdesk.routing.services.sweep import route_waiting as route_waiting
from supportdesk.routing.services.sweep import tickets_reclaim as tickets_reclaim
