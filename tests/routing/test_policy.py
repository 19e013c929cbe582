"""The pure routing policy: tables and properties. No database, no clock, milliseconds."""

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from supportdesk.routing.policy import (
    AgentSnapshot,
    Decision,
    Proficiency,
    Rank,
    RoutingPolicy,
    TicketSnapshot,
    Wait,
    Why,
    best_skill,
    choose_agent,
    choose_tickets,
    is_available,
    plan,
    queue_order,
    sole_decision,
)
from supportdesk.routing.rules import Mode, Supply

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
POLICY = RoutingPolicy(fallback_after=timedelta(minutes=5), agent_ttl=timedelta(minutes=2))
OLD = replace(POLICY, mode=Mode.OLD)


def agent(
    agent_id: int,
    *tags: str,
    load: int = 0,
    capacity: int = 5,
    online: bool = True,
    seen: timedelta = timedelta(0),
    level: Proficiency = Proficiency.FLUENT,
    last_assigned: datetime | None = None,
) -> AgentSnapshot:
    return AgentSnapshot(
        id=agent_id,
        skills=dict.fromkeys(tags, level),
        load=load,
        capacity=capacity,
        online=online,
        last_seen=NOW - seen,
        last_assigned_at=last_assigned,
    )


def ticket(
    language: str,
    *fallbacks: str,
    ticket_id: int = 1,
    waited: timedelta = timedelta(0),
    priority: int = 2,
    due: datetime | None = None,
    previous: int | None = None,
) -> TicketSnapshot:
    return TicketSnapshot(
        id=ticket_id,
        language=language,
        fallbacks=fallbacks,
        waiting_since=NOW - waited,
        priority=priority,
        due=due,
        previous_agent_id=previous,
    )


def ranked(t: TicketSnapshot, *candidates: AgentSnapshot, rules: RoutingPolicy = POLICY) -> tuple:
    return choose_agent(ticket=t, candidates=candidates, now=NOW, policy=rules).ranked


@pytest.mark.parametrize(
    ("t", "candidates", "expected"),
    [
        pytest.param(ticket("pt-BR"), [agent(1, "pt-PT"), agent(2, "pt-BR")], (2, 1), id="exact"),
        pytest.param(ticket("nl"), [agent(1, "nl", load=3), agent(2, "nl", load=1)], (2, 1)),
        pytest.param(ticket("nl"), [agent(1, "nl", load=5)], (), id="full-agent-skipped"),
        pytest.param(ticket("nl"), [agent(1, "nl", online=False)], (), id="offline-skipped"),
        pytest.param(
            ticket("nl"), [agent(1, "nl", seen=timedelta(minutes=3))], (), id="stale-skipped"
        ),
        pytest.param(ticket("nl"), [agent(1, "de")], (), id="non-speaker-skipped"),
        pytest.param(
            ticket("nl"),
            [agent(1, "nl", level=Proficiency.BASIC), agent(2, "nl", load=4)],
            (2, 1),
            id="proficiency-before-load",
        ),
        pytest.param(
            ticket("nl"),
            [agent(1, "nl", load=2, capacity=4), agent(2, "nl", load=2, capacity=8)],
            (2, 1),
            id="load-ratio",
        ),
        pytest.param(
            ticket("nl"),
            [agent(1, "nl", last_assigned=NOW), agent(2, "nl", last_assigned=NOW - timedelta(1))],
            (2, 1),
            id="longest-idle",
        ),
        pytest.param(ticket("NL"), [agent(1, "nl")], (1,), id="case-insensitive"),
    ],
)
def test_ranking(t: TicketSnapshot, candidates: list[AgentSnapshot], expected: tuple) -> None:
    assert ranked(t, *candidates) == expected


