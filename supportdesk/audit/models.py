from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supportdesk.clients.models import ClientApplication


class AppendOnlyError(RuntimeError):
    pass


class AuditAction(models.TextChoices):
    TICKET_READ = "ticket.read", _("read a ticket")
    CUSTOMER_READ = "customer.read", _("read a customer")
    CUSTOMER_EXPORT = "customer.export", _("exported a customer's data")
    EXPORT_DOWNLOAD = "export.download", _("downloaded an export")
    CUSTOMER_ERASE = "customer.erase", _("erased a customer")
    RETENTION = "retention.anonymise", _("anonymised expired tickets")
    SETTING_CHANGE = "setting.change", _("changed a setting")


class AuditRecord(models.Model):
    """Who did what to which data, when, from where. Rows are added, never changed or removed
    (a database trigger refuses UPDATE and DELETE). A customer is named by their pseudonym,
    never by name or e-mail, so the trail outlives an erasure (docs/privacy.md)."""

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True, editable=False)
    # no database constraints: the trail outlives the users and applications it names
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    client_app = models.ForeignKey(
        ClientApplication,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("client application"),
    )
    actor_label = models.CharField(_("who"), max_length=150)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=32, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_label = models.CharField(_("object"), max_length=200, blank=True)
    customer_pseudonym = models.CharField(
        _("customer (pseudonym)"), max_length=40, blank=True, db_index=True
    )
    via = models.CharField(_("via"), max_length=10, blank=True)  # api, admin, task, command
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        ordering = ("-at", "-id")
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        indexes = [models.Index(fields=["action", "-at"], name="audit_action_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action} {self.object_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit records are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit records are append-only")
