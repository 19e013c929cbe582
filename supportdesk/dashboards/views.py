"""The managers' page at /dashboard/: a shell the browser fills and refreshes from the JSON API
under /api/v1/dashboard/ (no page reload). Session login (the admin's), managers only."""

import itertools

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from supportdesk.agents.models import Agent
from supportdesk.agents.selectors import is_manager
from supportdesk.dashboards.home import managers_only
from supportdesk.dashboards.waits import WAIT_BOUNDS
from supportdesk.simulation.report import CHART_FILES, REPORT_FILE
from supportdesk.simulation.selectors import latest_report

DEFAULT_REFRESH_SECONDS = 15
MIN_REFRESH_SECONDS, MAX_REFRESH_SECONDS = 2, 300
ENDPOINTS = ("hub", "queues", "agents", "sla", "trends", "staffing")


def _refresh_seconds(request: HttpRequest) -> int:
    """`?refresh=N` (seconds, clamped) lets a wall screen or a test poll faster or slower."""
    raw = request.GET.get("refresh", "")
    seconds = int(raw) if raw.isdigit() and len(raw) < 6 else DEFAULT_REFRESH_SECONDS
    return min(max(seconds, MIN_REFRESH_SECONDS), MAX_REFRESH_SECONDS)


def _labels() -> dict[str, object]:
    """Every string the page's script shows, translated here (the script has no catalog)."""
    return {
        "updated": _("Updated at {time}"),
        "error": _("Could not refresh the figures ({status}); retrying."),
        "none": _("none"),
        "all_languages": _("All languages"),
        "arrivals": _("Arrivals"),
        "solved": _("Solved"),
        "attainment": _("SLA attainment"),
        "tickets": _("tickets"),
        "no_data": _("No data yet"),
        "needs_data": _("needs handle-time data"),
        "yes": _("yes"),
        "no": _("no"),
        "statuses": {str(value): str(label) for value, label in Agent.Status.choices},
        "wait_buckets": [_("< {minutes} min").format(minutes=WAIT_BOUNDS[0] // 60)]
        + [
            _("{low}-{high} min").format(low=low // 60, high=high // 60)
            for low, high in itertools.pairwise(WAIT_BOUNDS)
        ]
        + [_("> {hours} h").format(hours=WAIT_BOUNDS[-1] // 3600)],
    }


def _require_manager(request: HttpRequest) -> None:
    if not (request.user.is_staff and is_manager(request.user)):
        raise PermissionDenied(_("Only managers may see the dashboard."))


def _is_manager(request: HttpRequest) -> bool:
    return bool(request.user.is_staff and is_manager(request.user))


@require_safe
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if not _is_manager(request):
        return managers_only(request)
    config = {
        "refresh_seconds": _refresh_seconds(request),
        "locale": get_language() or "en",
        "labels": _labels(),
        "api": {name: reverse(f"dashboard-api:{name}") for name in ENDPOINTS},
    }
    context = {
        **admin.site.each_context(request),
        "title": _("Queues dashboard"),
        "is_nav_sidebar_enabled": False,
        "config": config,
        "simulation": latest_report(),
    }
    return render(request, "dashboards/dashboard.html", context)


@require_safe
@login_required
def simulation_file(request: HttpRequest, name: str) -> FileResponse:
    """A file of the latest simulation report (its JSON or a chart), for managers."""
    _require_manager(request)
    report = latest_report()
    allowed = {REPORT_FILE, *CHART_FILES}
    if report is None or name not in allowed or not (report.directory / name).is_file():
        raise Http404(_("No such simulation file."))
    return FileResponse((report.directory / name).open("rb"), filename=name)