def test_a_fallback_speaker_waits_while_a_close_match_is_online_but_full() -> None:
    # given a Catalan ticket, a full Catalan agent and a free Spanish one
    candidates = [agent(1, "ca", load=5), agent(2, "es")]
    # when it has just arrived, then it waits and says why
    early = choose_agent(
        ticket=ticket("ca", "es", "en"), candidates=candidates, now=NOW, policy=POLICY
    )
    assert early.ranked == ()
    assert early.excluded == {1: Why.FULL, 2: Why.FALLBACK_NOT_YET}
    assert early.wait_reason == Wait.FULL
    # when it has waited FALLBACK_AFTER, then under the old rule the Spanish speaker may take it
    late = ticket("ca", "es", "en", waited=timedelta(minutes=5))
    assert ranked(late, *candidates, rules=OLD) == (2,)
    # but not under language_first: 5 busy slots of 7 minutes free one every 84 s (< grace)
    assert ranked(late, *candidates) == ()
    # unless the ticket has aged
    assert ranked(replace(late, waiting_since=NOW - POLICY.aging_after), *candidates) == (2,)


def test_a_fallback_speaker_serves_at_once_when_no_close_match_is_available() -> None:
    assert ranked(ticket("ca", "es"), agent(1, "ca", online=False), agent(2, "es")) == (2,)
    assert ranked(ticket("ca", "es"), agent(2, "es")) == (2,)


def test_only_fallback_speakers_with_room_is_reported_as_fallback_not_yet() -> None:
    decision = choose_agent(
        ticket=ticket("ca", "es"),
        candidates=[agent(1, "ca", online=False), agent(2, "es")],
        now=NOW,
        policy=POLICY,
    )
    assert decision.ranked == (2,)  # no *available* close match: allowed at once
    waiting = choose_agent(
        ticket=ticket("pt-BR", "es"),
        candidates=[agent(1, "pt-PT", load=5), agent(2, "es", load=5)],
        now=NOW,
        policy=POLICY,
    )
    assert waiting.wait_reason == Wait.FULL


@pytest.mark.parametrize(
    ("candidates", "reason"),
    [
        ([], Wait.NO_SPEAKER),
        ([agent(1, "de")], Wait.NO_SPEAKER),
        ([agent(1, "nl", online=False)], Wait.OFFLINE),
        ([agent(1, "nl", load=5), agent(2, "nl", online=False)], Wait.FULL),
    ],
)
def test_a_waiting_ticket_says_why(candidates: list[AgentSnapshot], reason: Wait) -> None:
    decision = choose_agent(ticket=ticket("nl"), candidates=candidates, now=NOW, policy=POLICY)
    assert decision.wait_reason == reason
    assert decision.explain(None)["waits_because"] == reason.value


def test_continuity_prefers_the_previous_agent_at_the_same_rank_even_when_busier() -> None:
    candidates = [agent(1, "nl", load=0), agent(2, "nl", load=3)]
    assert ranked(ticket("nl", previous=2), *candidates) == (2, 1)
    off = RoutingPolicy(fallback_after=POLICY.fallback_after, continuity=False)
    assert ranked(ticket("nl", previous=2), *candidates, rules=off) == (1, 2)


def test_continuity_never_beats_a_better_rank_or_room() -> None:
    assert ranked(ticket("pt-BR", previous=2), agent(1, "pt-BR"), agent(2, "pt-PT")) == (1, 2)
    assert ranked(ticket("nl", previous=2), agent(1, "nl"), agent(2, "nl", load=5)) == (1,)


def test_explain_is_a_compact_trace_of_the_decision() -> None:
    decision = choose_agent(
        ticket=ticket("nl"),
        candidates=[agent(1, "nl", load=1), agent(2, "nl", load=5), agent(3, "de")],
        now=NOW,
        policy=POLICY,
    )
    assert decision.explain(1) == {
        "winner": 1,
        "candidates": 3,
        "ranked": [1],
        "excluded": {
            "full": {"count": 1, "agents": [2]},
            "no-skill": {"count": 1, "agents": [3]},
        },
        "rank": "exact",
        "proficiency": "fluent",
        "load": 1,
        "capacity": 5,
        "continuity": False,
    }


def test_queue_order_is_priority_then_deadline_then_created_then_id() -> None:
    due = NOW + timedelta(hours=1)
    tickets = [
        ticket("nl", ticket_id=1, waited=timedelta(minutes=9)),
        ticket("nl", ticket_id=2, priority=4),
        ticket("nl", ticket_id=3, due=due),
        ticket("nl", ticket_id=4, due=due - timedelta(minutes=1)),
        ticket("nl", ticket_id=5, waited=timedelta(minutes=9)),
    ]
    assert [t.id for t in queue_order(tickets)] == [2, 4, 3, 1, 5]


