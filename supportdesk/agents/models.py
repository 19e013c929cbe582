from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from supportdesk.core.models import TimeStampedModel


def _default_capacity() -> int:
    capacity: int = settings.DEFAULT_AGENT_CAPACITY
    return capacity


class Agent(TimeStampedModel):
    """An agent's routing state. `load` is a counter of its `open` tickets, changed only by
    conditional UPDATEs in routing services and re-derived by the reconciler."""

    class Status(models.TextChoices):
        ONLINE = "online", _("online")
        AWAY = "away", _("away")
        OFFLINE = "offline", _("offline")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="agent",
        verbose_name=_("user"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OFFLINE
    )
    last_seen = models.DateTimeField(_("last seen"), null=True, blank=True)
    # set when the sweep sent the agent away because its heartbeats stopped (not its choice):
    # its next heartbeat brings it back online
    away_by_sweep = models.BooleanField(
        _("away since its heartbeats stopped"), default=False, editable=False
    )
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=_default_capacity)
    load = models.PositiveSmallIntegerField(_("load"), default=0, editable=False)
    last_assigned_at = models.DateTimeField(_("last assigned at"), null=True, blank=True)
    timezone = models.CharField(_("time zone"), max_length=64, default="Europe/Amsterdam")
    ui_language = models.CharField(_("UI language"), max_length=35, blank=True)

    class Meta:
        ordering = ("user__username",)
        verbose_name = _("agent")
        verbose_name_plural = _("agents")
        constraints = [
            models.CheckConstraint(condition=Q(load__gte=0), name="agent_load_not_negative"),
        ]
        indexes = [models.Index(fields=["status", "last_seen"], name="agent_status_seen")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        full = self.user.get_full_name() if self.user_id else ""
        return full or (self.user.get_username() if self.user_id else "")

    @property
    def free_capacity(self) -> int:
        return max(self.capacity - self.load, 0)


class AgentLanguage(models.Model):
    class Proficiency(models.TextChoices):
        NATIVE = "native", _("native")
        FLUENT = "fluent", _("fluent")
        BASIC = "basic", _("basic")

    agent = models.ForeignKey(
        Agent, on_delete=models.CASCADE, related_name="skills", verbose_name=_("agent")
    )
    tag = models.CharField(_("language"), max_length=35)
    language_base = models.CharField(_("primary language"), max_length=8, editable=False)
    proficiency = models.CharField(
        _("proficiency"), max_length=10, choices=Proficiency.choices, default=Proficiency.FLUENT
    )

    class Meta:
        ordering = ("agent", "tag")
        verbose_name = _("language skill")
        verbose_name_plural = _("language skills")
        constraints = [
            models.UniqueConstraint(fields=["agent", "tag"], name="agent_skill_unique"),
            models.CheckConstraint(
                condition=Q(proficiency__in=["native", "fluent", "basic"]),
                name="agent_skill_proficiency_valid",
            ),
        ]
        indexes = [models.Index(fields=["language_base", "agent"], name="skill_base_agent")]

    def __str__(self) -> str:
        return f"{self.tag} ({self.proficiency})"
