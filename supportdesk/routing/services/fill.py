"""Filling an agent's free room: the waiting tickets it should take now, until it is full.

The policy (`policy.choose_tickets`) decides; this module picks the few waiting tickets worth
showing it — the head of the agent's close languages' queue, and the fallback tickets whose
time may have come — with as few reads as the rule allows: the speakers' supply (a grouped
aggregate) is read only when a fallback ticket may actually be taken.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from supportdesk.routing import policy, selectors
from supportdesk.routing.rules import Mode, Supply
from supportdesk.routing.services.assign import Assignment, _commit
from supportdesk.tickets.models import Ticket


def _fallback_languages(*, agent: policy.AgentSnapshot, languages: Sequence[str]) -> list[str]:
    """Of the waiting `languages` the agent does not speak, those it may serve by fallback."""
    chains = selectors.fallbacks_for(languages=languages)
    skills = {tag.lower() for tag in agent.skills}
    return [lang for lang in languages if skills & {tag.lower() for tag in chains[lang]}]


def _fallback_filter(
    *,
    languages: Sequence[str],
    supply: Mapping[str, Supply],
    now: datetime,
    rules: policy.RoutingPolicy,
) -> Q:
    """SQL pre-filter of the fallback tickets whose time may have come (the policy decides):
    a language nobody available speaks after the unstaffed wait, the others after the first
    of the fallback wait and aging."""
    first = min(rules.fallback_after, rules.aging_after)
    unstaffed = (
        rules.fallback_unstaffed_after if rules.mode is Mode.LANGUAGE_FIRST else timedelta(0)
    )
    anytime = [lang for lang in languages if policy.base_tag(lang) not in supply]
    timed = [lang for lang in languages if policy.base_tag(lang) in supply]
    return Q(language__in=anytime, created_at__lte=now - unstaffed) | Q(
        language__in=timed, created_at__lte=now - first
    )


def _usable(
    tickets: Sequence[policy.TicketSnapshot],
    *,
    agent: policy.AgentSnapshot,
    now: datetime,
    rules: policy.RoutingPolicy,
) -> int:
    return sum(
        not policy.released_recently(agent.id, ticket, now=now, policy=rules) for ticket in tickets
    )


def agent_fill(*, agent_id: int) -> int:
    """Give an agent with room the first waiting tickets it may serve, in queue order, until
    it is full (DESIGN §5: after going online, a ticket leaving `open`, more capacity).
    Returns how many it got; a no-op for an unavailable or full agent."""
    now = timezone.now()
    rules = selectors.routing_policy()
    agent = selectors.agent_snapshot(agent_id=agent_id)
    room = agent.capacity - agent.load if agent else 0
    if agent is None or room <= 0 or not policy.is_available(agent, now=now, policy=rules):
        return 0
    languages = selectors.waiting_languages()
    bases = {policy.base_tag(tag) for tag in agent.skills}
    close = [lang for lang in languages if policy.base_tag(lang) in bases]
    by_fallback = _fallback_languages(
        agent=agent, languages=[lang for lang in languages if policy.base_tag(lang) not in bases]
    )
    # the best matches first: the head of the agent's own languages' queue
    rows = list(selectors.waiting_rows().filter(language__in=close)[: room * 2])
    snapshots = _snapshots(rows)
    supply: Mapping[str, Supply] = {}
    if by_fallback:
        if (
            rules.mode is Mode.LANGUAGE_FIRST
            and _usable(snapshots, agent=agent, now=now, rules=rules) >= room
        ):
            # its own languages fill its room: only an aged fallback ticket comes before them,
            # and an aged ticket may go to anyone who matches it (rules.py, 3.) — no supply read
            fallback = Q(language__in=by_fallback, created_at__lte=now - rules.aging_after)
        else:
            supply = selectors.speaker_supply(now=now, agent_ttl=rules.agent_ttl)
            fallback = _fallback_filter(languages=by_fallback, supply=supply, now=now, rules=rules)
        snapshots += _snapshots(
            selectors.waiting_rows()
            .filter(fallback)
            .exclude(id__in=[t.id for t in rows])[: room * 2]
        )
    chosen = policy.choose_tickets(
        agent=agent, waiting=snapshots, now=now, policy=rules, supply=supply
    )
    by_id = {t.id: t for t in snapshots}
    wanted = [
        Assignment(
            ticket_id,
            agent.id,
            {**policy.sole_decision(agent, by_id[ticket_id]).explain(agent.id), "via": "fill"},
        )
        for ticket_id in chosen
    ]
    return len(_commit(wanted, now=now))


def _snapshots(rows: Iterable[Ticket]) -> list[policy.TicketSnapshot]:
    tickets = list(rows)
    return selectors.ticket_snapshots(
        tickets=tickets,
        fallbacks=selectors.fallbacks_for(languages=[t.language for t in tickets]),
        continuity=False,
    )
