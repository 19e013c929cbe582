import secrets
import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from supportdesk.clients.models import ClientApplication
from supportdesk.core.models import TimeStampedModel


class WebhookEvent(models.TextChoices):
    TICKET_CREATED = "ticket.created", _("ticket created")
    TICKET_ASSIGNED = "ticket.assigned", _("ticket assigned")
    TICKET_REPLIED = "ticket.replied", _("ticket replied")
    TICKET_SOLVED = "ticket.solved", _("ticket solved")
    SLA_BREACHED = "sla.breached", _("SLA breached")
    CUSTOMER_ERASED = "customer.erased", _("customer erased")


def new_secret() -> str:
    return f"whsec_{secrets.token_urlsafe(32)}"


class WebhookEndpoint(TimeStampedModel):
    """Where a client application wants to hear about its tickets. `secret` signs payloads."""

    client_app = models.ForeignKey(
        ClientApplication,
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
        verbose_name=_("client application"),
    )
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=100, default=new_secret)
    events = models.JSONField(_("events"), default=list, help_text=_("Empty: every event."))
    active = models.BooleanField(_("active"), default=True)
    consecutive_failures = models.PositiveIntegerField(_("consecutive failures"), default=0)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)

    class Meta:
        ordering = ("client_app", "id")
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return self.url

    def wants(self, event: str) -> bool:
        return not self.events or event in self.events


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    DELIVERED = "delivered", _("delivered")
    FAILED = "failed", _("failed")
    CANCELLED = "cancelled", _("cancelled")


class WebhookDelivery(models.Model):
    """One event for one endpoint (an outbox row): delivered in order per ticket, retried
    until delivered or out of attempts. Each try is a WebhookAttempt."""

    endpoint = models.ForeignKey(
        WebhookEndpoint,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("webhook endpoint"),
    )
    event_id = models.UUIDField(_("event id"), default=uuid.uuid4, unique=True, editable=False)
    event = models.CharField(_("event"), max_length=32, choices=WebhookEvent.choices)
    ticket_id = models.BigIntegerField(_("ticket"), null=True, blank=True)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    status_code = models.PositiveSmallIntegerField(_("last status code"), null=True, blank=True)
    error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        ordering = ("-id",)
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="webhook_delivery_due",
            ),
            models.Index(
                fields=["endpoint", "ticket_id", "id"],
                condition=Q(status="pending"),
                name="webhook_delivery_ticket_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint_id} ({self.status})"


class WebhookAttempt(models.Model):
    """The delivery log: one row per HTTP try."""

    delivery = models.ForeignKey(
        WebhookDelivery,
        on_delete=models.CASCADE,
        related_name="attempt_log",
        verbose_name=_("webhook delivery"),
    )
    attempt = models.PositiveSmallIntegerField(_("attempt"))
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    latency_ms = models.PositiveIntegerField(_("latency (ms)"))
    error = models.CharField(_("error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ("delivery", "attempt")
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")

    def __str__(self) -> str:
        return f"#{self.attempt} {self.status_code or self.error}"


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    SENT = "sent", _("sent")
    SKIPPED = "skipped", _("skipped")
    FAILED = "failed", _("failed")


class EmailDelivery(models.Model):
    """The customer e-mail outbox: one row per (ticket, kind, message). The sweep sends what
    has no finished row (broker down, message lost); the row's lock makes one send of each."""

    ticket_id = models.BigIntegerField(_("ticket"))
    kind = models.CharField(_("kind"), max_length=20)
    message_id = models.BigIntegerField(_("message"), default=0)  # 0: the acknowledgement
    status = models.CharField(
        _("status"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail delivery")
        verbose_name_plural = _("e-mail deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["ticket_id", "kind", "message_id"], name="email_delivery_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.ticket_id}/{self.message_id} ({self.status})"
