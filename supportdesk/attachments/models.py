import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from supportdesk.tickets.models import Message


class Attachment(models.Model):
    """One file of one message (the ticket's opening message included). The bytes live in
    the `attachments` storage under `storage_key`; the row is written in the transaction that
    writes the message, after the file is stored (docs/subsystems/attachments.md)."""

    id = models.UUIDField(
        primary_key=True, default=uuid.uuid4, editable=False, verbose_name=_("ID")
    )
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("message")
    )
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    storage_key = models.CharField(max_length=300, unique=True, verbose_name=_("storage key"))
    thumbnail_key = models.CharField(
        max_length=300, blank=True, default="", verbose_name=_("thumbnail key")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ("created_at", "id")
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.CheckConstraint(condition=models.Q(size__gt=0), name="attachment_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
