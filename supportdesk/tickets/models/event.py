from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from supportdesk.agents.models import Agent
from supportdesk.core.models import index_where_set
from supportdesk.tickets.models.choices import EventKind
from supportdesk.tickets.models.ticket import Ticket


class AppendOnlyError(RuntimeError):
    pass


class TicketEvent(models.Model):
    """The audit log: rows are added, never changed or removed."""

    # db_index=False: event_ticket_created (ticket, created_at) serves lookups by ticket
    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.CASCADE,
        related_name="events",
        db_index=False,
        verbose_name=_("ticket"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(  # indexed by event_actor, where set
        Agent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        db_index=False,
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("actor"), max_length=100, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ("created_at", "id")
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        indexes = [
            models.Index(fields=["ticket", "created_at"], name="event_ticket_created"),
            models.Index(fields=["kind", "created_at"], name="event_kind_created"),
            # partial: events of customers, client applications and the system have no agent
            index_where_set("actor", "event_actor"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} @ {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("ticket events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("ticket events are append-only")
