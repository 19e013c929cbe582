from django.db.models import Prefetch, QuerySet

from supportdesk.core.snapshots import Snapshot
from supportdesk.core.types import Principal
from supportdesk.notifications.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


def webhook_endpoints_visible_to(*, principal: Principal) -> QuerySet[WebhookEndpoint]:
    """A client application sees its own endpoints; anyone else none (a 404)."""
    if principal.client_app_id is None:
        return WebhookEndpoint.objects.none()
    return WebhookEndpoint.objects.filter(client_app_id=principal.client_app_id).order_by("id")


def webhook_deliveries_of(*, endpoint: WebhookEndpoint, limit: int = 50) -> list[WebhookDelivery]:
    """The endpoint's latest deliveries with their attempt log, newest first."""
    return list(
        WebhookDelivery.objects.filter(endpoint=endpoint)
        .prefetch_related(Prefetch("attempt_log", queryset=WebhookAttempt.objects.all()))
        .order_by("-id")[:limit]
    )


def _load_active_endpoints(client_app_id: int) -> tuple[WebhookEndpoint, ...]:
    return tuple(WebhookEndpoint.objects.filter(client_app_id=client_app_id, active=True))


# per client application, an empty tuple included (ADR 0008)
_active_endpoints: Snapshot[int, tuple[WebhookEndpoint, ...]] = Snapshot(
    _load_active_endpoints, depends_on=("notifications.WebhookEndpoint",)
)


def active_endpoints_of(client_app_id: int) -> tuple[WebhookEndpoint, ...]:
    """The application's active endpoints, read through a per-process snapshot (ADR 0008)."""
    return _active_endpoints.get(client_app_id) or ()


def active_endpoints_forget() -> None:
    """After a bulk change that sends no model signal (the outbox disabling an endpoint)."""
    _active_endpoints.clear()
