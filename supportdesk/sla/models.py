from zoneinfo import available_timezones

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from supportdesk.core.models import TimeStampedModel
from supportdesk.tickets.models import Priority


def validate_timezone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(_("“%(zone)s” is not an IANA time zone."), params={"zone": value})


class BusinessHours(TimeStampedModel):
    """A team's working week in its own time zone. A policy without one runs 24/7."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    timezone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Amsterdam", validators=[validate_timezone]
    )

    class Meta:
        ordering = ("name",)
        verbose_name = _("business hours")
        verbose_name_plural = _("business hours")

    def __str__(self) -> str:
        return f"{self.name} ({self.timezone})"


class WorkingInterval(models.Model):
    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    hours = models.ForeignKey(
        BusinessHours,
        on_delete=models.CASCADE,
        related_name="intervals",
        verbose_name=_("business hours"),
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    starts = models.TimeField(_("starts"))
    ends = models.TimeField(_("ends"), help_text=_("00:00 means midnight at the end of the day."))

    class Meta:
        ordering = ("hours", "weekday", "starts")
        verbose_name = _("working interval")
        verbose_name_plural = _("working intervals")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gt=models.F("starts")) | Q(ends="00:00"),
                name="working_interval_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts:%H:%M}-{self.ends:%H:%M}"


class Holiday(models.Model):
    hours = models.ForeignKey(
        BusinessHours,
        on_delete=models.CASCADE,
        related_name="holidays",
        verbose_name=_("business hours"),
    )
    day = models.DateField(_("day"))
    name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        ordering = ("hours", "day")
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        constraints = [
            models.UniqueConstraint(fields=["hours", "day"], name="holiday_unique_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.name}".strip()


class SlaPolicy(TimeStampedModel):
    """Targets for one priority, optionally for one language (a language's own policy wins)."""

    name = models.CharField(_("name"), max_length=100)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices)
    language = models.CharField(
        _("language"), max_length=35, blank=True, help_text=_("Empty: every language.")
    )
    first_response_minutes = models.PositiveIntegerField(_("first response within (minutes)"))
    resolution_minutes = models.PositiveIntegerField(_("resolution within (minutes)"))
    business_hours = models.ForeignKey(
        BusinessHours,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="policies",
        verbose_name=_("business hours"),
        help_text=_("Empty: the clock runs around the clock (24/7)."),
    )
    escalate_on_breach = models.BooleanField(
        _("escalate on breach"),
        default=True,
        help_text=_("Raise the priority one step and notify managers when a target is missed."),
    )

    class Meta:
        ordering = ("-priority", "language")
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        constraints = [
            models.UniqueConstraint(
                fields=["priority", "language"], name="sla_policy_priority_language"
            ),
        ]

    def __str__(self) -> str:
        return self.name
