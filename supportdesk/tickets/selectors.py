"""Reads of tickets. `tickets_visible_to` is the one visibility rule: the API, the admin, exports
and live views all obtain tickets through it.

Who sees (and may change) what:
- a client application: its own tickets (another application's ticket is a 404, never a 403);
- a manager: every ticket;
- an agent: the tickets in the languages it speaks, by primary subtag (a `pt-PT` speaker sees
  `pt-BR` tickets), plus every ticket assigned to it (routing may hand it a fallback-language
  ticket, a manager may assign one by hand);
- anyone else, staff without an agent profile included: nothing.
"""

from django.db.models import (
    CharField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Concat

from supportdesk.agents.models import Agent, AgentLanguage
from supportdesk.core.types import Principal
from supportdesk.tickets.models import Message, Ticket

NOTHING = Q(pk__in=[])


def _agent_scope(user_id: int) -> Q:
    """Subqueries, no round trip of their own: a skill whose primary subtag is the ticket's
    language or its prefix (tags are normalised), or the ticket is assigned to the agent."""
    skills = AgentLanguage.objects.filter(agent__user_id=user_id).annotate(
        ticket_language=ExpressionWrapper(OuterRef("language"), output_field=CharField())
    )
    speaks = skills.filter(
        Q(language_base=OuterRef("language"))
        | Q(ticket_language__startswith=Concat(F("language_base"), Value("-")))
    )
    mine = Agent.objects.filter(user_id=user_id).values("pk")
    return Q(Exists(speaks)) | Q(assignee__in=mine)


def ticket_scope(*, principal: Principal) -> Q:
    """The rule above as a filter on `Ticket`."""
    if principal.is_manager:
        return Q()
    if principal.is_staff and principal.user_id is not None:
        return _agent_scope(principal.user_id)
    if principal.client_app_id is not None:
        return Q(client_app_id=principal.client_app_id)
    return NOTHING


def tickets_visible_to(
    *, principal: Principal, tickets: QuerySet[Ticket] | None = None
) -> QuerySet[Ticket]:
    """The tickets `principal` may see and change, from `tickets` (default: all, with the
    customer and the assignee loaded)."""
    if tickets is None:
        tickets = Ticket.objects.select_related("customer", "assignee__user")
    scope = ticket_scope(principal=principal)
    if scope == NOTHING:
        return tickets.none()
    return tickets.filter(scope)


def ticket_thread(*, ticket: Ticket, include_internal: bool) -> QuerySet[Message]:
    """The ticket's messages, oldest first; internal notes only when `include_internal`."""
    messages = Message.objects.filter(ticket=ticket).select_related("author_agent__user")
    if not include_internal:
        messages = messages.filter(internal=False)
    return messages.order_by("created_at", "id")
