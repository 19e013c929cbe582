"""The living demo (`make run`, DEMO_LIVE): customers keep posting tickets in many languages and
the seeded demo agents keep working theirs, all through the real services — so routing, SLA
clocks, e-mails and the dashboard move as they would in a hub.

- Arrivals: a Poisson process at DEMO_LIVE_ARRIVALS_PER_MINUTE, languages weighted like the
  demo hub's native speakers, texts from `seeds/tickets/`; `ticket_create` routes them.
- Work: a seeded bot agent (`demo-agent-NNN`; never the human `demo-agent` nor any other user)
  answers each open ticket once its handle time has passed since assignment — a public reply in
  the ticket's language (`ticket_reply`) — and solves it (`ticket_set_status`), which frees the
  slot and lets routing fill it. Handle times are exponential around `mean_handle_seconds`,
  drawn from the ticket id (no state to keep between ticks or processes).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from django.db.models import F, QuerySet

from supportdesk.agents.models import Agent
from supportdesk.clients.models import ClientApplication
from supportdesk.languages.seeding import SEEDS_DIR
from supportdesk.tickets.commands import NewCustomer, NewTicket
from supportdesk.tickets.demo import DEMO_CLIENT_APP, PRIORITY_WEIGHTS, hub_config, sample_texts
from supportdesk.tickets.models import Ticket, TicketStatus
from supportdesk.tickets.services import ticket_create, ticket_reply, ticket_set_status

BOT_PREFIX = "demo-agent-"  # seeded by seed_demo as demo-agent-001, …; `demo-agent` is a person
MIN_HANDLE_SECONDS = 20
WORK_PER_TICK = 50  # tickets solved at most per tick: a long pause catches up over a few ticks
CUSTOMERS = 500


@dataclass(frozen=True, slots=True)
class TickResult:
    posted: int
    solved: int


def handle_seconds(ticket_id: int, *, mean: float) -> float:
    """How long the demo agent works on this ticket: exponential, at least MIN_HANDLE_SECONDS,
    at most four times the mean; the same for the same ticket in every process."""
    draw = random.Random(ticket_id).expovariate(1 / mean)  # noqa: S311 - demo pacing
    return min(max(draw, MIN_HANDLE_SECONDS), 4 * mean)


def _replies() -> dict[str, str]:
    replies: dict[str, str] = json.loads((SEEDS_DIR / "demo_replies.json").read_text("utf-8"))
    return replies


@dataclass
class LiveDemo:
    """One demo hub's life; `tick(now)` does what is due at `now` (call it every second)."""

    arrivals_per_minute: float
    mean_handle_seconds: float = 180.0
    rng: random.Random = field(default_factory=random.Random)
    _next_arrival: datetime | None = None
    _posted: int = 0
    _texts: dict[str, list[dict[str, str]]] = field(default_factory=sample_texts)
    _replies: dict[str, str] = field(default_factory=_replies)

    def __post_init__(self) -> None:
        native: dict[str, int] = hub_config()["native_share"]
        self._languages = [tag for tag in native if tag in self._texts]
        self._weights = [native[tag] for tag in self._languages]
        self._app, _ = ClientApplication.objects.get_or_create(name=DEMO_CLIENT_APP)

    def tick(self, now: datetime) -> TickResult:
        return TickResult(posted=self._arrivals(now), solved=self._work(now))

    def _gap(self) -> timedelta:
        return timedelta(minutes=self.rng.expovariate(self.arrivals_per_minute))

    def _arrivals(self, now: datetime) -> int:
        if self.arrivals_per_minute <= 0 or not self._languages:
            return 0
        if self._next_arrival is None:
            self._next_arrival = now + self._gap()
        posted = 0
        while self._next_arrival <= now:
            self._post()
            posted += 1
            self._next_arrival += self._gap()
        return posted

    def _post(self) -> Ticket:
        tag = self.rng.choices(self._languages, weights=self._weights)[0]
        text = self.rng.choice(self._texts[tag])
        priority = self.rng.choices(list(PRIORITY_WEIGHTS), weights=list(PRIORITY_WEIGHTS.values()))
        self._posted += 1
        number = self.rng.randrange(CUSTOMERS)
        new = NewTicket(
            subject=text["subject"],
            body=text["body"],
            customer=NewCustomer(email=f"live-customer{number:03d}@example.com", locale=tag),
            language=tag,
            priority=int(priority[0]),
            channel="web",
        )
        ticket, _created = ticket_create(client_app=self._app, new=new)
        return ticket

    def _worked(self) -> QuerySet[Ticket]:
        return Ticket.objects.filter(
            status=TicketStatus.OPEN,
            assignee__user__username__startswith=BOT_PREFIX,
            assigned_at__isnull=False,
        ).order_by("assigned_at", "id")

    def _work(self, now: datetime) -> int:
        shortest = timedelta(seconds=MIN_HANDLE_SECONDS)
        rows = cast(
            "list[dict[str, Any]]",
            list(
                self._worked()
                .filter(assigned_at__lte=now - shortest)
                .values("id", "language", "assigned_at", "first_response_at", agent=F("assignee"))[
                    : WORK_PER_TICK * 4
                ]
            ),
        )
        solved = 0
        for row in rows:
            due = row["assigned_at"] + timedelta(
                seconds=handle_seconds(row["id"], mean=self.mean_handle_seconds)
            )
            if due > now:
                continue
            self._finish(row)
            solved += 1
            if solved >= WORK_PER_TICK:
                break
        return solved

    def _finish(self, row: dict[str, Any]) -> None:
        actor = Agent.objects.get(pk=row["agent"])
        if row["first_response_at"] is None:
            body = self._replies.get(row["language"]) or self._replies["en"]
            ticket_reply(ticket_id=row["id"], body=body, internal=False, actor=actor)
        ticket_set_status(ticket_id=row["id"], status=TicketStatus.SOLVED, actor=actor)
