from django.db import models
from django.utils.translation import gettext_lazy as _

from supportdesk.agents.models import Agent
from supportdesk.core.models import index_where_set
from supportdesk.tickets.models.choices import AuthorKind
from supportdesk.tickets.models.ticket import Ticket


class Message(models.Model):
    # db_index=False: message_ticket_created (ticket, created_at) serves lookups by ticket
    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.CASCADE,
        related_name="messages",
        db_index=False,
        verbose_name=_("ticket"),
    )
    author_kind = models.CharField(_("author"), max_length=10, choices=AuthorKind.choices)
    author_agent = models.ForeignKey(  # indexed by message_author_agent, where set
        Agent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
        db_index=False,
        verbose_name=_("agent"),
    )
    body = models.TextField(_("body"))
    internal = models.BooleanField(_("internal note"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ("created_at", "id")
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [
            models.Index(fields=["ticket", "created_at"], name="message_ticket_created"),
            # partial: a customer's message (every new ticket's first) has no agent to index
            index_where_set("author_agent", "message_author_agent"),
        ]

    def __str__(self) -> str:
        return f"{self.author_kind}: {self.body[:40]}"
