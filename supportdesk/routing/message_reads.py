"""The two reads every `route_ticket` message makes (routing/services/assign.py): the ticket, if
it still waits, and — for a ticket of a full language — whether anyone who could take it has a
free slot. A burst sends one message per ticket, so on PostgreSQL both are statements prepared
once per connection (`core.database.prepared_rows`): through the ORM the query building alone
cost more CPU than PostgreSQL spent answering."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import cache

from django.db import connection
from django.db.models import F, Field, Model

from supportdesk.agents.models import Agent, AgentLanguage
from supportdesk.core.database import on_postgresql, prepared_rows
from supportdesk.routing import policy
from supportdesk.tickets.models import Ticket, TicketStatus


def waiting_ticket(*, ticket_id: int) -> tuple[str, bool] | None:
    """A waiting (new, unassigned) ticket's language, and whether it already says why it waits;
    None when it is not waiting. Every routing message reads this: on PostgreSQL a prepared
    statement."""
    if on_postgresql():
        rows = prepared_rows(_sql("waiting_ticket"), [ticket_id, TicketStatus.NEW.value])
        return (rows[0][0], rows[0][1]) if rows else None
    row = (
        Ticket.objects.filter(id=ticket_id, status=TicketStatus.NEW, assignee__isnull=True)
        .values_list("language", "routing_note")
        .first()
    )
    return None if row is None else (row[0], bool(row[1]))


def room_among_speakers(*, languages: Sequence[str], now: datetime, agent_ttl: timedelta) -> bool:
    """Has any available agent who speaks one of `languages` or a variant of one a free slot?
    (Everyone `agent_snapshots_for(languages=...)` lists and the policy may rank.) One query,
    on PostgreSQL a prepared statement (a message for a full language reads it)."""
    bases = sorted({policy.base_tag(tag) for tag in languages})
    seen_since = now - agent_ttl
    if on_postgresql():
        params = [bases, Agent.Status.ONLINE.value, seen_since]
        return bool(prepared_rows(_sql("room_among_speakers"), params)[0][0])
    return AgentLanguage.objects.filter(
        language_base__in=bases,
        agent__status=Agent.Status.ONLINE,
        agent__last_seen__gte=seen_since,
        agent__load__lt=F("agent__capacity"),
    ).exists()


@cache
def _sql(name: str) -> str:
    """The prepared reads' text, names from the models' metadata."""
    quote = connection.ops.quote_name

    def column(model: type[Model], field: str) -> str:
        found = model._meta.get_field(field)
        assert isinstance(found, Field)  # noqa: S101 - a concrete column
        return quote(str(found.column))

    tickets, agents = quote(Ticket._meta.db_table), quote(Agent._meta.db_table)
    skills = quote(AgentLanguage._meta.db_table)
    if name == "waiting_ticket":
        return (
            f"SELECT {column(Ticket, 'language')}, {column(Ticket, 'routing_note')} <> '{{}}'"
            f" FROM {tickets} WHERE {column(Ticket, 'id')} = %s"
            f" AND {column(Ticket, 'status')} = %s AND {column(Ticket, 'assignee')} IS NULL"
        )
    agent_id = column(Agent, "id")
    return (
        f"SELECT EXISTS (SELECT 1 FROM {skills} s JOIN {agents} a"
        f" ON a.{agent_id} = s.{column(AgentLanguage, 'agent')}"
        f" WHERE s.{column(AgentLanguage, 'language_base')} = ANY(%s)"
        f" AND a.{column(Agent, 'status')} = %s AND a.{column(Agent, 'last_seen')} >= %s"
        f" AND a.{column(Agent, 'load')} < a.{column(Agent, 'capacity')})"
    )
