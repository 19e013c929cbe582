"""Prometheus metrics at /metrics, read from the database at scrape time (a custom Collector).

Who may scrape: with METRICS_TOKEN set, any client sending `Authorization: Bearer <token>`;
without it, only loopback clients (a Prometheus on the same machine). Set METRICS_TOKEN when a
reverse proxy runs on the same host, since the proxy's requests come from loopback.
"""

import hmac
from collections.abc import Iterator

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric

from supportdesk.attachments.metrics import AttachmentCollector
from supportdesk.dashboards.native import WINDOWS, FirstMatch, first_match_by_language
from supportdesk.dashboards.series import event_counts, queue_depths, routing_backlog
from supportdesk.mail.metrics import MailCollector

LOOPBACK = frozenset({"127.0.0.1", "::1"})


class DashboardCollector:
    """Queue depth and oldest wait per language, agents online, ticket events by kind."""

    def collect(self) -> Iterator[Metric]:
        depths = queue_depths()
        waiting = GaugeMetricFamily(
            "supportdesk_queue_waiting", "Tickets waiting for an agent.", labels=["language"]
        )
        oldest = GaugeMetricFamily(
            "supportdesk_queue_oldest_wait_seconds",
            "Age of the oldest waiting ticket.",
            labels=["language"],
        )
        for depth in depths:
            waiting.add_metric([depth.language], depth.waiting)
            oldest.add_metric([depth.language], depth.oldest_wait_seconds)
        yield waiting
        yield oldest
        backlog = routing_backlog()
        yield GaugeMetricFamily(
            "supportdesk_agents_online",
            "Agents online and seen within AGENT_TTL_SECONDS.",
            value=backlog.agents_online,
        )
        yield GaugeMetricFamily(
            "supportdesk_free_capacity", "Free slots of available agents.", value=backlog.free
        )
        events = CounterMetricFamily(
            "supportdesk_ticket_events",
            "Ticket events by kind; assigned/unassigned are the routing outcomes.",
            labels=["kind"],
        )
        for kind, count in event_counts().items():
            events.add_metric([kind], count)
        yield events
        yield from _first_match_metrics()


def _first_match_metrics() -> Iterator[Metric]:
    """Native-language service: first assignments by match rank per language and window, and
    the hub's native share (exact + same primary subtag) per window."""
    by_language = first_match_by_language()
    counts = GaugeMetricFamily(
        "supportdesk_first_match_tickets",
        "Tickets created in the window, by how their first routed agent matched the language.",
        labels=["language", "match", "window"],
    )
    for language, first in sorted(by_language.items()):
        for window in WINDOWS:
            matches = getattr(first, window)
            for match in ("exact", "same_base", "fallback"):
                counts.add_metric([language, match, window], getattr(matches, match))
    yield counts
    hub = FirstMatch.total(by_language.values())
    share = GaugeMetricFamily(
        "supportdesk_native_share",
        "Share of routed tickets whose first agent spoke the language (exact or same base).",
        labels=["window"],
    )
    for window in WINDOWS:
        native = getattr(hub, window).native_share
        if native is not None:
            share.add_metric([window], native)
    yield share


registry = CollectorRegistry()
registry.register(DashboardCollector())
registry.register(AttachmentCollector())
registry.register(MailCollector())


def _may_scrape(request: HttpRequest) -> bool:
    """With METRICS_TOKEN: its bearer only. Without: nobody unless DEBUG, and then loopback
    only (a proxy on the same host makes every request "loopback", so production needs the
    token)."""
    token: str = settings.METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    return bool(settings.DEBUG) and request.META.get("REMOTE_ADDR") in LOOPBACK


@never_cache
@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    if not _may_scrape(request):
        response = HttpResponse("forbidden\n", status=401 if settings.METRICS_TOKEN else 403)
        if settings.METRICS_TOKEN:
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