def test_choose_tickets_takes_what_the_agent_may_serve_in_queue_order_until_full() -> None:
    # given an agent with two free slots who speaks nl and, as a fallback, en
    nl_agent = agent(9, "nl", "en", load=3)
    waiting = [
        ticket("de", ticket_id=1, priority=4),
        ticket("nl", ticket_id=2),
        ticket("fy", "nl", ticket_id=3, priority=3),
        ticket("nl", ticket_id=4, waited=timedelta(minutes=1)),
    ]
    # when fy (Frisian) speakers are available, the fallback must wait; otherwise not
    fy = {"fy": Supply(speakers=1, free=0, busy=5)}
    staffed = choose_tickets(agent=nl_agent, waiting=waiting, now=NOW, policy=OLD, supply=fy)
    unstaffed = choose_tickets(agent=nl_agent, waiting=waiting, now=NOW, policy=OLD)
    # then (the old rule: queue order)
    assert staffed == (4, 2)
    assert unstaffed == (3, 4)
    # and language_first: its own language first, whatever the queue says
    for supply in (fy, {}):
        assert choose_tickets(
            agent=nl_agent, waiting=waiting, now=NOW, policy=POLICY, supply=supply
        ) == (4, 2)


def test_choose_tickets_gives_nothing_to_an_unavailable_or_full_agent() -> None:
    waiting = [ticket("nl")]
    for someone in (agent(1, "nl", online=False), agent(1, "nl", load=5)):
        assert choose_tickets(agent=someone, waiting=waiting, now=NOW, policy=POLICY) == ()


def test_sole_decision_records_the_agents_match() -> None:
    trace = sole_decision(agent(1, "pt-PT", load=2), ticket("pt-BR")).explain(1)
    assert (trace["rank"], trace["load"]) == ("same_base", 2)
    assert sole_decision(agent(1, "de"), ticket("nl")).ranked == ()


# --- properties ------------------------------------------------------------------------------

TAGS = ["nl", "pt-BR", "pt-PT", "es", "ca", "en"]
agents = st.builds(
    AgentSnapshot,
    id=st.integers(1, 10_000),
    skills=st.dictionaries(st.sampled_from(TAGS), st.sampled_from(Proficiency), max_size=3),
    load=st.integers(0, 6),
    capacity=st.integers(1, 6),
    online=st.booleans(),
    last_seen=st.sampled_from([NOW, NOW - timedelta(minutes=1), NOW - timedelta(minutes=3)]),
    last_assigned_at=st.one_of(st.none(), st.just(NOW - timedelta(minutes=1))),
)
tickets = st.builds(
    TicketSnapshot,
    id=st.integers(1, 10_000),
    language=st.sampled_from(TAGS),
    fallbacks=st.sampled_from([(), ("es", "en"), ("pt-PT", "es"), ("en",)]),
    waiting_since=st.sampled_from([NOW, NOW - timedelta(minutes=10)]),
    priority=st.integers(1, 4),
    previous_agent_id=st.one_of(st.none(), st.integers(1, 10_000)),
)
crowds = st.lists(agents, max_size=25, unique_by=lambda a: a.id)


def _decide(t: TicketSnapshot, candidates: list[AgentSnapshot]) -> Decision:
    return choose_agent(ticket=t, candidates=candidates, now=NOW, policy=POLICY)


@given(t=tickets, candidates=crowds)
def test_never_picks_an_unavailable_full_or_non_speaking_agent(
    t: TicketSnapshot, candidates: list[AgentSnapshot]
) -> None:
    decision = _decide(t, candidates)
    by_id = {a.id: a for a in candidates}
    assert set(decision.ranked).isdisjoint(decision.excluded)
    assert set(decision.ranked) | set(decision.excluded) == set(by_id)
    for agent_id in decision.ranked:
        chosen = by_id[agent_id]
        assert is_available(chosen, now=NOW, policy=POLICY)
        assert chosen.load < chosen.capacity
        assert best_skill(chosen, t) is not None


