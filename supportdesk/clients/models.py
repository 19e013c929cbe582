from django.db import models
from django.utils.translation import gettext_lazy as _

from supportdesk.core.models import TimeStampedModel


class ClientApplication(TimeStampedModel):
    """A help-centre site or app that posts tickets. It sees only its own customers' tickets."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ("name",)
        verbose_name = _("client application")
        verbose_name_plural = _("client applications")

    def __str__(self) -> str:
        return self.name


class ApiKey(TimeStampedModel):
    """A key is shown once; only its prefix (for lookup) and SHA-256 digest are stored."""

    client_app = models.ForeignKey(
        ClientApplication,
        on_delete=models.CASCADE,
        related_name="api_keys",
        verbose_name=_("client application"),
    )
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    digest = models.CharField(_("digest"), max_length=64)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.prefix}…"
