from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from supportdesk.notifications import services
from supportdesk.notifications.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin[WebhookEndpoint]):
    list_display = ("url", "client_app", "active", "consecutive_failures", "disabled_at")
    list_filter = ("active", "client_app")
    search_fields = ("url", "client_app__name")
    readonly_fields = ("consecutive_failures", "disabled_at", "created_at", "updated_at")
    actions = ("enable",)

    @admin.action(description=_("Enable again (forget failures)"))
    def enable(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        for endpoint in queryset:
            services.webhook_endpoint_update(endpoint=endpoint, active=True)


class WebhookAttemptInline(admin.TabularInline[WebhookAttempt, WebhookDelivery]):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    readonly_fields = ("attempt", "status_code", "latency_ms", "error", "created_at")

    def has_add_permission(self, request: HttpRequest, obj: WebhookDelivery | None = None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin[WebhookDelivery]):
    """The delivery log: read-only."""

    list_display = (
        "created_at",
        "event",
        "endpoint",
        "ticket_id",
        "status",
        "attempts",
        "status_code",
        "next_attempt_at",
    )
    list_filter = ("status", "event")
    search_fields = ("event_id", "endpoint__url")
    list_select_related = ("endpoint",)
    inlines = (WebhookAttemptInline,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: WebhookDelivery | None = None
    ) -> bool:
        return False
