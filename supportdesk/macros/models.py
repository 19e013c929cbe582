"""Macros (canned answers): a macro has optional actions and one text per language."""

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supportdesk.core.models import TimeStampedModel
from supportdesk.tickets.models import Priority, TicketStatus


class Macro(TimeStampedModel):
    """`name` is the macro's name in its source language; each variant carries its own name (the
    picker searches in the agent's UI language). The actions run after the reply is sent."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    source_language = models.CharField(
        _("source language"),
        max_length=35,
        default="en",
        help_text=_("The language the other variants are translated from."),
    )
    internal = models.BooleanField(
        _("internal note"), default=False, help_text=_("Send the text as an internal note.")
    )
    set_status = models.CharField(
        _("set status"), max_length=10, choices=TicketStatus.choices, blank=True
    )
    set_priority = models.PositiveSmallIntegerField(
        _("set priority"), choices=Priority.choices, null=True, blank=True
    )
    add_tags = models.JSONField(_("add tags"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ("name",)
        verbose_name = _("macro")
        verbose_name_plural = _("macros")

    def __str__(self) -> str:
        return self.name


class MacroVariant(models.Model):
    """The macro's text in one language. `body_changed_at` moves only when the text changes: a
    variant older than its source-language variant may be out of date."""

    macro = models.ForeignKey(
        Macro, on_delete=models.CASCADE, related_name="variants", verbose_name=_("macro")
    )
    language = models.CharField(_("language"), max_length=35)
    name = models.CharField(_("name"), max_length=100)
    body = models.TextField(_("text"))
    body_changed_at = models.DateTimeField(_("text changed at"), editable=False)

    class Meta:
        ordering = ("macro", "language")
        verbose_name = _("macro variant")
        verbose_name_plural = _("macro variants")
        constraints = [
            models.UniqueConstraint(fields=["macro", "language"], name="macro_variant_language")
        ]

    def __str__(self) -> str:
        return f"{self.macro} [{self.language}]"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A new text (not a new name) moves `body_changed_at`, wherever the save comes from."""
        stored = MacroVariant.objects.filter(pk=self.pk).values_list("body", flat=True).first()
        if self._state.adding or stored != self.body:
            self.body_changed_at = timezone.now()
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "body_changed_at"}
        super().save(*args, **kwargs)
