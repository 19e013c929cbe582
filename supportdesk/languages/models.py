from django.db import models
from django.utils.translation import gettext_lazy as _

from supportdesk.core.models import TimeStampedModel


class Language(TimeStampedModel):
    """A language the hub serves. Names are not stored: they come from CLDR in any language."""

    tag = models.CharField(_("tag"), max_length=35, unique=True, help_text=_("BCP 47, e.g. pt-BR"))
    enabled = models.BooleanField(_("enabled"), default=True)
    fallbacks = models.JSONField(
        _("fallback chain"),
        default=list,
        blank=True,
        help_text=_("Ordered tags tried when nobody speaks this language, e.g. es, en."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=100)

    class Meta:
        ordering = ("position", "tag")
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self) -> str:
        return self.tag
