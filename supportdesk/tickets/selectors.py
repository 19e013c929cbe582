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

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from supportdesk.agents.models import Agent
from supportdesk.core.types import Principal
from supportdesk.tickets.models import Message, Ticket

NOTHING = Q(pk__in=[])


def languages_q(bases: Iterable[str]) -> Q:
    """Tickets whose language has one of these primary subtags (`pt` → pt, pt-BR, pt-PT)."""
    q = NOTHING
    for base in sorted(set(bases)):
        q |= Q(language=base) | Q(language__startswith=f"{base}-")  # tags are normalised
    return q


def ticket_scope(*, principal: Principal) -> Q:
    """The rule above as a filter on `Ticket` (one small query for an agent's languages)."""
    if principal.is_manager:
        return Q()
    if principal.is_staff and principal.user_id is not None:
        rows = list(  # one row per skill (a LEFT JOIN: an agent without skills has one row)
            Agent.objects.filter(user_id=principal.user_id).values_list(
                "pk", "skills__language_base"
            )
        )
        if not rows:
            return NOTHING
        bases = [base for _pk, base in rows if base]
        return languages_q(bases) | Q(assignee_id=rows[0][0])
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
