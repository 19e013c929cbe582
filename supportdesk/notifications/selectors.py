from django.db.models import Prefetch, QuerySet

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
