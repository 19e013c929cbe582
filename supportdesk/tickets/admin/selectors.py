"""Reads of the agents' workspace: which tickets an agent sees, who can take a ticket over,
what a ticket page shows. (Admin-only reads.)

Visibility is `supportdesk.tickets.selectors.tickets_visible_to`'s, the one rule for the API,
the admin, exports and live views (docs/admin.md).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest

from supportdesk.agents.models import Agent, AgentLanguage
from supportdesk.agents.selectors import is_manager
from supportdesk.core.types import Principal
from supportdesk.languages.admin import language_label
from supportdesk.languages.tags import primary
from supportdesk.mail.selectors import originals_by_message
from supportdesk.tickets.admin.customer import CustomerCard, customer_card
from supportdesk.tickets.admin.events import EventLine, event_lines
from supportdesk.tickets.admin.trace import trace_lines
from supportdesk.tickets.models import (
    AuthorKind,
    EventKind,
    Message,
    Ticket,
    TicketEvent,
    TicketStatus,
)
from supportdesk.tickets.selectors import NOTHING, ticket_scope


def acting_agent(request: HttpRequest) -> Agent | None:
    """The agent profile of the signed-in user (loaded once per request by the middleware)."""
    if hasattr(request, "agent"):
        agent: Agent | None = request.agent
        return agent
    return Agent.objects.filter(user__pk=request.user.pk or 0).first()


def is_manager_request(request: HttpRequest) -> bool:
    """`is_manager` once per request (the list, its filters and its actions all ask)."""
    cached: bool | None = getattr(request, "_sd_is_manager", None)
    if cached is None:
        cached = is_manager(request.user)
        request._sd_is_manager = cached  # type: ignore[attr-defined]  # per-request memo
    return cached


def admin_principal(request: HttpRequest) -> Principal:
    """The signed-in user as the visibility rule sees it."""
    user = request.user
    return Principal(
        user_id=user.pk,
        is_staff=bool(user.is_authenticated and user.is_staff),
        is_manager=is_manager_request(request),
    )


def tickets_for_workspace(tickets: QuerySet[Ticket], *, request: HttpRequest) -> QuerySet[Ticket]:
    """`tickets_visible_to`, the rule the API applies too (its filter computed once per
    request: the list, its filters and its actions all ask)."""
    scope: Q | None = getattr(request, "_sd_ticket_scope", None)
    if scope is None:
        scope = ticket_scope(principal=admin_principal(request))
        request._sd_ticket_scope = scope  # type: ignore[attr-defined]
    if scope == NOTHING:
        return tickets.none()
    return tickets.filter(scope)


@dataclass(frozen=True, slots=True)
class Candidate:
    agent: Agent
    proficiency: str
    load: int
    capacity: int
    status: str

    @property
    def proficiency_label(self) -> str:
        return str(AgentLanguage.Proficiency(self.proficiency).label)


def reassign_candidates(*, languages: Iterable[str]) -> list[Candidate]:
    """Agents who speak every one of `languages` (by primary subtag), best speakers and the
    least loaded first."""
    bases = sorted({primary(tag) for tag in languages})
    agents = Agent.objects.select_related("user").prefetch_related("skills")
    for base in bases:
        agents = agents.filter(
            Exists(AgentLanguage.objects.filter(agent=OuterRef("pk"), language_base=base))
        )
    order = {"native": 0, "fluent": 1, "basic": 2}
    found = []
    for agent in agents:
        levels = [s.proficiency for s in agent.skills.all() if s.language_base in bases]
        weakest = max(levels, key=lambda level: order.get(level, 3), default="")
        found.append(Candidate(agent, weakest, agent.load, agent.capacity, agent.status))
    online_first: dict[str, int] = {Agent.Status.ONLINE: 0, Agent.Status.AWAY: 1}
    return sorted(
        found,
        key=lambda c: (
            online_first.get(c.status, 2),
            order.get(c.proficiency, 3),
            c.load / max(c.capacity, 1),
            c.agent.pk,
        ),
    )


@dataclass(frozen=True, slots=True)
class TicketPage:
    thread: list[Message]
    events: list[EventLine]
    routing: list[str]
    customer: CustomerCard
    language: str  # "Dutch (nl)" in the reader's language
    originals: Mapping[int, int]  # message id → the received e-mail it came from (mail)


def ticket_page(*, ticket: Ticket, visible: QuerySet[Ticket]) -> TicketPage:
    """The thread (oldest first, newest last) with its files, the event log as sentences, the
    routing trace and the customer card (`visible`: the reader's ticket scope)."""
    thread = list(
        Message.objects.filter(ticket=ticket)
        .select_related("author_agent__user")
        .prefetch_related("attachments")  # supportdesk.attachments: shown under each message
        .order_by("created_at", "id")
    )
    events = list(
        TicketEvent.objects.filter(ticket=ticket)
        .select_related("actor__user")
        .order_by("created_at", "id")
    )
    assigned = [e for e in events if e.kind == EventKind.ASSIGNED and e.data.get("candidates")]
    waiting = ticket.status == TicketStatus.NEW
    routing: list[str] = []
    if waiting and ticket.routing_note:
        routing = trace_lines(ticket.routing_note, waiting=True)
    elif assigned and ticket.assignee_id is not None:
        routing = trace_lines(assigned[-1].data, waiting=False)
    first_customer = next((m.pk for m in thread if m.author_kind == AuthorKind.CUSTOMER), None)
    originals = originals_by_message(ticket=ticket, first_customer_message=first_customer)
    return TicketPage(
        thread,
        event_lines(ticket=ticket, events=events),
        routing,
        customer_card(ticket=ticket, visible=visible),
        language_label(ticket.language),
        originals,
    )


def messages_since(*, ticket: Ticket, seen: int, viewer_user_id: int) -> QuerySet[Message]:
    """Messages others added to `ticket` after message `seen` (the newest one a page showed),
    oldest first: what an agent about to reply has not read yet."""
    return (
        Message.objects.filter(ticket=ticket, pk__gt=seen)
        .exclude(author_agent__user_id=viewer_user_id)
        .select_related("author_agent__user")
        .order_by("created_at", "id")
    )
