from django.db import models
from django.utils.translation import gettext_lazy as _

from supportdesk.clients.models import ClientApplication
from supportdesk.core.models import TimeStampedModel


class Customer(TimeStampedModel):
    # db_index=False: the unique (client_app, email) index serves lookups by application
    client_app = models.ForeignKey(
        ClientApplication,
        on_delete=models.PROTECT,
        related_name="customers",
        db_index=False,
        verbose_name=_("client application"),
    )
    email = models.EmailField(_("e-mail"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    locale = models.CharField(_("locale"), max_length=35, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True, help_text="ISO 3166-1")
    timezone = models.CharField(_("time zone"), max_length=64, blank=True)

    class Meta:
        ordering = ("email",)
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        constraints = [
            models.UniqueConstraint(fields=["client_app", "email"], name="customer_email_per_app")
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email
