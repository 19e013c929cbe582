import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from supportdesk.clients.models import ClientApplication
from supportdesk.tickets.models import Customer, Ticket


class AnonymisedReason(models.TextChoices):
    ERASURE = "erasure", _("erasure request")
    RETENTION = "retention", _("retention period over")


class Erasure(models.Model):
    """A customer erased: their row now carries the pseudonym. `email_digest` (a keyed hash)
    lets a repeated request for the same address find this row without the address."""

    customer = models.OneToOneField(
        Customer,
        on_delete=models.CASCADE,
        related_name="erasure",
        primary_key=True,
        verbose_name=_("customer"),
    )
    client_app = models.ForeignKey(
        ClientApplication,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("client application"),
    )
    email_digest = models.CharField(
        max_length=64, db_index=True, blank=True, verbose_name=_("e-mail digest")
    )
    pseudonym = models.CharField(_("pseudonym"), max_length=40)
    reason = models.CharField(_("reason"), max_length=10, choices=AnonymisedReason.choices)
    forced = models.BooleanField(_("forced by a manager"), default=False)
    requested_by = models.CharField(_("requested by"), max_length=150, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    erased_at = models.DateTimeField(_("erased at"), auto_now_add=True)

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")

    def __str__(self) -> str:
        return self.pseudonym


class TicketAnonymisation(models.Model):
    """A ticket whose content is gone (erasure or retention); its row keeps the figures."""

    ticket = models.OneToOneField(
        Ticket,
        on_delete=models.CASCADE,
        related_name="anonymisation",
        primary_key=True,
        verbose_name=_("ticket"),
    )
    reason = models.CharField(_("reason"), max_length=10, choices=AnonymisedReason.choices)
    at = models.DateTimeField(_("anonymised at"), auto_now_add=True)

    class Meta:
        verbose_name = _("ticket anonymisation")
        verbose_name_plural = _("ticket anonymisations")

    def __str__(self) -> str:
        return f"{self.ticket_id} ({self.reason})"


class LegalHold(models.Model):
    """Exempts a ticket, or every ticket of a customer, from retention and erasure."""

    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="legal_holds",
        verbose_name=_("ticket"),
    )
    customer = models.ForeignKey(
        Customer,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="legal_holds",
        verbose_name=_("customer"),
    )
    reason = models.CharField(_("reason"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        constraints = [
            models.CheckConstraint(
                condition=Q(ticket__isnull=True) ^ Q(customer__isnull=True),
                name="legal_hold_ticket_xor_customer",
            )
        ]

    def __str__(self) -> str:
        return self.reason


class RetentionPolicy(models.Model):
    """A client application's own retention period (else RETENTION_DAYS)."""

    client_app = models.OneToOneField(
        ClientApplication,
        on_delete=models.CASCADE,
        related_name="retention_policy",
        verbose_name=_("client application"),
    )
    days = models.PositiveIntegerField(
        _("days"),
        help_text=_("Solved or closed tickets older than this are anonymised; 0 keeps them."),
    )

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")

    def __str__(self) -> str:
        return f"{self.client_app_id}: {self.days}"


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class ExportJob(models.Model):
    """One export of one customer's data: a zip written by a Celery task, downloadable by a
    signed link until `expires_at`, then deleted."""

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("ID")
    )
    client_app = models.ForeignKey(
        ClientApplication,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("client application"),
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="export_jobs", verbose_name=_("customer")
    )
    include_internal = models.BooleanField(_("internal notes included"), default=False)
    requested_by = models.CharField(_("requested by"), max_length=150, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING
    )
    storage_key = models.CharField(max_length=300, blank=True, verbose_name=_("storage key"))
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self) -> str:
        return str(self.id)


class PrivacyCustomer(Customer):
    """Customers as the managers' privacy desk lists them (admin actions: export, erase)."""

    class Meta:
        proxy = True
        verbose_name = _("privacy request")
        verbose_name_plural = _("privacy requests")