@given(t=tickets, candidates=crowds)
def test_prefers_rank_then_proficiency_then_lower_load_ratio(
    t: TicketSnapshot, candidates: list[AgentSnapshot]
) -> None:
    t = TicketSnapshot(t.id, t.language, t.fallbacks, t.waiting_since, t.priority)  # no continuity
    by_id = {a.id: a for a in candidates}
    keys = []
    for agent_id in _decide(t, candidates).ranked:
        skill = best_skill(by_id[agent_id], t)
        assert skill is not None
        keys.append((skill[0], skill[1], by_id[agent_id].load / by_id[agent_id].capacity))
    assert keys == sorted(keys)


@given(t=tickets, candidates=crowds)
def test_fallback_only_when_allowed(t: TicketSnapshot, candidates: list[AgentSnapshot]) -> None:
    decision = _decide(t, candidates)
    fallback_winners = [a for a in decision.ranked if decision.matches[a].rank == Rank.FALLBACK]
    if fallback_winners:
        close_available = any(
            is_available(a, now=NOW, policy=POLICY)
            and (s := best_skill(a, t)) is not None
            and s[0] <= Rank.SAME_BASE
            for a in candidates
        )
        assert not close_available or NOW - t.waiting_since >= POLICY.fallback_after


@given(t=tickets, candidates=crowds, seed=st.integers(0, 1000))
def test_deterministic_for_equal_inputs_in_any_order(
    t: TicketSnapshot, candidates: list[AgentSnapshot], seed: int
) -> None:
    shuffled = list(candidates)
    random.Random(seed).shuffle(shuffled)
    assert _decide(t, candidates) == _decide(t, shuffled)


@settings(max_examples=50)
@given(batch=st.lists(tickets, max_size=30, unique_by=lambda t: t.id), candidates=crowds)
def test_a_planned_batch_never_fills_anyone_past_capacity(
    batch: list[TicketSnapshot], candidates: list[AgentSnapshot]
) -> None:
    planned = plan(tickets=batch, candidates=candidates, now=NOW, policy=POLICY)
    taken: dict[int, int] = {}
    for _, decision in planned:
        if decision.winner is not None:
            taken[decision.winner] = taken.get(decision.winner, 0) + 1
    for someone in candidates:
        if someone.id in taken:
            assert someone.load + taken[someone.id] <= someone.capacity
    assert [t.id for t, _ in planned] == [t.id for t in queue_order(batch)]


def test_an_agent_who_released_a_ticket_does_not_get_it_back_within_the_cool_down() -> None:
    # given a Dutch ticket that agent 1 released a minute ago, and agents 1 and 2 with room
    released = TicketSnapshot(
        id=7,
        language="nl",
        fallbacks=("en",),
        waiting_since=NOW - timedelta(hours=1),
        released_by=1,
        released_at=NOW - timedelta(minutes=1),
    )
    releaser, colleague = agent(1, "nl"), agent(2, "nl", load=4)
    # when routing chooses, then the colleague takes it even though it is busier
    decision = choose_agent(
        ticket=released, candidates=[releaser, colleague], now=NOW, policy=POLICY
    )
    assert decision.ranked == (2,)
    assert decision.excluded == {1: Why.RELEASED}
    # when the releaser is alone, the ticket waits and says why; a fill skips it too
    alone = choose_agent(ticket=released, candidates=[releaser], now=NOW, policy=POLICY)
    assert alone.wait_reason == Wait.RELEASED
    assert choose_tickets(agent=releaser, waiting=[released], now=NOW, policy=POLICY) == ()
    # when the cool-down (5 minutes by default) has passed, the releaser may take it again
    later = NOW + timedelta(minutes=5)
    fresh = replace_seen(releaser, later)
    assert choose_agent(ticket=released, candidates=[fresh], now=later, policy=POLICY).ranked == (
        1,
    )


def replace_seen(snapshot: AgentSnapshot, seen: datetime) -> AgentSnapshot:
    return AgentSnapshot(
        id=snapshot.id,
        skills=snapshot.skills,
        load=snapshot.load,
        capacity=snapshot.capacity,
        online=snapshot.online,
        last_seen=seen,
        last_assigned_at=snapshot.last_assigned_at,
    )
